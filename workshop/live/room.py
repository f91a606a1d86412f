"""A live session held in memory: the one copy of its state the commands change.

A :class:`Room` is read from the store once (``workshop.live.loading``) and
then kept up to date by the commands: each applies its change right after its
commit, so the next request of the phone that made it sees it, with no read.
Every change is *idempotent* (it sets, it does not add), so a change that
arrives while the room is being read again can be applied to the fresh copy
too without counting twice (``workshop.live.cache``).

Version counters tell the renders what changed: ``stage`` (the item, the
switches, the timer, the groups: everything), ``results`` (the item's
responses, curation and themes) and one per group (that group's list).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, cast

from workshop import phases
from workshop.clock import Timer, now
from workshop.effects import Curation
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
from workshop.models import AgendaItem, Group, Participant, Session, Theme
from workshop.phases import PhaseNow


def _never_blocked(_text: str) -> bool:
    return False


def _no_versions() -> tuple[int, dict[int | None | str, tuple[DraftRecord, ...]]]:
    return (0, {"all": ()})


@dataclass
class Room:
    """One live session's state, as its commands keep it."""

    session: Session
    items: list[AgendaItem]
    item: AgendaItem | None
    kind: ExerciseKind | None
    responses: dict[int, ResponseRecord] = field(default_factory=dict)
    #: (phone, idempotency key) → response id, for the current item's responses.
    keys: dict[tuple[int, str], int] = field(default_factory=dict)
    themes: list[Theme] = field(default_factory=list)
    curation: Curation = field(default_factory=dict)
    participants: dict[int, Participant] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    roles: dict[int, int] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    voted: dict[int, set[int]] = field(default_factory=dict)
    #: Recovery codes given this session (kinds that follow the phone), until the phone
    #: knows it: held in memory only, and shown to that phone alone.
    codes: dict[int, str] = field(default_factory=dict)
    #: Whether a text holds a word of the programme's blocklist.
    blocked: Callable[[str], bool] = _never_blocked
    drawing: Any = None
    #: The programme's participants' language (the session's own, when set, wins).
    programme_language: str = "nb"
    #: A closed session's record (read with the room): responses and phones per item.
    tallies: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: The room of an item still open after its session closed (``workshop.live.late``).
    after_close: bool = False
    #: A closed session's items that stay open after it, and until when.
    ends: list[tuple[AgendaItem, dt.datetime]] = field(default_factory=list)
    #: The saved versions of the current item's thread (``Drafted`` kinds), by id.
    drafts: dict[int, DraftRecord] = field(default_factory=dict)
    stage: int = 1
    results: int = 1
    #: Counts joins (and moves): the screens list the phones.
    roster: int = 1
    group_versions: dict[int | None, int] = field(default_factory=dict)
    _by_phone: dict[int, list[int]] = field(default_factory=dict)
    _snapshot: tuple[tuple[int, int, int, int], LiveState] | None = None
    _lists: tuple[int, dict[int, tuple[ResponseRecord, ...]]] = (0, {})
    _keeping: tuple[int, dict[int | None, set[int]]] = (0, {})
    _shared: tuple[int, Any] = (0, None)
    _versions: tuple[int, dict[int | None | str, tuple[DraftRecord, ...]]] = field(
        default_factory=_no_versions
    )

    @property
    def language(self) -> str:
        """The participants' language: the presenter's, and a phone's unless it chose."""
        return self.session.language or self.programme_language

    # -- versions --------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self.stage * 1_000_003 + self.results

    def continue_from(self, older: Room) -> None:
        """A fresh read of the room: its versions go on from the copy it replaces."""
        self.stage = older.stage + 1
        self.results = older.results + 1
        self.roster = older.roster + 1
        self.group_versions = {g: v + 1 for g, v in older.group_versions.items()}
        self.drawing = older.drawing if _same_item(older, self) else None
        self.codes = {**older.codes, **self.codes}

    def changed_stage(self) -> None:
        self.stage += 1

    def changed_results(self, group_id: int | None = None) -> None:
        self.results += 1
        if group_id is not None:
            self.group_versions[group_id] = self.group_versions.get(group_id, 0) + 1

    def group_version(self, group_id: int | None) -> int:
        return self.group_versions.get(group_id, 0)

    # -- responses ---------------------------------------------------------------------

    def put_response(
        self, item_id: int, record: ResponseRecord, key: str | None = None, *, votes: bool = True
    ) -> None:
        """A response as stored now (new or changed); ``votes=False`` keeps its count."""
        if self.item is None or self.item.id != item_id:
            return
        known = self.responses.get(record.id)
        if known is not None and not votes:
            record = replace(record, votes=known.votes)
        self.responses[record.id] = record
        mine = self._by_phone.setdefault(record.participant_id, [])
        if record.id not in mine:
            mine.append(record.id)
        if key is not None:
            self.keys[(record.participant_id, key)] = record.id
        self.changed_results(record.group_id)
        if known is not None and known.group_id != record.group_id:
            self.changed_results(known.group_id)

    def drop_response(self, item_id: int, response_id: int) -> None:
        if self.item is None or self.item.id != item_id:
            return
        known = self.responses.pop(response_id, None)
        if known is None:
            return
        mine = self._by_phone.get(known.participant_id, [])
        if response_id in mine:
            mine.remove(response_id)
        for key in [k for k, v in self.keys.items() if v == response_id]:
            del self.keys[key]
        for voted in self.voted.values():
            voted.discard(response_id)
        self.changed_results(known.group_id)

    def set_vote(self, item_id: int, participant_id: int, response_id: int, up: bool) -> None:
        if self.item is None or self.item.id != item_id:
            return
        voted = self.voted.setdefault(participant_id, set())
        known = self.responses.get(response_id)
        if (response_id in voted) == up or known is None:
            return
        if up:
            voted.add(response_id)
        else:
            voted.discard(response_id)
        self.responses[response_id] = replace(known, votes=max(0, known.votes + (1 if up else -1)))
        self.changed_results(known.group_id)

    def set_curation(self, item_id: int, curation: Curation) -> None:
        if self.item is not None and self.item.id == item_id:
            self.curation = curation
            self.changed_results()

    def put_draft(self, item_id: int, draft: DraftRecord) -> None:
        """A version just saved: the group's phones (every group's, for the common draft)
        and the screens follow."""
        if self.item is None or self.item.id != item_id or draft.id in self.drafts:
            return
        self.drafts[draft.id] = draft
        if draft.group_id is not None:
            self.changed_results(draft.group_id)
            return
        self.changed_results()
        for group_id in {None, *(g.id for g in self.groups), *self.group_versions}:
            self.group_versions[group_id] = self.group_versions.get(group_id, 0) + 1

    def set_note(self, item_id: int, participant_id: int, text: str) -> None:
        if self.item is not None and self.item.id == item_id:
            self.notes[participant_id] = text

    def put_code(self, participant_id: int, code: str | None) -> None:
        """A recovery code to show the phone (None: it has none to be shown any more)."""
        if code is None:
            self.codes.pop(participant_id, None)
        else:
            self.codes[participant_id] = code

    def put_theme(self, theme: Theme) -> None:
        if self.item is None or self.item.id != theme.item_id:
            return
        self.themes = [t for t in self.themes if t.id != theme.id] + [theme]
        self.changed_results()

    def drop_theme(self, item_id: int, theme_id: int) -> None:
        if self.item is None or self.item.id != item_id:
            return
        self.themes = [t for t in self.themes if t.id != theme_id]
        self.responses = {
            rid: replace(r, theme_id=None) if r.theme_id == theme_id else r
            for rid, r in self.responses.items()
        }
        self.changed_results()

    def set_drawing(self, item_id: int, drawing: Any) -> None:
        if self.item is not None and self.item.id == item_id:
            self.drawing = drawing
            self.changed_results()

    # -- phones ------------------------------------------------------------------------

    def put_participant(self, participant: Participant) -> None:
        known = self.participants.get(participant.id)
        if known == participant:
            return
        self.participants[participant.id] = participant
        self.roster += 1
        if known is not None and known.group_id != participant.group_id:
            self.changed_stage()

    def own(self, participant_id: int) -> list[ResponseRecord]:
        ids = self._by_phone.get(participant_id, ())
        return [self.responses[i] for i in ids if i in self.responses]

    def count_own(self, participant_id: int) -> int:
        return len(self._by_phone.get(participant_id, ()))

    def has_own(self, participant_id: int) -> bool:
        """Whether the phone has anything of its own to be shown on the current item."""
        return (
            bool(self._by_phone.get(participant_id))
            or participant_id in self.roles
            or bool(self.notes.get(participant_id))
            or bool(self.voted.get(participant_id))
            or participant_id in self.codes
        )

    def with_own(self) -> set[int]:
        """The phones that have something of their own on the current item."""
        found = {pid for pid, ids in self._by_phone.items() if ids}
        found |= set(self.roles) | {pid for pid, text in self.notes.items() if text}
        found |= set(self.codes)
        return found | {pid for pid, voted in self.voted.items() if voted}

    def group_of(self, participant_id: int) -> Group | None:
        phone = self.participants.get(participant_id)
        if phone is None or phone.group_id is None:
            return None
        return next((g for g in self.groups if g.id == phone.group_id), None)

    # -- what the audiences see -----------------------------------------------------------

    def phase(self, at: dt.datetime) -> tuple[AgendaItem | None, PhaseNow | None]:
        """The current item as it is at ``at``: an item in phases rolled to that moment."""
        return rolled(self.item, self.kind, at)

    def snapshot(self, online: frozenset[int], online_version: int) -> LiveState:
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

    def _drafts(self, group_id: int | None | str = "all") -> tuple[DraftRecord, ...]:
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

    def _for_screens(self) -> tuple[ResponseRecord, ...]:
        """The responses as the screens get them: a kind kept private gives them without
        their values (the screens count them, and never hold a word of them)."""
        if kept_private(self.kind):
            return tuple(replace(r, value={}) for r in self.responses.values())
        return tuple(self.responses.values())

    def phone(self, participant_id: int) -> PhoneState | None:
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

    def shared_result(self) -> Any:
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

    def group_list(self, group_id: int) -> tuple[ResponseRecord, ...]:
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

    def _keepers(self, item: AgendaItem | None) -> dict[int | None, set[int]]:
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


def _same_item(a: Room, b: Room) -> bool:
    return a.item is not None and b.item is not None and a.item.id == b.item.id
