"""The rooms of the live sessions: read once, kept by the commands, dropped on closing.

A room is read from the store the first time a session is asked for, and
again after a change the commands do not apply piece by piece (another item,
groups formed, an agenda edited). Concurrent askers share one read
(single-flight). A change applied while a read runs is recorded and applied
to the fresh room too before it is installed: every change is idempotent, so
a read that already saw it is not harmed. Nothing older than a commit is ever
served to the request that follows it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from workshop.kinds import KindRegistry
from workshop.live.loading import load_room
from workshop.live.room import Room
from workshop.store import Store

Change = Callable[[Room], None]


@dataclass
class _Read:
    number: int
    task: asyncio.Task[Room | None]
    replay: list[Change] = field(default_factory=list)


class Rooms:
    """Every live session's room, by session id."""

    def __init__(self, store: Store, kinds: KindRegistry) -> None:
        self.store = store
        self.kinds = kinds
        self._rooms: dict[int, Room] = {}
        self._reads: dict[int, list[_Read]] = {}
        self._installed: dict[int, int] = {}
        self._numbers = 0

    def cached(self, session_id: int) -> Room | None:
        """The room as it is in memory now, without reading (None: not read yet)."""
        return self._rooms.get(session_id)

    async def get(self, session_id: int) -> Room | None:
        """The session's room (read from the store the first time)."""
        room = self._rooms.get(session_id)
        if room is not None:
            return room
        reads = self._reads.get(session_id)
        if reads:
            return await self._finish(session_id, reads[-1])
        return await self.reload(session_id)

    async def reload(self, session_id: int) -> Room | None:
        """Read the session's room again (after a change made in the store as a whole)."""
        self._numbers += 1
        task = asyncio.get_running_loop().create_task(load_room(self.store, self.kinds, session_id))
        read = _Read(self._numbers, task)
        self._reads.setdefault(session_id, []).append(read)
        return await self._finish(session_id, read)

    async def _finish(self, session_id: int, read: _Read) -> Room | None:
        try:
            fresh = await asyncio.shield(read.task)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if read.task.cancelled() and not (task and task.cancelling()):
                return None  # dropped while it was read: the session is gone
            raise
        finally:
            reads = self._reads.get(session_id, [])
            if read in reads and read.task.done():
                reads.remove(read)
                if not reads:
                    self._reads.pop(session_id, None)
        if read.number > self._installed.get(session_id, 0):
            self._installed[session_id] = read.number
            if fresh is None:
                self._rooms.pop(session_id, None)
            else:
                for change in read.replay:
                    change(fresh)
                older = self._rooms.get(session_id)
                if older is not None:
                    fresh.continue_from(older)
                self._rooms[session_id] = fresh
        return self._rooms.get(session_id)

    def apply(self, session_id: int, change: Change) -> Room | None:
        """Apply a committed change to the room now, and to any read still running."""
        for read in self._reads.get(session_id, ()):
            read.replay.append(change)
        room = self._rooms.get(session_id)
        if room is not None:
            change(room)
        return room

    def drop(self, session_id: int) -> None:
        """Forget a session's room (it closed, or was deleted)."""
        self._rooms.pop(session_id, None)
        self._installed.pop(session_id, None)
        for read in self._reads.pop(session_id, ()):
            read.task.cancel()

    def sessions(self) -> list[int]:
        return list(self._rooms)
