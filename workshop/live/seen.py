"""What the audiences see of a live session's room: the screens' snapshot and a phone's view.

Each is a method of :class:`workshop.live.room.Room`, defined here and set on
the class there as it is (no wrapper): ``self`` is the room.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from workshop import phases
from workshop.clock import Timer, now
from workshop.kinds import (
    DraftRecord,
    ExerciseKind,
    ResponseRecord,
    kept_private,
    phased,
    shared_with_room,
)
from workshop.live.after_close import still_open
from workshop.live.state import LiveState, PhoneState, _role, drafts_for
from workshop.models import AgendaItem
from workshop.phases import PhaseNow

if TYPE_CHECKING:
    from workshop.live.room import Room


def phase(self: Room, at: dt.datetime) -> tuple[AgendaItem | None, PhaseNow | None]:
    """The current item as it is at ``at``: an item in phases rolled to that moment."""
    return rolled(self.item, self.kind, at)


def snapshot(self: Room, online: frozenset[int], online_version: int) -> LiveState:
    """The whole room now (shared by the screens' renders of this version)."""
    key = (self.stage, self.results, self.roster, online_version)
    if self._snapshot is not None and self._snapshot[0] == key:
        return self._snapshot[1]
    at = now()
    item, phase = self.phase(at)
    state = LiveState(
        session=self.session,
        items=tuple(self.items),
        item=item,
        kind=self.kind,
        responses=self._for_screens(),
        themes=tuple(self.themes),
        curation=self.curation,
        groups=tuple(self.groups),
        participants=dict(self.participants),
        roles=dict(self.roles),
        online=online,
        phase=phase,
        server_now=at,
        drawing=self.drawing,
        version=self.version,
        stage=self.stage,
        tallies=self.tallies,
        still_open=still_open(self.ends, at),
        drafts=self._drafts(),
    )
    self._snapshot = (key, state)
    return state


def _drafts(self: Room, group_id: int | None | str = "all") -> tuple[DraftRecord, ...]:
    """The versions in order: all of them, or those a group sees (kept until one more
    is saved: versions are only ever added)."""
    if self._versions[0] != len(self.drafts):
        ordered = tuple(sorted(self.drafts.values(), key=lambda d: d.id))
        self._versions = (len(self.drafts), {"all": ordered})
    kept = self._versions[1]
    found = kept.get(group_id)
    if found is None:
        found = kept[group_id] = drafts_for(kept["all"], cast(int | None, group_id))
    return found


def _for_screens(self: Room) -> tuple[ResponseRecord, ...]:
    """The responses as the screens get them: a kind kept private gives them without
    their values (the screens count them, and never hold a word of them)."""
    if kept_private(self.kind):
        return tuple(replace(r, value={}) for r in self.responses.values())
    return tuple(self.responses.values())


def phone(self: Room, participant_id: int) -> PhoneState | None:
    """What one phone sees now (None: it is not a phone of this session)."""
    participant = self.participants.get(participant_id)
    if participant is None:
        return None
    at = now()
    item, phase = self.phase(at)
    group = self.group_of(participant_id)
    listed: tuple[ResponseRecord, ...] = ()
    keeps_list = False
    if group is not None:
        if self.kind is not None and self.kind.phones_see == "group":
            listed = self.group_list(group.id)
        keepers = self._keepers(item).get(group.id, set())
        keeps_list = not keepers or participant_id in keepers
    role = _role(self.kind, item, self.roles.get(participant_id))
    return PhoneState(
        session=self.session,
        item=item,
        kind=self.kind,
        phase=phase,
        participant=participant,
        group=group,
        own=tuple(self.own(participant_id)),
        group_responses=listed,
        role=role,
        keeps_list=keeps_list,
        note=self.notes.get(participant_id, ""),
        voted=frozenset(self.voted.get(participant_id, ())),
        server_now=at,
        shared=self.shared_result(),
        stage=self.stage,
        recovery_code=self.codes.get(participant_id),
        drafts=self._drafts(group.id if group is not None else None) if self.drafts else (),
    )


def shared_result(self: Room) -> Any:
    """What every phone sees of the responses (kept until they change)."""
    if self.item is None or not shared_with_room(self.kind):
        return None
    if self._shared[0] != self.results:
        shown = [r for r in self.responses.values() if not r.pending and not r.hidden]
        self._shared = (
            self.results,
            self.kind.phone_result(self.item.settings, shown, self.curation),
        )
    return self._shared[1]


def group_list(self: Room, group_id: int) -> tuple[ResponseRecord, ...]:
    """A group's list, in its order (kept until the responses change)."""
    if self._lists[0] != self.results:
        self._lists = (self.results, {})
    found = self._lists[1].get(group_id)
    if found is None:
        found = tuple(
            sorted(
                (r for r in self.responses.values() if r.group_id == group_id),
                key=lambda r: (r.position or 0, r.id),
            )
        )
        self._lists[1][group_id] = found
    return found


def _keepers(self: Room, item: AgendaItem | None) -> dict[int | None, set[int]]:
    """Per group, the phones whose role keeps the list (kept until the stage changes)."""
    if self._keeping[0] != self.stage:
        found: dict[int | None, set[int]] = {}
        for pid, index in self.roles.items():
            role = _role(self.kind, item, index)
            phone = self.participants.get(pid)
            if role is not None and role.keeps_list and phone is not None:
                found.setdefault(phone.group_id, set()).add(pid)
        self._keeping = (self.stage, found)
    return self._keeping[1]


def rolled(
    item: AgendaItem | None, kind: ExerciseKind | None, at: dt.datetime
) -> tuple[AgendaItem | None, PhaseNow | None]:
    """An item in phases as it is at ``at``: its timer and phase rolled to that moment."""
    if item is None or not phased(kind):
        return item, None
    steps = kind.phases(item.settings)
    if not steps:
        return item, None
    phase = phases.roll(item.phase, Timer(item.timer_ends_at, item.timer_paused_ms), steps, at)
    moved = replace(
        item,
        phase=phase.index,
        timer_ends_at=phase.timer.ends_at,
        timer_paused_ms=phase.timer.paused_ms,
    )
    return moved, phase
