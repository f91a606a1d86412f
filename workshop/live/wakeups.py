"""Waking up when a phase ends, so every screen shows the next one at that moment.

Nothing has to run for a phase to end: the room rolls an item in phases
forward whenever it is read. But the sockets must hear of it: one timer per
session calls back when the running phase ends.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from workshop import phases
from workshop.clock import now
from workshop.live.room import Room
from workshop.live.state import LiveState

#: A little after the end, so the phase read then is the next one.
_LATE = 0.05


class Wakeups:
    def __init__(self, wake: Callable[[int], None]) -> None:
        self._wake = wake
        self._timers: dict[int, tuple[dt.datetime, asyncio.TimerHandle]] = {}

    def check(self, room: Room, state: LiveState) -> None:
        """Be woken when the session's running phase ends (and not for an older end)."""
        session_id = room.session.id
        ends = phases.next_end(state.phase) if state.phase is not None else None
        known = self._timers.get(session_id)
        if known is not None and known[0] == ends:
            return
        self.cancel(session_id)
        if ends is None:
            return
        delay = max(0.0, (ends - now()).total_seconds()) + _LATE
        handle = asyncio.get_running_loop().call_later(delay, self._fire, session_id)
        self._timers[session_id] = (ends, handle)

    def _fire(self, session_id: int) -> None:
        self._timers.pop(session_id, None)
        self._wake(session_id)

    def cancel(self, session_id: int) -> None:
        known = self._timers.pop(session_id, None)
        if known is not None:
            known[1].cancel()

    def close(self) -> None:
        for session_id in list(self._timers):
            self.cancel(session_id)
