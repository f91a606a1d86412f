"""Agenda items: check_item's field errors, and timeline() placing the day on the clock."""

from __future__ import annotations

import datetime as dt

import pytest

import exercises
from workshop import forms
from workshop.agenda import check_item, clock, timeline
from workshop.i18n import Message, language
from workshop.kinds import KindRegistry
from workshop.models import AgendaItem, ItemKind


@pytest.fixture
def reg() -> KindRegistry:
    registry = KindRegistry()
    exercises.register(registry)
    return registry


def item(
    duration: int, start: str | None = None, title: str = "Punkt", kind: ItemKind = "talk"
) -> AgendaItem:
    return AgendaItem(
        id=0,
        session_id=1,
        position=0,
        title=title,
        duration_min=duration,
        kind=kind,
        start=dt.time.fromisoformat(start) if start else None,
        notes="",
        exercise_kind=None,
        settings={},
    )


def errors(raw: dict[str, object], reg: KindRegistry, settings: object = None) -> dict[str, str]:
    with pytest.raises(forms.Invalid) as caught:
        check_item(raw, settings, reg)  # type: ignore[arg-type]
    with language("en"):
        return {key: str(message) for key, message in caught.value.errors.items()}


# timeline()


def test_items_without_a_start_follow_the_one_before() -> None:
    line = timeline([item(15, "08:30"), item(30), item(15), item(45, "09:30")])
    assert [(s.start_text, s.end_text) for s in line.slots] == [
        ("08:30", "08:45"),
        ("08:45", "09:15"),
        ("09:15", "09:30"),
        ("09:30", "10:15"),
    ]
    assert line.warnings == 0


def test_the_planned_end_of_the_day() -> None:
    line = timeline([item(15, "08:30"), item(45, "11:30"), item(5)])
    assert line.end == 12 * 60 + 20
    assert line.end_text == "12:20"


def test_an_overlap_is_shown_with_its_size() -> None:
    line = timeline([item(30, "09:00"), item(10, "09:20")])
    slot = line.slots[1]
    assert (slot.warning, slot.minutes) == ("overlap", 10)
    assert (slot.start_text, slot.end_text) == ("09:20", "09:30")  # shown, not corrected
    assert line.end_text == "09:30"
    with language("en"):
        assert str(slot.warning_message()) == "Starts 10 min before the previous item ends."


def test_a_gap_is_shown_with_its_size() -> None:
    line = timeline([item(30, "09:00"), item(10, "09:45"), item(5)])
    assert [(s.warning, s.minutes) for s in line.slots] == [(None, 0), ("gap", 15), (None, 0)]
    assert line.warnings == 1
    with language("en"):
        assert str(line.slots[1].warning_message()) == "15 min gap before this item."
    assert line.slots[0].warning_message() is None


def test_an_item_ending_inside_a_long_one_does_not_move_the_end_of_day_back() -> None:
    line = timeline([item(120, "09:00"), item(15, "09:30")])
    assert line.slots[1].warning == "overlap"
    assert line.end_text == "11:00"


def test_without_a_first_start_times_are_unknown() -> None:
    line = timeline([item(15), item(30), item(10, "10:00"), item(5)])
    assert [(s.start, s.end) for s in line.slots[:2]] == [(None, None), (None, None)]
    assert [s.start_text for s in line.slots] == ["", "", "10:00", "10:10"]
    assert line.slots[2].warning is None  # nothing known to overlap
    assert line.end_text == "10:15"


def test_an_empty_agenda_has_no_end() -> None:
    line = timeline([])
    assert (line.slots, line.end, line.end_text) == ([], None, "")


def test_midnight_is_a_start_and_the_clock_wraps() -> None:
    line = timeline([item(30, "23:45"), item(30)])
    assert line.slots[0].start == 23 * 60 + 45
    assert line.slots[1].end_text == "00:45"
    assert timeline([item(10, "00:00")]).slots[0].start == 0
    assert clock(None) == ""


# check_item()


def test_a_clean_item(reg: KindRegistry) -> None:
    fields = check_item(
        {"title": "  Velkommen ", "start": "8.30", "duration": "15", "notes": "a\r\nb"}, None, reg
    )
    assert (fields.title, fields.start, fields.duration_min) == ("Velkommen", dt.time(8, 30), 15)
    assert (fields.kind, fields.notes, fields.exercise_kind) == ("talk", "a\nb", None)


def test_title_is_required(reg: KindRegistry) -> None:
    assert errors({"title": "   ", "duration": 5}, reg) == {"title": "Required."}


def test_title_at_most_200_characters(reg: KindRegistry) -> None:
    assert check_item({"title": "x" * 200, "duration": 5}, None, reg).title == "x" * 200
    assert errors({"title": "x" * 201, "duration": 5}, reg) == {"title": "At most 200 characters."}


@pytest.mark.parametrize("start", ["25:00", "24:00", "8:60", "08:30:00", "halv ni", 830])
def test_a_bad_time_is_refused(start: object, reg: KindRegistry) -> None:
    assert errors({"title": "A", "duration": 5, "start": start}, reg) == {
        "start": "Write the time as HH:MM, for example 08:30."
    }


@pytest.mark.parametrize(
    "title", ["Nul\x00l", "Bell\x07", "Escape\x1b[31m", "Del\x7f", "To\nlinjer"]
)
def test_control_characters_are_refused(title: str, reg: KindRegistry) -> None:
    assert errors({"title": title, "duration": 5}, reg) == {
        "title": "Contains characters that are not allowed."
    }


def test_notes_may_have_lines_but_no_nul(reg: KindRegistry) -> None:
    fields = check_item({"title": "A", "duration": 5, "notes": "en\n\tto"}, None, reg)
    assert fields.notes == "en\n\tto"
    assert errors({"title": "A", "duration": 5, "notes": "en\x00to"}, reg) == {
        "notes": "Contains characters that are not allowed."
    }


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        (None, "Required."),
        ("ti", "Must be a whole number."),
        (1.5, "Must be a whole number."),
        (True, "Must be a whole number."),
        (-1, "Must be between 0 and 1440."),
        (24 * 60 + 1, "Must be between 0 and 1440."),
    ],
)
def test_duration_is_whole_minutes_within_a_day(
    duration: object, message: str, reg: KindRegistry
) -> None:
    assert errors({"title": "A", "duration": duration}, reg) == {"duration": message}


def test_every_bad_field_is_named_at_once(reg: KindRegistry) -> None:
    found = errors({"title": "", "duration": "x", "start": "99", "kind": "lunch"}, reg)
    assert set(found) == {"title", "duration", "start", "kind"}
    assert found["kind"] == "Choose one of the options."


def test_an_exercise_needs_a_known_kind(reg: KindRegistry) -> None:
    raw = {"title": "Spørsmål", "duration": 5, "kind": "exercise"}
    assert errors(raw, reg) == {"exercise": "Required."}
    assert errors({**raw, "exercise": "quiz"}, reg) == {
        "exercise": f"Unknown exercise kind 'quiz'; known kinds: {', '.join(reg.names())}."
    }


def test_an_exercise_gets_its_clean_settings(reg: KindRegistry) -> None:
    raw = {"title": "Spørsmål", "duration": 5, "kind": "exercise", "exercise": "open_text"}
    fields = check_item(raw, {"question": " Hva nå? ", "answers_per_phone": "3"}, reg)
    assert fields.exercise_kind == "open_text"
    assert fields.settings == {"question": "Hva nå?", "answers_per_phone": 3, "max_length": 200}


def test_settings_errors_are_prefixed(reg: KindRegistry) -> None:
    raw = {"title": "Spørsmål", "duration": 5, "kind": "exercise", "exercise": "open_text"}
    found = errors(raw, reg, {"question": "x" * 600, "answers_per_phone": 0, "colour": "red"})
    assert found == {
        "settings.question": "At most 500 characters.",
        "settings.answers_per_phone": "Must be between 1 and 20.",
        "settings.colour": "Unknown setting.",
    }
    assert errors(raw, reg) == {"settings.question": "Required."}


def test_a_talk_ignores_exercise_settings(reg: KindRegistry) -> None:
    fields = check_item(
        {"title": "A", "duration": 5, "exercise": "open_text"}, {"question": "Q?"}, reg
    )
    assert (fields.kind, fields.exercise_kind, fields.settings) == ("talk", None, {})


def test_errors_are_messages_translated_when_shown(reg: KindRegistry) -> None:
    with pytest.raises(forms.Invalid) as caught:
        check_item({"title": "", "duration": 5}, None, reg)
    message = caught.value.errors["title"]
    assert message == Message("Required.")
    with language("nb"):
        assert str(message) == "Må fylles ut."
