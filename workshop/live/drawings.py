"""Drawings of a live result that are CPU work (a word cloud's layout), in a worker process.

A session's current result is drawn again at most every ``INTERVAL`` seconds
and only when what is drawn changed (its signature); the newest drawing wins.
The event loop never waits for a layout: it runs in ``workshop.workers``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from workshop.kinds import drawn
from workshop.live.cache import Change, Rooms
from workshop.live.fanout import Fanout
from workshop.workers import Workers


class Drawings:
    #: Seconds between two drawings of one session.
    INTERVAL = 2.0

    def __init__(self, workers: Workers | None, rooms: Rooms, fanout: Fanout) -> None:
        self.workers = workers
        self.rooms = rooms
        self.fanout = fanout
        self._wanted: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._last: dict[int, float] = {}
        #: Per session: (item id, signature) of the newest drawing.
        self._drawn: dict[int, tuple[int, str]] = {}

    def soon(self, session_id: int) -> None:
        """Draw the session's current result again if it changed (and needs a drawing)."""
        room = self.rooms.cached(session_id)
        if self.workers is None or room is None or not drawn(room.kind):
            return
        self._wanted.add(session_id)
        if session_id not in self._tasks:
            self._tasks[session_id] = asyncio.get_running_loop().create_task(self._draw(session_id))

    async def _draw(self, session_id: int) -> None:
        try:
            while session_id in self._wanted:
                wait = self._last.get(session_id, 0.0) + self.INTERVAL - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._wanted.discard(session_id)
                room = self.rooms.cached(session_id)
                if room is None or room.item is None or not drawn(room.kind):
                    continue
                item_id = room.item.id
                signature, job, args = room.kind.drawing_job(self.fanout.state(room).result())
                # Drawn already, unless the room let it go: back on an item after another,
                # the room starts without the drawing, so the same signature is drawn again.
                if self._drawn.get(session_id) == (item_id, signature) and room.drawing is not None:
                    continue
                self._last[session_id] = time.monotonic()
                assert self.workers is not None
                drawing = await self.workers.run(job, *args)
                self._drawn[session_id] = (item_id, signature)
                self.rooms.apply(session_id, _drawn(item_id, drawing))
                # At once: drawings come at most every INTERVAL anyway.
                self.fanout.results_now(session_id)
        finally:
            self._tasks.pop(session_id, None)

    def forget(self, session_id: int) -> None:
        self._wanted.discard(session_id)
        self._last.pop(session_id, None)
        self._drawn.pop(session_id, None)
        task = self._tasks.pop(session_id, None)
        if task is not None:
            task.cancel()

    def close(self) -> None:
        for session_id in list(self._tasks):
            self.forget(session_id)


def _drawn(item_id: int, drawing: Any) -> Change:
    return lambda room: room.set_drawing(item_id, drawing)
