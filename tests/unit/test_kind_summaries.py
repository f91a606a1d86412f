"""What each built-in kind puts in the summary of a day: plain elements (workshop.summary),
and its spreadsheet columns (Tabulated). The summary is given the shown responses only."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from exercises.choice import Choice
from exercises.group_work import GroupWork
from exercises.open_text import OpenText
from exercises.points import Points
from exercises.qa import QA
from exercises.scale import Scale
from exercises.word_cloud import WordCloudKind
from tests.addon.relay import Relay
from workshop.i18n import language
from workshop.kinds import ResponseRecord, Tabulated, tabulated
from workshop.summary import (
    BarChart,
    CloudChart,
    Element,
    Entries,
    Entry,
    Paragraph,
    Part,
    Prompt,
    RadarChart,
    SummaryContext,
    Table,
)

HOSTILE = '=HYPERLINK("http://x") <b>æøå 🙂 \u202egnp.exe</b>'


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with language("en"):
        yield


def record(n: int, value: dict[str, Any], **marks: Any) -> ResponseRecord:
    return ResponseRecord(id=n, participant_id=100 + n, value=value, **marks)


def texts(elements: Sequence[Element]) -> list[str]:
    """Every text in the elements, depth first."""
    found: list[str] = []
    for element in elements:
        if isinstance(element, Prompt | Paragraph):
            found.append(element.text)
        elif isinstance(element, Entries):
            found += [t for e in element.entries for t in (e.text, e.detail) if t]
        elif isinstance(element, Table):
            found += [*element.headers, *(str(c) for row in element.rows for c in row)]
        elif isinstance(element, BarChart | RadarChart):
            found += [*element.labels, element.alt]
        elif isinstance(element, CloudChart):
            found += [w for w, _n in element.words]
        elif isinstance(element, Part):
            found += [element.title, *texts(element.elements)]
    return found


# -- open text ------------------------------------------------------------------------

OPEN = OpenText()
OPEN_SETTINGS = OPEN.validate_settings({"question": "Hva tenker du?"})


def test_open_text_gives_every_answer_with_its_highlight() -> None:
    answers = [
        record(1, {"text": "Lytte"}),
        record(2, {"text": HOSTILE}, highlighted=True),
    ]
    assert OPEN.summary(OPEN_SETTINGS, answers) == (
        Prompt("Hva tenker du?"),
        Entries((Entry("Lytte"), Entry(HOSTILE, highlighted=True))),
    )


def test_open_text_sorts_the_answers_into_the_themes_in_their_order() -> None:
    answers = [
        record(1, {"text": "Tid"}, theme_id=8),
        record(2, {"text": "Tillit"}, theme_id=7),
        record(3, {"text": "Uten"}),
        record(4, {"text": "Mer tid"}, theme_id=8, highlighted=True),
    ]
    context = SummaryContext(themes=[(7, "Trust"), (8, "Time"), (9, "Nothing here")])
    assert OPEN.summary(OPEN_SETTINGS, answers, context=context)[1:] == (
        Part("Trust", (Entries((Entry("Tillit"),)),)),
        Part("Time", (Entries((Entry("Tid"), Entry("Mer tid", highlighted=True))),)),
        Part("No theme", (Entries((Entry("Uten"),)),)),
    )


def test_open_text_without_answers_says_so() -> None:
    assert OPEN.summary(OPEN_SETTINGS, []) == (
        Prompt("Hva tenker du?"),
        Paragraph("No answers", muted=True),
    )
    assert OPEN.columns(OPEN_SETTINGS) == ("Answer",)
    assert OPEN.cells(OPEN_SETTINGS, {"text": HOSTILE}) == (HOSTILE,)


# -- word cloud ---------------------------------------------------------------------------

CLOUD = WordCloudKind()
CLOUD_SETTINGS = CLOUD.validate_settings({"question": "Ett ord om dagen"})


def test_the_cloud_draws_the_phrases_and_lists_every_entry_most_sent_first() -> None:
    sent = ["Tillit", "tillit!", "Tid", "og", "Tillit", "tid", "Raushet"]
    entries = [record(n, {"text": t}) for n, t in enumerate(sent, start=1)]
    elements = CLOUD.summary(CLOUD_SETTINGS, entries)
    prompt, cloud, table, counted = elements
    assert prompt == Prompt("Ett ord om dagen")
    assert isinstance(cloud, CloudChart)
    assert cloud.words == (("Tillit", 3), ("Tid", 2), ("Raushet", 1))  # "og" is not drawn
    assert "Tillit 3" in cloud.alt
    assert table == Table(
        ("Entry", "Times sent"), (("Tillit", 3), ("Tid", 2), ("og", 1), ("Raushet", 1))
    )
    assert counted == Paragraph("7 entries from 7 phones")


def test_the_cloud_names_merged_spellings_and_counts_the_entries_it_hid() -> None:
    sent = ["Tillit", "Trygghet", "Tid", "Tid", "Støy"]
    entries = [record(n, {"text": t}) for n, t in enumerate(sent, start=1)]
    curation = {"merges": {"trygghet": "tillit"}, "hidden": ["støy"]}
    elements = CLOUD.summary(CLOUD_SETTINGS, entries, curation)
    table = next(e for e in elements if isinstance(e, Table))
    assert table.headers == ("Entry", "Times sent", "Merged into it")
    assert table.rows == (("Tillit", 2, "Trygghet"), ("Tid", 2, ""))
    assert elements[-1] == Paragraph("1 entry hidden from the cloud", muted=True)
    assert "Støy" not in texts(elements)


def test_an_empty_cloud_says_so() -> None:
    assert CLOUD.summary(CLOUD_SETTINGS, []) == (
        Prompt("Ett ord om dagen"),
        Paragraph("No entries", muted=True),
    )
    assert CLOUD.cells(CLOUD_SETTINGS, {"text": "Tillit"}) == ("Tillit",)


# -- choice ----------------------------------------------------------------------------------

CHOICE = Choice()
SINGLE = CHOICE.validate_settings(
    {"question": "Hvilken side?", "options": ["Lede", "Følge", "Dele"]}
)
MULTIPLE = {**SINGLE, "multiple": True, "max_picks": 2}


def test_choice_gives_the_votes_as_bars_and_a_table() -> None:
    votes = [record(1, {"choices": [0]}), record(2, {"choices": [0]}), record(3, {"choices": [2]})]
    prompt, bars, table, voted = CHOICE.summary(SINGLE, votes)
    assert prompt == Prompt("Hvilken side?")
    assert bars == BarChart(
        ("Lede", "Følge", "Dele"),
        (2.0, 0.0, 1.0),
        alt="Bar chart of the votes per option: Lede 2; Følge 0; Dele 1",
    )
    assert table == Table(
        ("Option", "Votes", "Per cent of the phones that voted"),
        (("Lede", 2, 67), ("Følge", 0, 0), ("Dele", 1, 33)),
    )
    assert voted == Paragraph("3 phones voted")


def test_choice_columns_are_the_pick_or_one_per_option() -> None:
    assert CHOICE.columns(SINGLE) == ("Choice",)
    assert CHOICE.cells(SINGLE, {"choices": [1]}) == ("Følge",)
    assert CHOICE.columns(MULTIPLE) == ("Lede", "Følge", "Dele")
    assert CHOICE.cells(MULTIPLE, {"choices": [0, 2]}) == (1, None, 1)


# -- points ---------------------------------------------------------------------------------

POINTS = Points()
POINTS_SETTINGS = POINTS.validate_settings(
    {"question": "Hva skal plattformen gjøre?", "options": ["Møtes", "Lære", "Dele"]}
)


def test_points_are_ranked_most_first_in_the_bars_and_the_table() -> None:
    given = [record(1, {"points": [10, 60, 30]}), record(2, {"points": [0, 50, 50]})]
    prompt, bars, table, spent = POINTS.summary(POINTS_SETTINGS, given)
    assert isinstance(bars, BarChart)
    assert bars.labels == ("Lære", "Dele", "Møtes") and bars.values == (110.0, 80.0, 10.0)
    assert table == Table(
        ("Rank", "Option", "Points", "Per cent of the points"),
        ((1, "Lære", 110, 55), (2, "Dele", 80, 40), (3, "Møtes", 10, 5)),
    )
    assert spent == Paragraph("2 phones gave 200 points")
    assert POINTS.columns(POINTS_SETTINGS) == ("Møtes", "Lære", "Dele")
    assert POINTS.cells(POINTS_SETTINGS, {"points": [10, 60]}) == (10, 60, 0)


# -- scale ------------------------------------------------------------------------------------

SCALE = Scale()
WHEEL = SCALE.validate_settings(
    {
        "question": "Hvor god er du på",
        "statements": ["Lytte", "Lede", "Dele"],
        "low_label": "svak",
        "high_label": "sterk",
    }
)


def test_a_wheel_gives_a_radar_and_the_table_of_means_and_distribution() -> None:
    ratings = [record(1, {"ratings": [5, 2, 3]}), record(2, {"ratings": [4, 2, 4]})]
    prompt, ends, radar, table, rated = SCALE.summary(WHEEL, ratings)
    assert prompt == Prompt("Hvor god er du på")
    assert ends == Paragraph("1 is svak, 5 is sterk", muted=True)
    assert isinstance(radar, RadarChart)
    assert radar.labels == ("Lytte", "Lede", "Dele") and radar.values == (4.5, 2.0, 3.5)
    assert (radar.low, radar.high) == (1, 5)
    assert "Lytte 4.5" in radar.alt
    assert table == Table(
        ("Statement", "Mean", "1", "2", "3", "4", "5", "Rated by"),
        (
            ("Lytte", 4.5, 0, 0, 0, 1, 1, 2),
            ("Lede", 2.0, 0, 2, 0, 0, 0, 2),
            ("Dele", 3.5, 0, 0, 1, 1, 0, 2),
        ),
    )
    assert rated == Paragraph("2 phones have rated")


def test_a_scale_drawn_as_bars_or_too_small_for_a_radar_gives_bars_of_the_means() -> None:
    bars = {**WHEEL, "chart": "bars"}
    two = {**WHEEL, "statements": ["Lytte", "Lede"]}
    for settings in (bars, two):
        elements = SCALE.summary(settings, [record(1, {"ratings": [3, 4, 5]})])
        assert not any(isinstance(e, RadarChart) for e in elements)
        chart = next(e for e in elements if isinstance(e, BarChart))
        assert chart.values[:2] == (3.0, 4.0)
    unrated = SCALE.summary(two, [])
    table = next(e for e in unrated if isinstance(e, Table))
    assert table.rows[0][1] is None  # no mean before anyone rated
    assert SCALE.columns(WHEEL) == ("Lytte", "Lede", "Dele")
    assert SCALE.cells(WHEEL, {"ratings": [5, 2]}) == (5, 2, None)


# -- Q&A ---------------------------------------------------------------------------------------

ASK = QA()
ASK_SETTINGS = ASK.validate_settings({"question": "Hva lurer du på?"})


def test_questions_are_ranked_with_names_votes_and_answered_marks() -> None:
    questions = [
        record(1, {"text": "Hvorfor nå?", "name": "Kari"}, votes=2),
        record(2, {"text": "Hva koster det?", "name": ""}, votes=5, highlighted=True),
        record(3, {"text": "Hvem bestemmer?", "name": "Ola"}, votes=9),
    ]
    prompt, listed = ASK.summary(ASK_SETTINGS, questions, {"answered": [3]})
    assert prompt == Prompt("Hva lurer du på?")
    assert listed == Entries(
        (
            Entry("Hva koster det?", "5 votes", highlighted=True),
            Entry("Hvorfor nå?", "Kari · 2 votes"),
            Entry("Hvem bestemmer?", "Ola · 9 votes · answered"),
        ),
        ordered=True,
    )


def test_questions_sorted_into_themes_keep_their_ranking() -> None:
    questions = [
        record(1, {"text": "A", "name": ""}, votes=1, theme_id=4),
        record(2, {"text": "B", "name": ""}, votes=3, theme_id=4),
        record(3, {"text": "C", "name": ""}, votes=2),
    ]
    elements = ASK.summary(ASK_SETTINGS, questions, context=SummaryContext(themes=[(4, "Money")]))
    assert [e.title for e in elements if isinstance(e, Part)] == ["Money", "No theme"]
    money = elements[1]
    assert isinstance(money, Part)
    assert texts(money.elements) == ["B", "3 votes", "A", "1 vote"]
    assert ASK.columns(ASK_SETTINGS) == ("Question", "Name")
    anonymous = {**ASK_SETTINGS, "anonymous": True}
    assert ASK.columns(anonymous) == ("Question",)
    assert ASK.cells(anonymous, {"text": "A", "name": ""}) == ("A",)


# -- group work -----------------------------------------------------------------------------------

GROUPS = GroupWork()
TASK = GROUPS.validate_settings(
    {
        "task": "Hva kjennetegner god ledelse?",
        "questions": ["Hva gjør vi nå?", "Hva gjør vi i morgen?"],
        "phases": [{"name": "Gruppe", "minutes": 10, "mode": "group"}],
    }
)


def point(n: int, group: int, position: int, text: str, **marks: Any) -> ResponseRecord:
    return record(n, {"text": text}, group_id=group, position=position, **marks)


def test_each_groups_points_are_under_its_name_in_the_lists_order() -> None:
    points = [
        point(1, 20, 1, "Rowan først"),
        point(2, 10, 2, "Birch andre", highlighted=True),
        point(3, 10, 1, "Birch første"),
        point(4, 30, 1, "Ukjent gruppe"),
    ]
    context = SummaryContext(groups={10: "Birch", 20: "Rowan", 40: "Never here"})
    elements = GROUPS.summary(TASK, points, context=context)
    assert elements[:2] == (
        Prompt("Hva kjennetegner god ledelse?"),
        Entries((Entry("Hva gjør vi nå?"), Entry("Hva gjør vi i morgen?")), ordered=True),
    )
    assert elements[2:] == (
        Part(
            "Birch",
            (Entries((Entry("Birch første"), Entry("Birch andre", highlighted=True)), True),),
        ),
        Part("Rowan", (Entries((Entry("Rowan først"),), True),)),
        Part("Group 3", (Entries((Entry("Ukjent gruppe"),), True),)),
    )


def test_group_points_in_themes_name_their_group() -> None:
    points = [point(1, 10, 1, "Tid", theme_id=5), point(2, 20, 1, "Rom")]
    context = SummaryContext(groups={10: "Birch", 20: "Rowan"}, themes=[(5, "Time")])
    by_theme = GROUPS.summary(TASK, points, context=context)[-1]
    assert by_theme == Part(
        "By theme",
        (
            Part("Time", (Entries((Entry("Tid", "Birch"),)),)),
            Part("No theme", (Entries((Entry("Rom", "Rowan"),)),)),
        ),
    )
    assert GROUPS.summary(TASK, [])[-1] == Paragraph("No points", muted=True)
    assert GROUPS.columns(TASK) == ("Point",)
    assert GROUPS.cells(TASK, {"text": "Tid"}) == ("Tid",)


# -- every kind ----------------------------------------------------------------------------------

HOSTILE_RESPONSES = {
    "open_text": (OPEN, OPEN_SETTINGS, {"text": HOSTILE}),
    "qa": (ASK, ASK_SETTINGS, {"text": HOSTILE, "name": HOSTILE}),
    "group_work": (GROUPS, TASK, {"text": HOSTILE}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_RESPONSES))
def test_participant_text_is_kept_as_written_in_the_elements(name: str) -> None:
    kind, settings, value = HOSTILE_RESPONSES[name]
    answer = record(1, value, group_id=10, position=1)
    assert HOSTILE in texts(kind.summary(settings, [answer], context=SummaryContext({10: "G"})))
    assert isinstance(kind, Tabulated)
    assert HOSTILE in kind.cells(settings, value)


@pytest.mark.parametrize("kind", [OPEN, CLOUD, CHOICE, POINTS, SCALE, ASK, GROUPS])
def test_every_built_in_kind_gives_its_columns_and_cells_to_match(kind: Any) -> None:
    settings = {
        OPEN: OPEN_SETTINGS,
        CLOUD: CLOUD_SETTINGS,
        CHOICE: MULTIPLE,
        POINTS: POINTS_SETTINGS,
        SCALE: WHEEL,
        ASK: ASK_SETTINGS,
        GROUPS: TASK,
    }[kind]
    assert tabulated(kind)
    assert len(kind.cells(settings, {})) == len(kind.columns(settings)) > 0


def test_the_add_on_kind_gives_each_groups_words_starred_first() -> None:
    relay = Relay()
    settings = relay.validate_settings({"prompt": "Ett ord"})
    words = [
        record(1, {"word": "tre"}, group_id=1),
        record(2, {"word": "to"}, group_id=2),
        record(3, {"word": "en"}, group_id=1, highlighted=True),
    ]
    assert relay.summary(settings, words, context=SummaryContext({1: "Eik", 2: "Ask"})) == (
        Prompt("Ett ord"),
        Part("Eik", (Entries((Entry("en", highlighted=True), Entry("tre"))),)),
        Part("Ask", (Entries((Entry("to"),)),)),
    )
