"""The clock of an exercise in phases: which phase runs, and what an action does to it.

An item in phases keeps the current phase's index beside its timer (the same
``Timer`` as any item's, see ``workshop.clock``): while the timer runs, a
phase that has ended gives way to the next one, which starts at the moment
the previous one ended. Nothing needs to run for that to happen: the state is
rolled forward whenever it is read. The live loop only wakes up at each end to
push the new phase to every screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from workshop import forms
from workshop.clock import Timer, TimerAction, apply
from workshop.kinds import Phase

#: What the facilitator can do to a phase: the timer's actions, and moving on.
PHASE_ACTIONS = ("start", "pause", "extend", "skip")
#: A phase's name (one line) and its length, in every kind that runs in phases.
PHASE_NAME_MAX = 60
PHASE_MINUTES_MAX = 240


def phase_name(raw: object, *, default: str | None = None) -> str:
    """A phase's name from its settings: one line of at most 60 characters; a blank one
    is ``default``, or "Required." when there is none (``ValueError``, as ``forms``)."""
    if default is None:
        return forms.text(raw, max_length=PHASE_NAME_MAX, required=True)
    return forms.text(raw, max_length=PHASE_NAME_MAX) or default


def phase_minutes(raw: object, *, default: int | None = None) -> int:
    """A phase's length from its settings: 1 to 240 whole minutes; a blank one is
    ``default``, or "Required." when there is none (``ValueError``, as ``forms``)."""
    return forms.integer(raw, minimum=1, maximum=PHASE_MINUTES_MAX, default=default)


@dataclass(frozen=True)
class PhaseNow:
    """The phase an item is in at a moment."""

    index: int
    phases: tuple[Phase, ...]
    timer: Timer

    @property
    def phase(self) -> Phase:
        return self.phases[self.index]

    @property
    def count(self) -> int:
        return len(self.phases)

    @property
    def mode(self) -> str:
        return self.phase.mode

    @property
    def started(self) -> bool:
        return self.timer.ends_at is not None or self.timer.paused_ms is not None

    @property
    def is_last(self) -> bool:
        return self.index == len(self.phases) - 1

    def over(self, at: dt.datetime) -> bool:
        """The last phase's time is up."""
        return self.is_last and self.started and self.timer.remaining_ms(at) == 0


def _minutes(phases: Sequence[Phase], index: int) -> dt.timedelta:
    return dt.timedelta(minutes=phases[index].minutes)


def roll(index: int, timer: Timer, phases: Sequence[Phase], at: dt.datetime) -> PhaseNow:
    """The phase at moment ``at``: ended phases give way to the next, back to back."""
    index = max(0, min(index, len(phases) - 1))
    while timer.ends_at is not None and at >= timer.ends_at and index < len(phases) - 1:
        index += 1
        timer = Timer(timer.ends_at + _minutes(phases, index), None)
    return PhaseNow(index, tuple(phases), timer)


def act(action: str, now_: PhaseNow, at: dt.datetime) -> PhaseNow:
    """The phase after a facilitator's action at ``at`` (on the phase rolled to ``at``)."""
    phases = now_.phases
    current = roll(now_.index, now_.timer, phases, at)
    if action in ("skip", "end"):
        if current.is_last:
            return PhaseNow(current.index, phases, Timer(None, 0))
        index = current.index + 1
        length = _minutes(phases, index)
        if current.timer.ends_at is not None:
            return PhaseNow(index, phases, Timer(at + length, None))
        if current.started:
            return PhaseNow(index, phases, Timer(None, int(length.total_seconds() * 1000)))
        return PhaseNow(index, phases, Timer(None, None))
    timer_action: TimerAction = action  # type: ignore[assignment]
    timer = apply(timer_action, current.timer, phases[current.index].minutes, at)
    return PhaseNow(current.index, phases, timer)


def next_end(now_: PhaseNow) -> dt.datetime | None:
    """When the running phase ends and the next begins (None: nothing to wake for)."""
    if now_.timer.ends_at is None:
        return None
    return now_.timer.ends_at
