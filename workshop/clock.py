"""Timers are the server's: what each facilitator action does to an item's timer.

A running timer is stored as the moment it ends (UTC); a paused one as the
milliseconds left. Phones and the presenter only display the countdown,
computed against the server's clock that each push carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

TimerAction = Literal["start", "pause", "extend", "end"]
TIMER_ACTIONS: tuple[TimerAction, ...] = ("start", "pause", "extend", "end")
EXTEND = dt.timedelta(minutes=1)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Timer:
    ends_at: dt.datetime | None  # set while running
    paused_ms: int | None  # set while paused (or ended: 0)

    def remaining_ms(self, at: dt.datetime) -> int | None:
        if self.ends_at is not None:
            return max(0, int((self.ends_at - at).total_seconds() * 1000))
        return self.paused_ms


def apply(action: TimerAction, timer: Timer, duration_min: int, at: dt.datetime) -> Timer:
    """The timer after a facilitator's action at moment ``at``."""
    left = timer.remaining_ms(at)
    if action == "start":
        if timer.ends_at is not None:
            return timer
        start_ms = left if left else duration_min * 60_000
        return Timer(at + dt.timedelta(milliseconds=start_ms), None)
    if action == "pause":
        return Timer(None, left) if timer.ends_at is not None else timer
    if action == "extend":
        if timer.ends_at is not None:
            return Timer(timer.ends_at + EXTEND if left else at + EXTEND, None)
        # Not started yet: the item's whole duration plus a minute, still waiting.
        base = duration_min * 60_000 if left is None else left
        return Timer(None, base + int(EXTEND.total_seconds() * 1000))
    return Timer(None, 0)


def epoch_ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)
