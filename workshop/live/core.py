"""What every command of the live core shares: the store, the rooms, and publishing.

A command validates, writes in one transaction, changes the room, and
publishes once, through one of two paths: :meth:`Core.changed` for a change
applied piece by piece (an answer, a vote, a mark: only the audiences that see
it hear of it), or :meth:`Core.reread` for a change of the room as a whole
(another item, the groups formed, the agenda edited: the room is read again
once, and every socket gets the full state).
"""

from __future__ import annotations

from workshop.hub import Hub
from workshop.kinds import KindRegistry
from workshop.live.cache import Rooms
from workshop.live.drawings import Drawings
from workshop.live.effects import Outcome
from workshop.live.fanout import Fanout
from workshop.live.late import LateRooms
from workshop.live.room import Room
from workshop.live.views import PhonesView, ScreenView
from workshop.live.wakeups import Wakeups
from workshop.store import Store
from workshop.workers import Workers


class Core:
    def __init__(
        self,
        store: Store,
        hub: Hub,
        kinds: KindRegistry,
        phones: PhonesView,
        screens: dict[str, ScreenView],
        workers: Workers | None = None,
    ) -> None:
        self.store = store
        self.hub = hub
        self.kinds = kinds
        self.rooms = Rooms(store, kinds)
        self.late = LateRooms(store, kinds)
        self.fanout = Fanout(hub, self.rooms, phones, screens)
        self.drawings = Drawings(workers, self.rooms, self.fanout)
        self.wakeups = Wakeups(self.tick)
        self.fanout.wakeups = self.wakeups

    async def room(self, session_id: int) -> Room | None:
        """The session's room (read the first time it is asked for)."""
        room = await self.rooms.get(session_id)
        if room is not None and room.session.live_state == "closed":
            self.forget(session_id)
        return room

    def changed(self, session_id: int, outcome: Outcome) -> Room | None:
        """After a commit: apply a piece-by-piece change and tell who sees it."""
        room = self.rooms.apply(session_id, outcome.apply)
        if room is None:
            return None
        if outcome.results:
            self.fanout.results_soon(session_id)
            self.drawings.soon(session_id)
        if outcome.replaced:
            self.fanout.screens_soon(session_id)
        if room.kind is not None and room.kind.phones_see == "group":
            groups = set(outcome.groups)
            if outcome.every_group:
                groups |= {None, *(g.id for g in room.groups)}
            for group_id in groups:
                self.fanout.group_soon(session_id, group_id)
        for participant_id in outcome.phones:
            self.fanout.to_phone(session_id, participant_id)
        return room

    async def reread(self, session_id: int, *, publish: bool = True) -> Room | None:
        """After a commit that changed the room as a whole: read it again, once, and give
        every socket the full state."""
        self.late.drop(session_id)
        room = await self.rooms.reload(session_id)
        if room is None:
            self.forget(session_id)
            return None
        self.regroup(room)
        if publish:
            self.fanout.full(session_id)
            self.drawings.soon(session_id)
        if room.session.live_state == "closed":
            self.forget(session_id)
        return room

    async def speak(self, session_id: int) -> None:
        """The participants' language changed: the room is read again, the sockets that
        follow that language (the presenter, the phones that chose none) speak the new
        one, and every socket gets the full state in its own."""
        if self.rooms.cached(session_id) is None:
            return
        room = await self.reread(session_id, publish=False)
        if room is None:
            return
        changed = self.hub.speak(session_id, room.language)
        self.fanout.full(session_id)
        self.fanout.relanguaged(changed)
        self.drawings.soon(session_id)

    def stage_changed(self, session_id: int) -> None:
        """A change of the room as a whole, applied in memory: every socket follows."""
        room = self.rooms.cached(session_id)
        if room is not None:
            room.changed_stage()
            self.fanout.full(session_id)

    def regroup(self, room: Room) -> None:
        """The phones' sockets follow their phones' groups as the room has them now."""
        known = {g.id for g in room.groups}
        for sub in self.hub.phones(room.session.id):
            phone = room.participants.get(sub.key) if sub.key is not None else None
            group = phone.group_id if phone is not None and phone.group_id in known else None
            if sub.group != group and sub.key is not None:
                self.hub.move(room.session.id, sub.key, group)

    def tick(self, session_id: int) -> None:
        """A phase ended: every screen and phone shows the next one."""
        self.stage_changed(session_id)

    def forget(self, session_id: int) -> None:
        """The session closed (or is gone): drop everything kept for it."""
        self.rooms.drop(session_id)
        self.late.drop(session_id)
        self.fanout.forget(session_id)
        self.drawings.forget(session_id)
        self.wakeups.cancel(session_id)
        self.hub.forget(session_id)

    async def shutdown(self) -> None:
        self.drawings.close()
        self.wakeups.close()
