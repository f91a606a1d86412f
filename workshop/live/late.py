"""Items that stay open after their session closed: the rooms their phones still answer in.

A closed session's room is dropped on closing. When its agenda has an item of a kind
that stays open after close (:class:`workshop.kinds.OpenAfterClose`: the end-of-day
evaluation, for those who leave early) and that item's time has not come, the phones
that were in the session still find it from their link: the code in it was this
session's (it is retired: no phone joins any more) and the phone's cookie names the
session. They see a room of that item alone, as if it were live under its old code:
read once, kept by their answers, dropped when the item's time is up or the session
changes as a whole (reopened, its agenda edited, deleted).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, replace

from workshop.clock import now
from workshop.i18n import Message, format_time
from workshop.kinds import KindRegistry
from workshop.live.after_close import deadlines, still_open
from workshop.live.effects import Outcome
from workshop.live.loading import load_room
from workshop.live.room import Room
from workshop.models import AgendaItem
from workshop.store import Store


@dataclass
class _Late:
    room: Room
    code: str
    until: dt.datetime


class LateRooms:
    """The rooms of closed sessions' items still open, by session id."""

    def __init__(self, store: Store, kinds: KindRegistry) -> None:
        self.store = store
        self.kinds = kinds
        self._rooms: dict[int, _Late] = {}
        self._reading = asyncio.Lock()

    async def open_item(self, room: Room) -> tuple[AgendaItem, dt.datetime] | None:
        """The last item of a closed session's agenda still open now, and until when."""
        ends = await deadlines(self.store, self.kinds, room.session, room.items)
        return still_open(ends, now())

    async def closed_at(self, room: Room) -> Message | None:
        """Why a phone of this closed session can no longer answer after it, when one of
        its items stayed open after close and has closed since ("Answers closed at
        18:00.")."""
        at = now()
        ends = [
            until
            for _item, until in await deadlines(self.store, self.kinds, room.session, room.items)
            if until <= at
        ]
        if not ends:
            return None
        return Message(
            "That session has ended. Answers after it closed at %(time)s.",
            time=format_time(max(ends)),
        )

    def cached(self, session_id: int, code: str) -> Room | None:
        """The late room of a session under this code, while its item is open."""
        late = self._rooms.get(session_id)
        if late is None or late.code != code:
            return None
        if now() >= late.until:
            self._rooms.pop(session_id, None)
            return None
        return late.room

    async def get(self, closed: Room, code: str) -> Room | None:
        """The room a phone of this closed session answers in from a link with ``code``
        (None: the code was not the session's, or no item is open after close)."""
        session_id = closed.session.id
        async with self._reading:
            found = self.cached(session_id, code)
            if found is not None:
                return found
            if await self.store.live.retired_by(code) != session_id:
                return None
            opened = await self.open_item(closed)
            if opened is None:
                return None
            item, until = opened
            room = await load_room(self.store, self.kinds, session_id, item.id)
            if room is None or room.item is None:
                return None
            room.session = replace(
                room.session,
                join_code=code,
                live_state="live",
                current_item_id=item.id,
                responses_locked=False,
            )
            # Its countdown ended with the day: the phones see no clock after close.
            room.item = replace(room.item, timer_ends_at=None, timer_paused_ms=None)
            room.after_close = True
            self._rooms[session_id] = _Late(room, code, until)
            return room

    def changed(self, session_id: int, outcome: Outcome) -> Room | None:
        """After a late phone's commit: its change applied to the late room."""
        late = self._rooms.get(session_id)
        if late is None:
            return None
        outcome.apply(late.room)
        return late.room

    def drop(self, session_id: int) -> None:
        self._rooms.pop(session_id, None)
