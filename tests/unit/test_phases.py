"""Phases: which phase runs at a moment, and what the facilitator's actions do, without the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exercises.group_work import GroupWork
from exercises.poster import Poster
from workshop import forms
from workshop.clock import Timer
from workshop.i18n import Message, language
from workshop.kinds import Phase
from workshop.phases import PhaseNow, act, next_end, phase_minutes, phase_name, roll

T0 = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
PHASES = (
    Phase("Alone", 3, "individual"),
    Phase("Group", 15, "group"),
    Phase("Plenary", 10, "plenary"),
)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def fresh() -> PhaseNow:
    return PhaseNow(0, PHASES, Timer(None, None))


def running(index: int, ends_at: dt.datetime) -> PhaseNow:
    return PhaseNow(index, PHASES, Timer(ends_at, None))


def test_not_started_waits_on_the_first_phase() -> None:
    now_ = roll(0, Timer(None, None), PHASES, T0 + minutes(60))
    assert (now_.index, now_.started, now_.mode) == (0, False, "individual")
    assert not now_.over(T0 + minutes(60))
    assert next_end(now_) is None


def test_roll_keeps_the_running_phase_until_its_end() -> None:
    now_ = roll(0, Timer(T0 + minutes(3), None), PHASES, T0 + minutes(2))
    assert now_.index == 0
    assert now_.timer.ends_at == T0 + minutes(3)
    assert next_end(now_) == T0 + minutes(3)


def test_roll_across_several_ended_phases_back_to_back() -> None:
    timer = Timer(T0 + minutes(3), None)
    # At the first end exactly, the next phase starts then.
    at_end = roll(0, timer, PHASES, T0 + minutes(3))
    assert at_end.index == 1 and at_end.timer.ends_at == T0 + minutes(18)
    # Long after: the group phase also ended, and the plenary began when it did,
    # not when the state was read.
    later = roll(0, timer, PHASES, T0 + minutes(20))
    assert later.index == 2
    assert later.phase.name == "Plenary"
    assert later.timer == Timer(T0 + minutes(28), None)
    assert later.timer.remaining_ms(T0 + minutes(20)) == 8 * 60_000
    assert next_end(later) == T0 + minutes(28)


def test_roll_stops_at_the_last_phase() -> None:
    timer = Timer(T0 + minutes(3), None)
    at = T0 + minutes(500)
    now_ = roll(0, timer, PHASES, at)
    assert now_.index == 2 and now_.is_last
    assert now_.timer.ends_at == T0 + minutes(28)
    assert now_.timer.remaining_ms(at) == 0
    assert now_.over(at)
    # An index out of range is clamped.
    assert roll(7, Timer(None, None), PHASES, at).index == 2
    assert roll(-1, Timer(None, None), PHASES, at).index == 0


def test_a_paused_phase_does_not_roll() -> None:
    now_ = roll(1, Timer(None, 30_000), PHASES, T0 + minutes(500))
    assert now_.index == 1 and now_.started
    assert now_.timer == Timer(None, 30_000)


def test_start_runs_the_phase_for_its_length() -> None:
    started = act("start", fresh(), T0)
    assert started.index == 0
    assert started.timer == Timer(T0 + minutes(3), None)
    assert started.started and not started.over(T0)


def test_pause_keeps_the_phase_and_what_is_left() -> None:
    started = act("start", fresh(), T0)
    paused = act("pause", started, T0 + minutes(1))
    assert paused.index == 0
    assert paused.timer == Timer(None, 2 * 60_000)
    # Long after, still the same phase with the same time left.
    resumed = act("start", paused, T0 + minutes(100))
    assert resumed.index == 0
    assert resumed.timer == Timer(T0 + minutes(102), None)


def test_pause_after_an_unseen_end_pauses_the_phase_rolled_to() -> None:
    started = act("start", fresh(), T0)
    paused = act("pause", started, T0 + minutes(5))
    assert paused.index == 1
    assert paused.timer == Timer(None, 13 * 60_000)


def test_extend_adds_a_minute_to_the_current_phase() -> None:
    started = act("start", fresh(), T0)
    extended = act("extend", started, T0 + minutes(1))
    assert extended.index == 0
    assert extended.timer == Timer(T0 + minutes(4), None)
    # The next phase starts a minute later, and keeps its own length.
    assert roll(extended.index, extended.timer, PHASES, T0 + minutes(4)).timer == Timer(
        T0 + minutes(19), None
    )
    paused = act("pause", started, T0 + minutes(1))
    assert act("extend", paused, T0 + minutes(2)).timer == Timer(None, 3 * 60_000)


def test_skip_while_running_starts_the_next_phase_now() -> None:
    started = act("start", fresh(), T0)
    at = T0 + minutes(1)
    skipped = act("skip", started, at)
    assert skipped.index == 1
    assert skipped.timer == Timer(at + minutes(15), None)
    assert next_end(skipped) == at + minutes(15)


def test_skip_while_paused_gives_the_next_phase_paused_with_its_full_length() -> None:
    paused = act("pause", act("start", fresh(), T0), T0 + minutes(1))
    skipped = act("skip", paused, T0 + minutes(2))
    assert skipped.index == 1
    assert skipped.timer == Timer(None, 15 * 60_000)
    assert skipped.started
    assert next_end(skipped) is None


def test_skip_when_not_started_moves_without_starting() -> None:
    skipped = act("skip", fresh(), T0)
    assert skipped.index == 1
    assert skipped.timer == Timer(None, None)
    assert not skipped.started
    assert act("skip", skipped, T0).index == 2


def test_skip_on_the_last_phase_ends_it() -> None:
    last = running(2, T0 + minutes(10))
    ended = act("skip", last, T0 + minutes(1))
    assert ended.index == 2
    assert ended.timer == Timer(None, 0)
    assert ended.over(T0 + minutes(1))
    assert next_end(ended) is None
    # Skipping again changes nothing.
    assert act("skip", ended, T0 + minutes(2)) == ended


def test_skip_after_unseen_ends_moves_on_from_the_phase_rolled_to() -> None:
    started = act("start", fresh(), T0)
    # At 4 minutes the group phase has run for a minute: skipping goes to the plenary.
    skipped = act("skip", started, T0 + minutes(4))
    assert skipped.index == 2
    assert skipped.timer == Timer(T0 + minutes(14), None)


def _refused(call: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The message a check refuses with, in English."""
    with pytest.raises((ValueError, forms.Invalid)) as caught:
        call(*args, **kwargs)
    errors = caught.value.errors if isinstance(caught.value, forms.Invalid) else {"": caught.value}
    assert len(errors) == 1, errors
    (error,) = errors.values()
    with language("en"):
        return str(error if isinstance(error, Message) else error.args[0])


def test_a_phase_is_a_name_of_one_short_line_and_1_to_240_minutes() -> None:
    assert phase_name("  Runde i gruppa ") == "Runde i gruppa"
    assert phase_name("", default="Plenum") == "Plenum"
    assert phase_minutes("240") == 240 and phase_minutes(None, default=15) == 15
    assert _refused(phase_name, "") == "Required."
    assert _refused(phase_name, "x" * 61) == "At most 60 characters."
    assert _refused(phase_name, "to\nlinjer") == "Contains characters that are not allowed."
    assert _refused(phase_minutes, "") == "Required."
    assert _refused(phase_minutes, "0") == "Must be between 1 and 240."
    assert _refused(phase_minutes, 241, default=5) == "Must be between 1 and 240."
    assert _refused(phase_minutes, "ti") == "Must be a whole number."


@pytest.mark.parametrize(
    ("name", "minutes", "message"),
    [
        ("x" * 61, 10, "At most 60 characters."),
        ("Runde\t2", 10, "Contains characters that are not allowed."),
        ("Runde", 0, "Must be between 1 and 240."),
        ("Runde", 241, "Must be between 1 and 240."),
        ("Runde", "ti", "Must be a whole number."),
    ],
)
def test_group_work_and_the_poster_refuse_a_bad_phase_alike(
    name: str, minutes: object, message: str
) -> None:
    group_work = {"task": "Oppgave", "phases": [{"name": name, "minutes": minutes}]}
    assert _refused(GroupWork().validate_settings, group_work) == f"Phase 1: {message}"
    poster = {"heading": "Plakat", "preamble": "Ved å:"}
    for phase in ("drafting", "plenary"):
        settings = {**poster, f"{phase}_name": name, f"{phase}_minutes": minutes}
        assert _refused(Poster().validate_settings, settings) == message
