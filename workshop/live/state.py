"""What the audiences of a live session render: the room's state, and one phone's.

:class:`LiveState` is the whole room at one version: every response to the
current item, the groups and their phones, who is connected. The screens
render it (once per audience and language, shared by every socket).
:class:`PhoneState` is what one phone may know: the current item, its own
responses, its group's list when the kind shows one, its role and its private
note. Both are frozen snapshots built by :mod:`workshop.live.room`; neither
reads the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from workshop.effects import Curation
from workshop.forms import name_key
from workshop.kinds import (
    DraftRecord,
    ExerciseKind,
    ResponseRecord,
    Role,
    in_groups,
    paged_on_screen,
    shared_with_room,
)
from workshop.models import AgendaItem, Group, Participant, Session, Theme
from workshop.phases import PhaseNow


def _role(kind: ExerciseKind | None, item: AgendaItem | None, index: int | None) -> Role | None:
    if index is None or item is None or not in_groups(kind):
        return None
    roles = kind.roles(item.settings)
    return roles[index] if 0 <= index < len(roles) else None


def drafts_for(drafts: tuple[DraftRecord, ...], group_id: int | None) -> tuple[DraftRecord, ...]:
    """The versions a group may see: its own and the common ones (no group: the common)."""
    return tuple(d for d in drafts if d.group_id is None or d.group_id == group_id)


@dataclass(frozen=True)
class LiveState:
    """Everything a screen needs to render the session as it is now."""

    session: Session
    items: tuple[AgendaItem, ...]
    #: The current item (for an item in phases, its timer rolled to ``server_now``).
    item: AgendaItem | None
    kind: ExerciseKind | None
    #: Every response to the current item, oldest first.
    responses: tuple[ResponseRecord, ...]
    themes: tuple[Theme, ...]
    curation: Curation
    #: The session's groups, and every phone that joined it (by id).
    groups: tuple[Group, ...]
    participants: Mapping[int, Participant]
    #: Each phone's role in the current item (an index into the kind's roles).
    roles: Mapping[int, int]
    #: The phones with a socket open now.
    online: frozenset[int]
    phase: PhaseNow | None
    server_now: dt.datetime
    #: The newest drawing of the current item's result (``Drawn`` kinds).
    drawing: Any = None
    version: int = 0
    #: Changes with the item, its settings, the switches, the timer and the groups.
    stage: int = 0
    #: A closed session's record: per agenda item, its responses and the phones that
    #: gave them (empty while the session runs).
    tallies: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    #: A closed session's item its phones can still answer, and until when.
    still_open: tuple[AgendaItem, dt.datetime] | None = None
    #: Every saved version of the current item's thread in its programme, oldest first
    #: (all its sessions; ``Drafted`` kinds): the groups' and the common ones.
    drafts: tuple[DraftRecord, ...] = ()
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def result(self) -> Any:
        """The current item's live result (what its kind's ``summarise`` returns)."""
        if self.item is None or self.kind is None:
            return None
        if "result" not in self._memo:
            self._memo["result"] = self.kind.summarise(
                self.item.settings, self.approved, self.curation
            )
        return self._memo["result"]

    def phone_result(self) -> Any:
        """What every phone sees of the item's responses (``phones_see = "room"``)."""
        if self.item is None or not shared_with_room(self.kind):
            return None
        if "phone_result" not in self._memo:
            self._memo["phone_result"] = self.kind.phone_result(
                self.item.settings, self.shown, self.curation
            )
        return self._memo["phone_result"]

    @cached_property
    def approved(self) -> tuple[ResponseRecord, ...]:
        return tuple(r for r in self.responses if not r.pending)

    @cached_property
    def shown(self) -> tuple[ResponseRecord, ...]:
        """The responses the room may see: approved and not hidden."""
        return tuple(r for r in self.responses if not r.pending and not r.hidden)

    @cached_property
    def pending(self) -> tuple[ResponseRecord, ...]:
        """Responses waiting for a facilitator's approval (not hidden)."""
        return tuple(r for r in self.responses if r.pending and not r.hidden)

    @property
    def answered(self) -> int:
        """How many phones have responded to the current item."""
        return len({r.participant_id for r in self.responses})

    @property
    def phones(self) -> int:
        """How many phones are connected."""
        return len(self.online)

    @property
    def position(self) -> int:
        ids = [i.id for i in self.items]
        return ids.index(self.item.id) if self.item is not None and self.item.id in ids else -1

    @property
    def live(self) -> bool:
        return self.session.live_state == "live"

    @property
    def banner(self) -> str:
        """How the presenter shows the join code now: "large", "corner" or "hidden". By
        default it is large while the room joins (no item yet, or the agenda's first),
        and a corner badge from the second item on; the facilitator can choose."""
        if not self.live or not self.session.join_code:
            return "hidden"
        if self.session.join_banner != "auto":
            return self.session.join_banner
        return "large" if self.position <= 0 else "corner"

    @property
    def themes_view(self) -> bool:
        """The presenter shows the item's themes instead of its result."""
        return self.session.present_view == "themes" and bool(self.themes)

    @property
    def pages_on_screen(self) -> bool:
        """The presenter may page through what it shows (a list longer than fits)."""
        if self.item is None or self.kind is None:
            return False
        if self.themes_view:
            return True
        return paged_on_screen(self.kind) and self.kind.pages_on_screen(self.item.settings)

    @property
    def next_item(self) -> AgendaItem | None:
        """The agenda item after the current one; the first before any is current (None:
        the current one is the last)."""
        here = self.position
        return self.items[here + 1] if here < len(self.items) - 1 else None

    # -- groups ------------------------------------------------------------------

    def group(self, group_id: int | None) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    @cached_property
    def _by_group(self) -> dict[int | None, list[Participant]]:
        known = {g.id for g in self.groups}
        found: dict[int | None, list[Participant]] = {}
        for phone in self.participants.values():
            key = phone.group_id if phone.group_id in known else None
            found.setdefault(key, []).append(phone)
        return found

    def in_group(self, group_id: int | None) -> list[Participant]:
        """The phones of a group, in joining order (None: the phones in no group)."""
        return self._by_group.get(group_id, [])

    @cached_property
    def _joined_names(self) -> frozenset[str]:
        return frozenset(name_key(p.name) for p in self.participants.values() if p.name)

    def not_joined(self, group: Group) -> list[str]:
        """The group's pasted members that no phone of the session has joined as."""
        return [m for m in group.members if name_key(m) not in self._joined_names]

    def group_responses(self, group_id: int | None) -> list[ResponseRecord]:
        """A group's list, in its order (none for the phones in no group)."""
        if group_id is None:
            return []
        found = [r for r in self.responses if r.group_id == group_id]
        return sorted(found, key=lambda r: (r.position or 0, r.id))

    def group_drafts(self, group_id: int | None) -> tuple[DraftRecord, ...]:
        """What a group's phones may see of the saved versions: the group's own and the
        common ones, oldest first (None: the phones in no group, the common ones only)."""
        return drafts_for(self.drafts, group_id)

    def role_of(self, participant_id: int) -> Role | None:
        return _role(self.kind, self.item, self.roles.get(participant_id))

    def keepers(self, group_id: int | None) -> set[int]:
        """The phones of a group that keep its list (edit and order it)."""
        keepers = set()
        for phone in self.in_group(group_id):
            role = self.role_of(phone.id)
            if role is not None and role.keeps_list:
                keepers.add(phone.id)
        return keepers


@dataclass(frozen=True)
class PhoneState:
    """What one phone may see of the session now: never another phone's answers."""

    session: Session
    item: AgendaItem | None
    kind: ExerciseKind | None
    phase: PhaseNow | None
    participant: Participant
    #: The phone's group (None: it is in none).
    group: Group | None
    #: Its own responses to the current item, oldest first.
    own: tuple[ResponseRecord, ...]
    #: Its group's list, in order (kinds done in groups).
    group_responses: tuple[ResponseRecord, ...]
    role: Role | None
    #: Whether it may edit and order its group's list: it keeps the list, or the
    #: group has nobody who does.
    keeps_list: bool
    note: str
    #: The responses it voted for.
    voted: frozenset[int]
    server_now: dt.datetime
    #: What every phone sees of the item's responses (``phones_see = "room"``).
    shared: Any = None
    #: Changes with the item, its settings, the switches, the timer and the groups.
    stage: int = 0
    #: A recovery code just given to this phone's person (kinds that follow the phone),
    #: shown to this phone only until the session ends.
    recovery_code: str | None = None
    #: The saved versions of the item's thread this phone may see (``Drafted`` kinds):
    #: its own group's and the common ones, oldest first; never another group's.
    drafts: tuple[DraftRecord, ...] = ()

    @property
    def live(self) -> bool:
        return self.session.live_state == "live"

    @property
    def locked(self) -> bool:
        return self.session.responses_locked

    @property
    def participant_id(self) -> int:
        return self.participant.id

    @classmethod
    def anyone(cls, state: LiveState) -> PhoneState:
        """A phone with nothing of its own yet (no answer, role, note or vote): what every
        such phone sees, rendered once for all of them."""
        return cls(
            session=state.session,
            item=state.item,
            kind=state.kind,
            phase=state.phase,
            participant=Participant(0, state.session.id, ""),
            group=None,
            own=(),
            group_responses=(),
            role=None,
            keeps_list=False,
            note="",
            voted=frozenset(),
            server_now=state.server_now,
            shared=state.phone_result(),
            stage=state.stage,
            drafts=state.group_drafts(None),
        )

    def own_response(self, response_id: int) -> ResponseRecord | None:
        return next((r for r in self.own if r.id == response_id), None)

    def group_response(self, response_id: int) -> ResponseRecord | None:
        return next((r for r in self.group_responses if r.id == response_id), None)
