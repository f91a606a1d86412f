"""Changes to what a live session is made of: its agenda, its details, its programme's
groups and blocklist, and deleting it. Each writes, then the live sessions it touches
follow at once (their rooms are read again and every socket gets the full state)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from workshop.live.core import Core
from workshop.models import Group, ItemFields, Session


class PlanningCommands:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def _follow(self, session_id: int) -> None:
        if self.core.rooms.cached(session_id) is not None:
            await self.core.reread(session_id)

    async def _follow_programme(self, programme_id: int) -> None:
        for session_id in self.core.rooms.sessions():
            room = self.core.rooms.cached(session_id)
            if room is not None and room.session.programme_id == programme_id:
                await self.core.reread(session_id)

    # -- the agenda --------------------------------------------------------------------

    async def add_item(self, session_id: int, fields: ItemFields) -> int:
        item_id = await self.core.store.agenda.add(session_id, fields)
        await self._follow(session_id)
        return item_id

    async def update_item(self, session_id: int, item_id: int, fields: ItemFields) -> None:
        await self.core.store.agenda.update(session_id, item_id, fields)
        await self._follow(session_id)

    async def delete_item(self, session_id: int, item_id: int) -> None:
        await self.core.store.agenda.delete(session_id, item_id)
        await self._follow(session_id)

    async def move_item(self, session_id: int, item_id: int, position: int) -> None:
        await self.core.store.agenda.move(session_id, item_id, position)
        await self._follow(session_id)

    async def reorder(self, session_id: int, ids: Sequence[int]) -> bool:
        """Put the items in this order; False (nothing changed) if the ids are not the
        agenda's."""
        if not await self.core.store.agenda.reorder(session_id, list(ids)):
            return False
        await self._follow(session_id)
        return True

    async def replace_agenda(self, session_id: int, items: Sequence[ItemFields]) -> None:
        """The agenda replaced by these items (an imported file)."""
        await self.core.store.agenda.replace(session_id, list(items))
        await self._follow(session_id)

    # -- the session and its programme ---------------------------------------------------

    async def update_session(
        self, session_id: int, title: str, date: dt.date | None, place: str
    ) -> None:
        await self.core.store.programmes.update_session(session_id, title, date, place)
        await self._follow(session_id)

    async def set_session_language(self, session_id: int, language: str) -> None:
        """A session's own participants' language ('': its programme's)."""
        await self.core.store.programmes.set_session_language(session_id, language)
        await self.core.speak(session_id)

    async def set_programme_language(self, programme_id: int, language: str) -> None:
        """A programme's participants' language, for its sessions that have none of their own."""
        await self.core.store.programmes.set_language(programme_id, language)
        for session_id in self.core.rooms.sessions():
            room = self.core.rooms.cached(session_id)
            if room is not None and room.session.programme_id == programme_id:
                await self.core.speak(session_id)

    async def delete_session(self, session: Session) -> None:
        """Delete a session with its agenda and responses; its phones see it is gone."""
        await self.core.store.programmes.delete_session(session.id)
        self.core.forget(session.id)

    async def delete_programme(self, programme_id: int) -> None:
        for session in await self.core.store.programmes.sessions(programme_id):
            self.core.forget(session.id)
        await self.core.store.programmes.delete(programme_id)

    async def set_blocklist(self, programme_id: int, words: Sequence[str]) -> None:
        """A programme's blocked words: its live sessions hold back new texts that use them."""
        await self.core.store.programmes.set_blocklist(programme_id, list(words))
        await self._follow_programme(programme_id)

    async def create_group(self, programme_id: int, name: str, members: Sequence[str]) -> Group:
        group = await self.core.store.groups.create(programme_id, name, members)
        await self._follow_programme(programme_id)
        return group

    async def update_group(
        self, programme_id: int, group_id: int, name: str, members: Sequence[str]
    ) -> bool:
        if not await self.core.store.groups.update(programme_id, group_id, name, members):
            return False
        await self._follow_programme(programme_id)
        return True

    async def delete_group(self, programme_id: int, group_id: int) -> bool:
        """Delete a network group; its phones in live sessions are told they are in none."""
        if not await self.core.store.groups.delete(programme_id, group_id):
            return False
        await self._follow_programme(programme_id)
        return True
