"""The agenda file: dump writes the canonical text, load checks it and names line and field."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

import exercises
from workshop import agenda_toml
from workshop.agenda_toml import AgendaFileError, dump, load
from workshop.i18n import language
from workshop.kinds import KindRegistry
from workshop.models import ItemFields

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "agenda-samling-1.toml"


@pytest.fixture
def reg() -> KindRegistry:
    registry = KindRegistry()
    exercises.register(registry)
    return registry


def question(text: str, answers: int = 1, length: int = 200) -> dict[str, object]:
    return {"question": text, "answers_per_phone": answers, "max_length": length}


def load_error(text: str, reg: KindRegistry) -> AgendaFileError:
    with pytest.raises(AgendaFileError) as caught:
        load(text, reg)
    return caught.value


def english(err: AgendaFileError) -> str:
    with language("en"):
        return str(err)


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the first line containing fragment."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


HEAD = "samling_agenda = 1\n"


# The example and the round trip


def test_the_example_round_trips_byte_for_byte(reg: KindRegistry) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert dump(load(text, reg)) == text


def test_the_example_is_a_whole_day(reg: KindRegistry) -> None:
    items = load(EXAMPLE.read_text(encoding="utf-8"), reg)
    assert items[0].start == dt.time(8, 30)
    kinds = [i.kind for i in items]
    assert {"talk", "break", "exercise"} <= set(kinds)
    questions = [i.settings["question"] for i in items if i.exercise_kind == "open_text"]
    assert len(questions) >= 2
    assert any(i.title == "Lunsj" and i.start == dt.time(11, 30) for i in items)
    assert sum(1 for i in items if i.notes) >= 3
    # The demo session of a first start: a newcomer can try every kind in one day.
    assert {i.exercise_kind for i in items} >= {kind.name for kind in reg}


def test_dump_writes_the_documented_layout() -> None:
    items = [
        ItemFields(title="Velkommen", duration_min=15, start=dt.time(8, 30), notes="Kort."),
        ItemFields(title="Pause", duration_min=10, kind="break"),
        ItemFields(
            title="Forventninger",
            duration_min=30,
            kind="exercise",
            start=dt.time(9, 0),
            exercise_kind="open_text",
            settings=question("Hva er det aller viktigste?"),
        ),
    ]
    assert dump(items) == (
        "samling_agenda = 1\n"
        "\n"
        "[[item]]\n"
        'title = "Velkommen"\n'
        'start = "08:30"\n'
        "duration = 15\n"
        'kind = "talk"\n'
        'notes = "Kort."\n'
        "\n"
        "[[item]]\n"
        'title = "Pause"\n'
        "duration = 10\n"
        'kind = "break"\n'
        "\n"
        "[[item]]\n"
        'title = "Forventninger"\n'
        'start = "09:00"\n'
        "duration = 30\n"
        'kind = "exercise"\n'
        'exercise = "open_text"\n'
        "\n"
        "[item.settings]\n"
        'question = "Hva er det aller viktigste?"\n'
        "answers_per_phone = 1\n"
        "max_length = 200\n"
    )


def test_short_items_still_get_item_tables() -> None:
    # tomli_w alone would write a list of short tables as an inline array.
    text = dump([ItemFields(title="A", duration_min=1), ItemFields(title="B", duration_min=2)])
    assert text.count("[[item]]\n") == 2
    assert "item = [" not in text


def test_an_empty_agenda_round_trips(reg: KindRegistry) -> None:
    assert dump([]) == HEAD
    assert load(HEAD, reg) == []


@pytest.mark.parametrize(
    "item",
    [
        ItemFields(title="Bare tittel", duration_min=0),
        ItemFields(title="Med start", duration_min=5, start=dt.time(0, 0)),
        ItemFields(title="Pause", duration_min=15, kind="break", start=dt.time(23, 59)),
        ItemFields(title="Notater", duration_min=5, notes="Første linje.\nAndre «linje» – æøå."),
        ItemFields(
            title='Sitat "med" \\ skråstrek',
            duration_min=5,
            notes='Slutter med sitat: """\n\t innrykk\n\n\nog \\n bokstavelig',
        ),
        ItemFields(
            title="Spørsmål",
            duration_min=20,
            kind="exercise",
            exercise_kind="open_text",
            settings=question("Hva tenker du?\nSvar kort.", answers=3, length=2000),
        ),
        ItemFields(
            title="Uten notater, med start",
            duration_min=24 * 60,
            kind="exercise",
            start=dt.time(13, 5),
            notes="Hvem sender først?",
            exercise_kind="open_text",
            settings=question("'''enkle''' og \"doble\""),
        ),
    ],
    ids=lambda i: i.title,
)
def test_an_item_round_trips(item: ItemFields, reg: KindRegistry) -> None:
    text = dump([item])
    assert load(text, reg) == [item]
    assert dump(load(text, reg)) == text


def test_optional_keys_are_left_out() -> None:
    text = dump([ItemFields(title="Pause", duration_min=10, kind="break")])
    table = tomllib.loads(text)["item"][0]
    assert list(table) == ["title", "duration", "kind"]


def test_settings_keep_the_kinds_order() -> None:
    settings = {"max_length": 50, "question": "Q?", "answers_per_phone": 2}
    item = ItemFields(
        title="X", duration_min=1, kind="exercise", exercise_kind="open_text", settings=settings
    )
    tail = dump([item]).split("[item.settings]\n")[1]
    assert tail == 'max_length = 50\nquestion = "Q?"\nanswers_per_phone = 2\n'


def test_load_reads_what_people_write(reg: KindRegistry) -> None:
    text = HEAD + (
        "# Written by hand: comments, a TOML time, no kind, an inline settings table.\n"
        "[[item]]\n"
        "title = '  Velkommen  '\n"
        "start = 08:30:00\n"
        "duration = 15\n"
        "\n"
        "[[item]]\n"
        'title = "Spørsmål"\n'
        'kind = "exercise"\n'
        "duration = 10\n"
        'exercise = "open_text"\n'
        'settings = { question = "Hva nå?", answers_per_phone = "3" }\n'
    )
    first, second = load(text, reg)
    assert first == ItemFields(title="Velkommen", duration_min=15, start=dt.time(8, 30))
    assert second.settings == question("Hva nå?", answers=3)


def test_a_byte_order_mark_is_ignored(reg: KindRegistry) -> None:
    text = dump([ItemFields(title="A", duration_min=1)])
    assert load("\ufeff" + text, reg) == [ItemFields(title="A", duration_min=1)]


# Errors: what, where, and nothing returned


def test_a_syntax_error_names_its_line(reg: KindRegistry) -> None:
    text = HEAD + '\n[[item]]\ntitle = "Velkommen\nduration = 15\n'
    err = load_error(text, reg)
    assert err.line == 4
    assert err.field is None
    assert english(err).startswith("Line 4: This is not valid TOML (")


def test_a_string_left_open_at_the_end_names_a_line(reg: KindRegistry) -> None:
    err = load_error(HEAD + '[[item]]\ntitle = """Velkommen\n', reg)
    assert err.line == 3
    assert "not valid TOML" in english(err)


def test_a_wrong_type_names_item_field_and_line(reg: KindRegistry) -> None:
    good = dump([ItemFields(title="A", duration_min=1), ItemFields(title="B", duration_min=2)])
    text = good + '\n[[item]]\ntitle = "C"\nduration = "ten"\nkind = "talk"\n'
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[3].duration", line_of(text, '"ten"'))
    assert english(err) == f"Line {err.line}, item[3].duration: Must be a whole number."


def test_an_unknown_exercise_kind_is_refused(reg: KindRegistry) -> None:
    text = HEAD + '[[item]]\ntitle = "Quiz"\nduration = 5\nkind = "exercise"\nexercise = "quiz"\n'
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].exercise", 6)
    assert english(err) == (
        "Line 6, item[1].exercise: Unknown exercise kind 'quiz'; "
        f"known kinds: {', '.join(reg.names())}."
    )


def test_an_exercise_without_a_kind_is_refused(reg: KindRegistry) -> None:
    text = HEAD + '[[item]]\ntitle = "Quiz"\nduration = 5\nkind = "exercise"\n'
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].exercise", 2)
    assert english(err) == "Line 2, item[1].exercise: Required."


def test_an_unknown_item_key_is_refused(reg: KindRegistry) -> None:
    text = HEAD + '[[item]]\ntitle = "A"\nduration = 5\nspeaker = "someone"\n'
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].speaker", 5)
    assert english(err) == "Line 5, item[1].speaker: Unknown key."


def test_a_misspelt_key_is_named_before_the_missing_one(reg: KindRegistry) -> None:
    # "duration" is missing because it is misspelt: name the typo, not "Required."
    text = HEAD + '[[item]]\ntitle = "A"\nduraton = 5\n'
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].duraton", 4)


def test_a_missing_key_points_at_its_item(reg: KindRegistry) -> None:
    text = HEAD + '\n[[item]]\ntitle = "A"\nduration = 5\n\n[[item]]\nduration = 5\n'
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[2].title", 7)
    assert english(err) == "Line 7, item[2].title: Required."


def test_an_unknown_top_level_key_is_refused(reg: KindRegistry) -> None:
    err = load_error(HEAD + 'author = "x"\n', reg)
    assert (err.field, err.line) == ("author", 2)
    text = dump([ItemFields(title="A", duration_min=1)]) + "\n[meta]\nx = 1\n"
    err = load_error(text, reg)
    assert (err.field, err.line) == ("meta", line_of(text, "[meta]"))


def test_exercise_keys_on_a_talk_are_refused(reg: KindRegistry) -> None:
    # Dropping them would silently lose an exercise switched off by changing its kind.
    text = (
        HEAD + '[[item]]\ntitle = "A"\nduration = 5\nkind = "talk"\n\n'
        '[item.settings]\nquestion = "Q?"\n'
    )
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].settings", 7)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("question", '"' + "x" * 600 + '"', "At most 500 characters."),
        ("answers_per_phone", "0", "Must be between 1 and 20."),
        ("max_length", "true", "Must be a whole number."),
    ],
)
def test_a_settings_error_names_the_setting_and_its_line(
    setting: str, value: str, message: str, reg: KindRegistry
) -> None:
    item = ItemFields(
        title="Q",
        duration_min=5,
        kind="exercise",
        exercise_kind="open_text",
        settings=question("Hva?"),
    )
    good = dump([ItemFields(title="A", duration_min=1), item])
    lines = good.splitlines(keepends=True)
    n = line_of(good, f"{setting} = ")
    lines[n - 1] = f"{setting} = {value}\n"
    err = load_error("".join(lines), reg)
    assert (err.field, err.line) == (f"item[2].settings.{setting}", n)
    assert english(err) == f"Line {n}, item[2].settings.{setting}: {message}"


def test_the_first_settings_error_in_the_file_is_reported(reg: KindRegistry) -> None:
    text = HEAD + (
        '[[item]]\ntitle = "Q"\nduration = 5\nkind = "exercise"\nexercise = "open_text"\n\n'
        '[item.settings]\nanswers_per_phone = 0\nquestion = "' + "x" * 600 + '"\n'
    )
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].settings.answers_per_phone", 9)


def test_an_unknown_setting_is_refused(reg: KindRegistry) -> None:
    text = HEAD + (
        '[[item]]\ntitle = "Q"\nduration = 5\nkind = "exercise"\nexercise = "open_text"\n\n'
        '[item.settings]\nquestion = "Hva?"\nanonymous = true\n'
    )
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].settings.anonymous", 10)
    assert english(err) == "Line 10, item[1].settings.anonymous: Unknown setting."


def test_inline_and_dotted_settings_are_located(reg: KindRegistry) -> None:
    base = HEAD + '[[item]]\ntitle = "Q"\nduration = 5\nkind = "exercise"\nexercise = "open_text"\n'
    err = load_error(base + 'settings = { question = "" }\n', reg)
    assert (err.field, err.line) == ("item[1].settings.question", 7)
    err = load_error(base + 'settings.question = "Q?"\nsettings.max_length = 3\n', reg)
    assert (err.field, err.line) == ("item[1].settings.max_length", 8)


def test_missing_required_setting_points_at_the_settings_table(reg: KindRegistry) -> None:
    text = HEAD + (
        '[[item]]\ntitle = "Q"\nduration = 5\nkind = "exercise"\nexercise = "open_text"\n\n'
        "[item.settings]\nmax_length = 100\n"
    )
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].settings.question", 8)


def test_settings_that_are_not_a_table_are_refused(reg: KindRegistry) -> None:
    text = HEAD + (
        '[[item]]\ntitle = "Q"\nduration = 5\nkind = "exercise"\nexercise = "open_text"\n'
        'settings = "Hva?"\n'
    )
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].settings", 7)
    assert english(err).endswith("Write the settings as an [item.settings] table.")


def test_look_alike_lines_inside_strings_are_not_keys(reg: KindRegistry) -> None:
    text = HEAD + (
        '[[item]]\ntitle = "A"\nnotes = """\nduration = 5\n[[item]]\n"""\n'
        "tags = [\n  'duration = 1',\n]\nduration = -1\n"
    )
    err = load_error(text, reg)
    # tags is unknown (line 8) and duration out of range (line 11): the first is reported.
    assert (err.field, err.line) == ("item[1].tags", 8)
    err = load_error(text.replace("tags = [\n  'duration = 1',\n]\n", ""), reg)
    assert (err.field, err.line) == ("item[1].duration", 8)


def test_line_separators_inside_strings_are_refused_on_their_line(reg: KindRegistry) -> None:
    # U+2028 and U+0085 end a line for str.splitlines() but not for TOML.
    text = (
        'samling_agenda = 1\n\n[[item]]\ntitle = "A"\nduration = 1\n'
        'notes = "en\u2028to\x85tre"\n\n[[item]]\ntitle = "C"\nduration = -5\n'
    )
    err = load_error(text, reg)
    assert (err.field, err.line) == ("item[1].notes", 6)


def test_a_missing_version_is_refused(reg: KindRegistry) -> None:
    err = load_error('[[item]]\ntitle = "A"\nduration = 5\n', reg)
    assert err.field == "samling_agenda"
    assert english(err) == "samling_agenda: The file must start with samling_agenda = 1."


@pytest.mark.parametrize("version", ["2", "true", "1.0", '"1"'])
def test_a_wrong_version_is_refused(version: str, reg: KindRegistry) -> None:
    err = load_error(f"# An agenda\nsamling_agenda = {version}\n", reg)
    assert (err.field, err.line) == ("samling_agenda", 2)


def test_items_must_be_tables(reg: KindRegistry) -> None:
    err = load_error(HEAD + 'item = "Velkommen"\n', reg)
    assert (err.field, err.line) == ("item", 2)
    err = load_error(HEAD + 'item = [{ title = "A", duration = 1 }, "B"]\n', reg)
    assert (err.field, err.line) == ("item[2]", 2)
    assert english(err) == "Line 2, item[2]: Write each item as an [[item]] table."


def test_at_most_200_items(reg: KindRegistry) -> None:
    many = [ItemFields(title=f"Punkt {n}", duration_min=1) for n in range(1, 202)]
    text = dump(many)
    assert len(load(dump(many[:200]), reg)) == agenda_toml.MAX_ITEMS
    err = load_error(text, reg)
    assert err.field == "item[201]"
    assert err.line == line_of(text, '"Punkt 201"') - 1
    assert english(err).endswith("An agenda holds at most 200 items.")


def test_nothing_is_returned_when_a_late_item_is_bad(reg: KindRegistry) -> None:
    good = [ItemFields(title=f"Punkt {n}", duration_min=5) for n in range(10)]
    text = dump(good) + '\n[[item]]\ntitle = "Siste"\nduration = 5\nkind = "lunch"\n'
    err = load_error(text, reg)
    assert err.field == "item[11].kind"
    assert english(err).endswith("Choose one of the options.")


def test_the_message_is_translated_when_shown(reg: KindRegistry) -> None:
    err = load_error(HEAD + '[[item]]\ntitle = "A"\nduration = "ti"\n', reg)
    with language("nb"):
        shown = str(err)
    assert shown.startswith("Linje 4, item[1].duration: ")
    assert shown != english(err)
