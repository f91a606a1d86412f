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
What the audiences see of it (the screens' snapshot, a phone's view) is built
by :mod:`workshop.live.seen`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from workshop.effects import Curation
from workshop.kinds import DraftRecord, ExerciseKind, ResponseRecord
from workshop.live import seen
from workshop.live.state import LiveState
from workshop.models import AgendaItem, Group, Participant, Session, Theme


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

    # -- what the audiences see (``workshop.live.seen``: the functions, as they are) ------

    phase = seen.phase
    snapshot = seen.snapshot
    _drafts = seen._drafts
    _for_screens = seen._for_screens
    phone = seen.phone
    shared_result = seen.shared_result
    group_list = seen.group_list
    _keepers = seen._keepers


def _same_item(a: Room, b: Room) -> bool:
    return a.item is not None and b.item is not None and a.item.id == b.item.id
