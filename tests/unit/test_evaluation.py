"""evaluation: settings, answers, results, the summary and the comparison across sessions,
tested without the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

import exercises
from exercises.evaluation import EvaluationKind
from exercises.evaluation_results import rated
from workshop import forms
from workshop.effects import Insert, Refused, Update
from workshop.i18n import add_catalog, language
from workshop.kinds import KindRegistry, ResponseRecord, Settings, open_after_close, tabulated
from workshop.summary import BarChart, Entries, Paragraph, Part, Prompt, Table

KIND = EvaluationKind()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with language("en"):
        yield


def settings(**changes: Any) -> Settings:
    clean = KIND.validate_settings({**KIND.default_settings(), **changes})
    return clean


def refused(raw: dict[str, object]) -> dict[str, str]:
    with pytest.raises(forms.Invalid) as caught:
        KIND.validate_settings(raw)
    return {key: str(message) for key, message in caught.value.errors.items()}


def answer(n: int, ratings: list[int], good: str = "", better: str = "") -> list[ResponseRecord]:
    """One phone's evaluation as stored: three responses."""
    base = n * 10
    return [
        ResponseRecord(base, n, {"part": "rating", "ratings": ratings}),
        ResponseRecord(base + 1, n, {"part": "good", "text": good}),
        ResponseRecord(base + 2, n, {"part": "better", "text": better}),
    ]


class Phone:
    """What the actions read of a phone: its own responses."""

    def __init__(self, own: list[ResponseRecord]) -> None:
        self.own = tuple(own)

    def own_response(self, rid: int) -> ResponseRecord | None:
        return next((r for r in self.own if r.id == rid), None)


def test_it_is_registered_and_stays_open_after_close() -> None:
    reg = KindRegistry()
    exercises.register(reg)
    assert isinstance(reg.get("evaluation"), EvaluationKind)
    assert open_after_close(KIND)
    assert tabulated(KIND)


def test_default_settings_are_the_seeds_questions() -> None:
    defaults = KIND.default_settings()
    assert defaults["steps"] == 5
    assert defaults["good_question"] == "What was good, and why?"
    assert defaults["better_question"] == "What could have been better, and how?"
    assert defaults["open_until"] == ""
    add_catalog(KIND.folder / "locale", KIND.name)  # as the app does on registering
    with language("nb"):
        nb = KIND.default_settings()
    assert nb["good_question"] == "Hva var bra, og hvorfor?"
    assert nb["better_question"] == "Hva kunne vært bedre, og hvordan?"
    assert KIND.validate_settings(defaults) == defaults


def test_settings_from_a_form() -> None:
    clean = settings(steps=" 7 ", statements="Relevant\r\n\r\nGod dialog\n", open_until="18.30")
    assert clean["steps"] == 7
    assert clean["statements"] == ["Relevant", "God dialog"]
    assert clean["open_until"] == "18:30"


def test_bad_settings_are_refused_with_each_field_named() -> None:
    errors = refused(
        {**KIND.default_settings(), "steps": 11, "open_until": "25:00", "good_question": ""}
    )
    assert set(errors) == {"steps", "open_until", "good_question"}
    assert "HH:MM" in errors["open_until"]
    assert "unknown" in refused({**KIND.default_settings(), "colour": "red"})["colour"].lower()


def test_open_until_is_the_time_on_the_sessions_day() -> None:
    day = dt.date(2026, 12, 1)
    assert KIND.open_until(settings(), day) is None
    until = KIND.open_until(settings(open_until="18:00"), day)
    assert until is not None and until.tzinfo is not None
    assert until.astimezone().replace(tzinfo=None) == dt.datetime(2026, 12, 1, 18, 0)


def test_an_answer_is_three_responses() -> None:
    s = settings(statements=["Relevant"])
    fields = {"rating-0": "4", "rating-1": "5", "good": " Godt ", "better": ""}
    effects = KIND.phone_actions()["answer"].handle(s, Phone([]), fields)  # type: ignore[arg-type]
    assert effects == (
        Insert({"part": "rating", "ratings": [4, 5]}),
        Insert({"part": "good", "text": "Godt"}),
        Insert({"part": "better", "text": ""}),
    )


def test_every_rating_is_required_and_within_the_scale() -> None:
    s = settings(statements=["Relevant"])
    with pytest.raises(forms.Invalid) as caught:
        KIND.phone_actions()["answer"].handle(s, Phone([]), {"rating-0": "6"})  # type: ignore[arg-type]
    assert set(caught.value.errors) == {"rating-0", "rating-1"}
    with pytest.raises(forms.Invalid) as caught:
        KIND.phone_actions()["answer"].handle(  # type: ignore[arg-type]
            settings(max_length=50), Phone([]), {"rating-0": "3", "good": "x" * 51}
        )
    assert set(caught.value.errors) == {"good"}


def test_an_edit_changes_one_part_of_the_phones_own() -> None:
    own = answer(1, [3], "Bra", "")
    phone = Phone(own)
    edit = KIND.phone_actions()["edit"].handle
    assert edit(settings(), phone, {"response": "12", "better": "Mer pause"}) == Update(  # type: ignore[arg-type]
        12, {"part": "better", "text": "Mer pause"}, None
    )
    assert edit(settings(), phone, {"response": "10", "rating-0": "5", "version": "2"}) == Update(  # type: ignore[arg-type]
        10, {"part": "rating", "ratings": [5]}, 2
    )
    with pytest.raises(Refused):
        edit(settings(), phone, {"response": "99", "good": "x"})  # type: ignore[arg-type]


def test_the_mean_spread_and_distribution() -> None:
    row = rated("Dagen", [5, 4, 4, 2], 5)
    assert row.mean == pytest.approx(3.75)
    assert row.spread == pytest.approx(1.0897, abs=1e-3)
    assert row.counts == [0, 1, 0, 2, 1]
    assert rated("Dagen", [], 5).mean is None


def test_the_result_keeps_the_texts_apart_in_alphabetical_order() -> None:
    responses = [
        *answer(1, [5], "Øvelsene", "Mer tid"),
        *answer(2, [2], "Alt", ""),
        *answer(3, [4], "bra folk", "Kortere dag"),
    ]
    hidden = ResponseRecord(99, 4, {"part": "good", "text": "Frekt"}, hidden=True)
    result = KIND.summarise(settings(), [*responses, hidden])
    assert result.overall.mean == pytest.approx(11 / 3)
    assert [r.value["text"] for r in result.good] == ["Alt", "bra folk", "Øvelsene"]
    assert [r.value["text"] for r in result.better] == ["Kortere dag", "Mer tid"]


def test_the_presenter_writes_the_mean_for_the_language() -> None:
    result = KIND.summarise(settings(), [*answer(1, [3]), *answer(2, [2])])
    assert result.overall.mean == 2.5
    from workshop.i18n import format_number

    assert format_number(2.65, 1) == "2.7"  # half up, on the decimal it prints as
    with language("nb"):
        assert format_number(result.overall.mean, 1) == "2,5"


def test_summary_elements() -> None:
    s = settings(statements=["Relevant"])
    responses = [*answer(1, [5, 4], "Godt", "Pauser"), *answer(2, [3, 4], "Fint", "")]
    elements = KIND.summary(s, responses)
    assert elements[0] == Prompt("All in all, how was the day?")
    table = next(e for e in elements if isinstance(e, Table))
    assert table.rows[0][:4] == ("All in all, how was the day?", 4.0, 1.0, 2)
    assert table.rows[1][:4] == ("Relevant", 4.0, 0.0, 2)
    bars = next(e for e in elements if isinstance(e, BarChart))
    assert bars.values == (0.0, 0.0, 1.0, 0.0, 1.0)
    parts = [e for e in elements if isinstance(e, Part)]
    assert [p.title for p in parts] == [
        "What was good, and why?",
        "What could have been better, and how?",
    ]
    good = parts[0].elements[0]
    assert isinstance(good, Entries) and [e.text for e in good.entries] == ["Fint", "Godt"]
    nobody = KIND.summary(s, [])
    assert Paragraph("No one has evaluated.", muted=True) in nobody


def test_a_sheet_row_never_holds_a_rating_beside_a_text() -> None:
    s = settings(statements=["Relevant"])
    assert len(KIND.columns(s)) == 4
    assert KIND.cells(s, {"part": "rating", "ratings": [4, 5]}) == ("Rating", 4, 5, None)
    assert KIND.cells(s, {"part": "good", "text": "Bra"}) == (
        "What was good, and why?",
        None,
        None,
        "Bra",
    )


def test_compare_three_sessions_gives_each_sessions_mean_and_spread() -> None:
    s = settings(statements=["Relevant"])
    items = [
        ("Samling 1", s, [*answer(1, [4, 3]), *answer(2, [2, 3])]),
        ("Samling 2", s, [*answer(3, [5, 5]), *answer(4, [4, 3]), *answer(5, [3, 4])]),
        ("Samling 3", settings(), [*answer(6, [5])]),
    ]
    elements = KIND.compare(items)
    chart = next(e for e in elements if isinstance(e, BarChart))
    assert chart.labels == ("Samling 1", "Samling 2", "Samling 3")
    assert chart.values == (3.0, 4.0, 5.0)
    table = next(e for e in elements if isinstance(e, Table))
    assert table.headers[1:3] == ("Samling 1: mean", "Samling 1: spread")
    overall, relevant = table.rows
    assert overall == ("Overall rating", 3.0, 1.0, 4.0, 0.82, 5.0, 0.0)
    assert relevant == ("Relevant", 3.0, 0.0, 4.0, 0.82, None, None)
    assert KIND.compare([]) == []
