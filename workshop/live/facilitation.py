"""The facilitators' commands on a live session: opening and closing it, moving through
the agenda, the timer and its phases, the switches, moderation, and the kinds' own
facilitator actions (merge, hide, highlight, themes...)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workshop import phases
from workshop.clock import Timer, TimerAction, apply, now
from workshop.effects import Refused, as_list
from workshop.i18n import Message
from workshop.kinds import Fields, in_groups
from workshop.live.core import Core
from workshop.live.effects import NOT_THERE, Actor, Outcome, Target, approved, execute
from workshop.live.groups import deal_roles
from workshop.live.room import Room
from workshop.live.state import LiveState
from workshop.models import AgendaItem, JoinBanner, PresentView
from workshop.phases import PHASE_ACTIONS

NO_ITEM = Message("That item is not the current one any more.")


class FacilitatorCommands:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def state(self, session_id: int) -> LiveState | None:
        """The session as its screens show it now."""
        room = await self.core.room(session_id)
        return self.core.fanout.state(room) if room is not None else None

    async def language(self, session_id: int) -> str | None:
        """The session's participants' language, the presenter's (None: no such session)."""
        room = await self.core.room(session_id)
        return room.language if room is not None else None

    async def first(self, session_id: int, audience: str, language: str) -> str | None:
        """The full state for a screen's new socket."""
        room = await self.core.room(session_id)
        if room is None:
            return None
        return self.core.fanout.first_for_screen(room, audience, language)

    async def start(self, session_id: int) -> None:
        """Open the session for phones: a join code (kept if it has one), the first item."""
        await self.core.store.live.start(session_id)
        await self.core.reread(session_id)

    async def close(self, session_id: int) -> None:
        """Close the session: its join code is retired, and everything kept for it dropped."""
        async with self.core.store.transaction() as tx:
            await self.core.store.live.close(tx, session_id)
        await self.core.reread(session_id)

    async def go_to(self, session_id: int, item_id: int) -> bool:
        """Make an item current; in a kind done in groups, hand out its roles the first time."""
        room = await self.core.room(session_id)
        item = next((i for i in room.items if i.id == item_id), None) if room else None
        if room is None or item is None:
            return False
        store = self.core.store
        async with store.transaction() as tx:
            if not await store.live.go_to(tx, session_id, item_id):
                return False
            kind = self.core.kinds.get(item.exercise_kind or "")
            if in_groups(kind) and kind.roles(item.settings):
                if not await store.groups.roles_drawn(tx, item_id):
                    roles = deal_roles(room, item, kind, self.core.hub.online(session_id))
                    await store.groups.set_roles(tx, item_id, roles)
        await self.core.reread(session_id)
        return True

    async def step(self, session_id: int, by: int) -> None:
        """Go to the next (1) or previous (-1) item."""
        room = await self.core.room(session_id)
        if room is None or not room.items:
            return
        ids = [i.id for i in room.items]
        here = ids.index(room.item.id) if room.item is not None and room.item.id in ids else -1
        target = max(0, min(len(ids) - 1, here + by))
        if target != here:
            await self.go_to(session_id, ids[target])

    async def timer(self, session_id: int, action: str) -> None:
        """Start, pause, extend (+1 min) or end the current item's timer (or phase)."""
        room = await self.core.room(session_id)
        if room is None or room.item is None:
            return
        at = now()
        item, phase = room.phase(at)
        assert item is not None
        if phase is not None:
            moved = phases.act(action, phase, at)
            timer, index = moved.timer, moved.index
        else:
            current = Timer(item.timer_ends_at, item.timer_paused_ms)
            name: TimerAction = "end" if action == "skip" else action  # type: ignore[assignment]
            timer, index = apply(name, current, item.duration_min, at), item.phase
        async with self.core.store.transaction() as tx:
            await self.core.store.live.set_timer(tx, session_id, item.id, timer, index)
        changed = replace(
            item, timer_ends_at=timer.ends_at, timer_paused_ms=timer.paused_ms, phase=index
        )
        self.core.rooms.apply(session_id, lambda r: _set_item(r, changed))
        self.core.stage_changed(session_id)

    async def switch(
        self,
        session_id: int,
        *,
        results_visible: bool | None = None,
        responses_locked: bool | None = None,
        join_banner: JoinBanner | None = None,
        present_view: PresentView | None = None,
        paging_paused: bool | None = None,
    ) -> None:
        """Show or hide results on the presenter; lock or unlock answers; how the presenter
        shows the join code, whether it shows the item's themes, whether it pages."""
        given: dict[str, Any] = {
            name: value
            for name, value in (
                ("results_visible", results_visible),
                ("responses_locked", responses_locked),
                ("join_banner", join_banner),
                ("present_view", present_view),
                ("paging_paused", paging_paused),
            )
            if value is not None
        }
        async with self.core.store.transaction() as tx:
            await self.core.store.live.set_switches(
                tx,
                session_id,
                results_visible=results_visible,
                responses_locked=responses_locked,
                join_banner=join_banner,
                present_view=present_view,
                paging_paused=paging_paused,
            )

        def switched(room: Room) -> None:
            room.session = replace(room.session, **given)

        self.core.rooms.apply(session_id, switched)
        self.core.stage_changed(session_id)

    async def turn_page(self, session_id: int, by: int) -> bool:
        """Turn the page on every presenter of the session: the next (1) or the previous
        (-1), wrapping at the ends, whether the screens page by themselves, are paused (they
        stay paused) or ask for reduced motion. False: no current item to turn."""
        if by not in (1, -1):
            raise ValueError(f"a page turn is 1 or -1, not {by}")
        room = await self.core.room(session_id)
        if room is None or room.item is None or room.session.live_state != "live":
            return False
        async with self.core.store.transaction() as tx:
            await self.core.store.live.turn_page(tx, session_id, by)

        def turned(room: Room) -> None:
            room.session = replace(room.session, page_turn=room.session.page_turn + by)

        self.core.rooms.apply(session_id, turned)
        self.core.stage_changed(session_id)
        return True

    async def moderate(
        self, session_id: int, item_id: int, response_id: int | None, *, approve: bool
    ) -> None:
        """Approve a response held back (None: every one), or hide it; its author's phone
        no longer says it is waiting."""
        room = await self._on_item(session_id, item_id)
        store = self.core.store
        async with store.transaction() as tx:
            if response_id is None:
                records = await store.responses.approve_all(tx, item_id)
            else:
                one = await store.responses.mark(
                    tx,
                    item_id,
                    response_id,
                    **({"pending": False} if approve else {"hidden": True}),
                )
                if one is None:
                    raise Refused(NOT_THERE, 404)
                records = [one]
        outcome: Outcome = approved(records, item_id)
        self.core.changed(room.session.id, outcome)

    async def act(self, session_id: int, item_id: int, name: str, fields: Fields) -> None:
        """One of the current item's facilitator actions (raises Refused or forms.Invalid)."""
        room = await self._on_item(session_id, item_id)
        assert room.item is not None and room.kind is not None
        action = room.kind.facilitator_actions().get(name)
        if action is None:
            raise Refused(Message("Page not found."), 404)
        state = self.core.fanout.state(room)
        effects = as_list(action.handle(room.item.settings, state, fields))
        target = Target(session_id, room.item, room.kind, room.blocked)
        store = self.core.store
        async with store.transaction() as tx:
            outcome = await execute(store, tx, target, Actor(), effects)
        if outcome.refused is not None:
            raise outcome.refused
        self.core.changed(session_id, outcome)

    async def _on_item(self, session_id: int, item_id: int) -> Room:
        room = await self.core.room(session_id)
        if room is None or room.item is None or room.kind is None or room.item.id != item_id:
            raise Refused(NO_ITEM, 404)
        return room


def _set_item(room: Room, item: AgendaItem) -> None:
    room.items = [item if i.id == item.id else i for i in room.items]
    if room.item is not None and room.item.id == item.id:
        room.item = item


__all__ = ["FacilitatorCommands", "PHASE_ACTIONS"]
