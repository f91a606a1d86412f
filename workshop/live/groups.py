"""The groups of a live session: forming them on the spot, renaming them, moving a phone,
handing out roles, and following the programme's network groups as they change."""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Mapping

from workshop.i18n import Message
from workshop.kinds import InGroups, in_groups
from workshop.live.core import Core
from workshop.live.room import Room
from workshop.models import AgendaItem, Participant

#: Names for groups formed on the spot (translated; "Group 13" after the last).
GROUP_NAMES = (
    Message("Birch"),
    Message("Rowan"),
    Message("Juniper"),
    Message("Heather"),
    Message("Bluebell"),
    Message("Cloudberry"),
    Message("Lingonberry"),
    Message("Pine"),
    Message("Aspen"),
    Message("Willow"),
    Message("Clover"),
    Message("Fern"),
)


def deal_roles(
    room: Room,
    item: AgendaItem,
    kind: InGroups,
    online: Collection[int],
    groups: Mapping[int, int | None] | None = None,
) -> dict[int, int]:
    """The roles handed out at random inside every group among its connected phones; a
    group smaller than the role list gets the first roles of the list. ``groups`` gives
    phones' groups that differ from the room's (groups being formed)."""
    roles = kind.roles(item.settings)
    known = {g.id for g in room.groups} if groups is None else set(groups.values())
    by_group: dict[int, list[int]] = {}
    for pid in sorted(online):
        phone = room.participants.get(pid)
        group = groups.get(pid) if groups is not None else (phone.group_id if phone else None)
        if group is not None and group in known:
            by_group.setdefault(group, []).append(pid)
    dealt: dict[int, int] = {}
    for phones in by_group.values():
        random.shuffle(phones)
        for index, pid in enumerate(phones[: len(roles)]):
            dealt[pid] = index
    return dealt


def group_names(count: int) -> list[str]:
    return [
        str(GROUP_NAMES[i]) if i < len(GROUP_NAMES) else str(Message("Group %(num)d", num=i + 1))
        for i in range(count)
    ]


class GroupCommands:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def form(
        self, session_id: int, *, count: int | None = None, size: int | None = None
    ) -> int:
        """Groups formed on the spot among the phones connected now, at random and balanced
        in size (N groups, or groups of about K); forming again replaces them. Returns how
        many groups were formed (0: no phone is connected)."""
        room = await self.core.room(session_id)
        present = sorted(self.core.hub.online(session_id))
        if room is None or not present:
            return 0
        random.shuffle(present)
        wanted = count if count else math.ceil(len(present) / max(1, size or 1))
        wanted = max(1, min(wanted, len(present)))
        dealt: list[list[int]] = [[] for _ in range(wanted)]
        for index, pid in enumerate(present):
            dealt[index % wanted].append(pid)
        store = self.core.store
        async with store.transaction() as tx:
            await store.groups.form(
                tx,
                session_id,
                room.session.programme_id,
                list(zip(group_names(wanted), dealt, strict=True)),
            )
            item, kind = room.item, room.kind
            if item is not None and in_groups(kind) and kind.roles(item.settings):
                # New groups, new roles: dealt among the groups as they are now formed.
                new = await store.groups.of_session_in(tx, session_id)
                places = {pid: new[i].id for i, members in enumerate(dealt) for pid in members}
                await store.groups.set_roles(
                    tx, item.id, deal_roles(room, item, kind, present, places)
                )
        await self.core.reread(session_id)
        return wanted

    async def rename(self, session_id: int, group_id: int, name: str) -> bool:
        if not await self.core.store.groups.rename(session_id, group_id, name):
            return False
        await self.core.reread(session_id)
        return True

    async def move(self, session_id: int, participant_id: int, group_id: int | None) -> bool:
        """Put a phone in another group: from now on it gets that group's pushes."""
        room = await self.core.room(session_id)
        phone = room.participants.get(participant_id) if room is not None else None
        if phone is None:
            return False
        if not await self.core.store.groups.move(session_id, participant_id, group_id):
            return False
        moved = Participant(phone.id, phone.session_id, phone.name, group_id)
        self.core.rooms.apply(session_id, lambda r: r.put_participant(moved))
        self.core.hub.move(session_id, participant_id, group_id)
        # Only the moved phone needs its new group's area; the screens see the groups.
        self.core.fanout.phone_to_group(session_id, participant_id)
        self.core.fanout.screens_full(session_id)
        return True

    async def draw_roles(self, session_id: int) -> None:
        """Hand out the roles again, in every group, among the phones connected now."""
        room = await self.core.room(session_id)
        if room is None or room.item is None or not in_groups(room.kind):
            return
        roles = deal_roles(room, room.item, room.kind, self.core.hub.online(session_id))
        item_id = room.item.id
        async with self.core.store.transaction() as tx:
            await self.core.store.groups.set_roles(tx, item_id, roles)

        def dealt(r: Room) -> None:
            if r.item is not None and r.item.id == item_id:
                r.roles = dict(roles)

        self.core.rooms.apply(session_id, dealt)
        self.core.stage_changed(session_id)

    async def programme_changed(self, programme_id: int) -> None:
        """The programme's network groups changed: its live sessions follow at once (every
        socket moves to its phone's group as it is now; a deleted group's phones are told)."""
        for session_id in self.core.rooms.sessions():
            room = self.core.rooms.cached(session_id)
            if room is not None and room.session.programme_id == programme_id:
                await self.core.reread(session_id)
