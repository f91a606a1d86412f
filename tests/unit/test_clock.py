"""The server's timer: what start, pause, extend (+1 min) and end do, at fixed moments."""

from __future__ import annotations

import datetime as dt

from workshop.clock import EXTEND, Timer, apply, epoch_ms

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
NOT_STARTED = Timer(None, None)
MINUTE_MS = 60_000


def later(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_a_timer_not_started_shows_nothing() -> None:
    assert NOT_STARTED.remaining_ms(T0) is None


def test_start_runs_for_the_items_duration() -> None:
    running = apply("start", NOT_STARTED, 10, T0)
    assert running.ends_at == T0 + dt.timedelta(minutes=10)
    assert running.remaining_ms(later(60)) == 9 * MINUTE_MS


def test_a_running_timer_never_shows_less_than_zero() -> None:
    running = apply("start", NOT_STARTED, 1, T0)
    assert running.remaining_ms(later(60)) == 0
    assert running.remaining_ms(later(3600)) == 0


def test_start_while_running_changes_nothing() -> None:
    running = apply("start", NOT_STARTED, 10, T0)
    assert apply("start", running, 10, later(30)) == running


def test_pause_keeps_what_was_left_and_start_resumes_it() -> None:
    running = apply("start", NOT_STARTED, 10, T0)
    paused = apply("pause", running, 10, later(90))
    assert paused == Timer(None, 10 * MINUTE_MS - 90_000)
    # Time passes while paused: nothing is lost.
    assert paused.remaining_ms(later(600)) == 10 * MINUTE_MS - 90_000
    resumed = apply("start", paused, 10, later(600))
    assert resumed.ends_at == later(600 + 10 * 60 - 90)


def test_pause_when_not_running_changes_nothing() -> None:
    assert apply("pause", NOT_STARTED, 10, T0) == NOT_STARTED
    paused = Timer(None, 5_000)
    assert apply("pause", paused, 10, later(5)) == paused


def test_extend_while_running_adds_a_minute_to_the_end() -> None:
    running = apply("start", NOT_STARTED, 10, T0)
    extended = apply("extend", running, 10, later(30))
    assert extended.ends_at == T0 + dt.timedelta(minutes=10) + EXTEND


def test_extend_after_running_out_gives_a_minute_from_now() -> None:
    running = apply("start", NOT_STARTED, 1, T0)
    extended = apply("extend", running, 1, later(300))  # ran out four minutes ago
    assert extended.ends_at == later(300) + EXTEND
    assert extended.remaining_ms(later(300)) == MINUTE_MS


def test_extend_while_paused_adds_a_minute_and_stays_paused() -> None:
    paused = Timer(None, 30_000)
    assert apply("extend", paused, 10, T0) == Timer(None, 90_000)


def test_extend_before_the_start_adds_a_minute_to_the_duration() -> None:
    waiting = apply("extend", NOT_STARTED, 10, T0)
    assert waiting == Timer(None, 11 * MINUTE_MS)
    assert apply("start", waiting, 10, T0).ends_at == T0 + dt.timedelta(minutes=11)


def test_end_stops_at_zero_from_any_state() -> None:
    running = apply("start", NOT_STARTED, 10, T0)
    for timer in (NOT_STARTED, running, Timer(None, 5_000)):
        ended = apply("end", timer, 10, later(10))
        assert ended == Timer(None, 0)
        assert ended.remaining_ms(later(1000)) == 0


def test_after_end_extend_gives_one_minute_and_start_the_whole_duration() -> None:
    ended = Timer(None, 0)
    assert apply("extend", ended, 10, T0) == Timer(None, MINUTE_MS)
    assert apply("start", ended, 10, T0).ends_at == T0 + dt.timedelta(minutes=10)


def test_epoch_ms_is_the_moment_in_milliseconds() -> None:
    assert epoch_ms(dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=dt.UTC)) == 1000
    assert epoch_ms(T0) == int(T0.timestamp()) * 1000
