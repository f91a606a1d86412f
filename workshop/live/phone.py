"""The phones' commands: joining, acting on the current item, connecting.

A phone's action is its kind's: the core checks that the phone is of the
session, that the item is still the current one, that answers are open and
that the phone is in a group when the action needs one; the kind's handler
turns the posted fields into effects; the effects are written in a
transaction shared with the other phones' writes of that moment, and the
phone is answered only after it committed, with its state as it is now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from workshop import forms
from workshop.effects import Refused, as_list
from workshop.hub import Subscriber
from workshop.i18n import Message, current_language
from workshop.kinds import ExerciseKind, Fields, OwnNote, follows_the_phone
from workshop.live.core import Core
from workshop.live.effects import MOVED_ON, NO_GROUP, Actor, Target, execute
from workshop.live.room import Room
from workshop.live.state import PhoneState
from workshop.models import AgendaItem, Group, Participant, Session
from workshop.phones import PhoneId

KEY_MIN, KEY_MAX = 8, 64
EXPIRED = Message("The form had expired or came from elsewhere. Reload the page and try again.")
NO_ACTION = Message("Page not found.")


class NotJoined(Exception):
    """The phone is not (or no longer) a phone of this session: it must join."""


@dataclass(frozen=True)
class Done:
    """A phone action carried out (or found done by an earlier try)."""

    phone: PhoneState
    #: What to show the phone: regions of its page, or blocks of its kind's template.
    shows: tuple[str, ...]
    #: A response was stored, by this try or an earlier one with the same key.
    sent: bool
    #: The person the phone became by typing a recovery code (its device follows them).
    person: int | None = None


def named_in(groups: Sequence[Group], name: str) -> int | None:
    """The group whose pasted members include this name, when exactly one member matches."""
    key = forms.name_key(name)
    found = [g.id for g in groups for member in g.members if key and forms.name_key(member) == key]
    return found[0] if len(found) == 1 else None


class PhoneCommands:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def session(self, phone: PhoneId, code: str) -> Room:
        """The room of the live session with this code, if the phone is one of its phones."""
        late = self.core.late.cached(phone.session_id, code)
        if late is not None and phone.participant_id in late.participants:
            return late
        room = await self.core.room(phone.session_id)
        if room is not None and room.session.live_state == "closed":
            # An item still open after close: the phones that were in the session answer.
            late = await self.core.late.get(room, code)
            if late is not None and phone.participant_id in late.participants:
                return late
            raise NotJoined
        if (
            room is None
            or room.session.live_state != "live"
            or room.session.join_code != code
            or phone.participant_id not in room.participants
        ):
            raise NotJoined
        return room

    async def join(self, session: Session, name: str, picked: str) -> Participant:
        """A new phone in a live session, in the group it picked, else the one its name is
        listed in, else in none."""
        room = await self.core.room(session.id)
        groups = room.groups if room is not None else []
        if picked:
            group_id = next((g.id for g in groups if str(g.id) == picked), None)
        else:
            group_id = named_in(groups, name)
        participant = await self.core.store.groups.join(session.id, name, group_id)
        self.core.rooms.apply(session.id, lambda r: r.put_participant(participant))
        self.core.fanout.counts_soon(session.id, {participant.id})
        return participant

    async def act(
        self,
        phone: PhoneId,
        code: str,
        item_id: int,
        name: str,
        fields: Fields,
        idem_key: str | None = None,
    ) -> Done:
        """Do one of the current item's phone actions; raises ``Refused``, ``forms.Invalid``
        or ``NotJoined``."""
        room = await self.session(phone, code)
        pid = phone.participant_id
        key = idem_key if idem_key and KEY_MIN <= len(idem_key) <= KEY_MAX else None
        action = room.kind.phone_actions().get(name) if room.kind is not None else None
        shows = action.shows if action is not None else ("answers",)
        # A retry of a request whose first try was stored gets that try's acknowledgement,
        # whatever happened since (the facilitator may have moved on).
        if key is not None and (pid, key) in room.keys:
            return self._done(room, pid, shows, sent=True)
        if room.item is None or room.kind is None or room.item.id != item_id:
            if key is not None and await self.core.store.responses.by_key(pid, key) is not None:
                return self._done(room, pid, shows, sent=True)
            raise Refused(MOVED_ON)
        if action is None:
            raise Refused(NO_ACTION, 404)
        if action.idempotent and key is None:
            raise Refused(EXPIRED)
        if action.locked_out and room.session.responses_locked:
            raise Refused(Message("Answers are closed for this question."))
        group = room.group_of(pid)
        if action.in_group and group is None:
            raise Refused(NO_GROUP)
        state = room.phone(pid)
        assert state is not None
        effects = as_list(action.handle(room.item.settings, state, fields))
        target = Target(
            room.session.id, room.item, room.kind, room.blocked, after_close=room.after_close
        )
        actor = Actor(
            pid,
            group.id if action.in_group and group is not None else None,
            key if action.idempotent else None,
            # The request's language (the phone's own or its session's), read here: the
            # batch may write it from another task.
            current_language(),
        )
        store = self.core.store
        outcome = await store.batch(lambda tx: execute(store, tx, target, actor, effects))
        if outcome.refused is not None:
            raise outcome.refused
        sid = room.session.id
        after = self.core.changed(sid, outcome) or self.core.late.changed(sid, outcome) or room
        sent = bool(outcome.created or outcome.retry or outcome.spent)
        done = self._done(after, pid, shows, sent=sent)
        return replace(done, person=outcome.person) if outcome.person is not None else done

    @staticmethod
    def _done(room: Room, participant_id: int, shows: tuple[str, ...], *, sent: bool) -> Done:
        state = room.phone(participant_id)
        if state is None:
            raise NotJoined
        return Done(state, shows, sent)

    async def follow(self, participant: Participant, device_person: int | None) -> int:
        """A new phone is the person its device cookie names (or a new person): what it
        writes for a kind that follows the phone follows it to the programme's next
        session. The person's id, for the device cookie."""
        person = await self.core.store.people.ensure(device_person)
        await self.core.store.people.link(participant.id, person)
        return person

    async def own_notes(
        self, phone: PhoneId, code: str, item_id: int
    ) -> tuple[AgendaItem, ExerciseKind, list[OwnNote]] | None:
        """The phone's own notes for an item of a kind that follows the phone: this
        session's and its person's in the programme's earlier sessions (None: no such item,
        or its kind keeps none). Raises ``NotJoined``."""
        session, items = await self._with_items(phone, code)
        item = next((i for i in items if i.id == item_id), None)
        kind = self.core.kinds.get(item.exercise_kind or "") if item is not None else None
        if item is None or kind is None or not follows_the_phone(kind):
            return None
        return item, kind, await self._notes(phone, session)

    async def own_downloads(
        self, phone: PhoneId, code: str
    ) -> list[tuple[AgendaItem, ExerciseKind]]:
        """The items of the phone's session (a closed one too) whose kind follows the phone
        and that the phone wrote in: their files stay the phone's to download."""
        try:
            session, items = await self._with_items(phone, code)
        except NotJoined:
            return []
        written = {n.item_id for n in await self._notes(phone, session) if not n.earlier}
        found = []
        for item in items:
            kind = self.core.kinds.get(item.exercise_kind or "")
            if item.id in written and kind is not None and follows_the_phone(kind):
                found.append((item, kind))
        return found

    async def _notes(self, phone: PhoneId, session: Session) -> list[OwnNote]:
        names = [k.name for k in self.core.kinds if follows_the_phone(k)]
        return await self.core.store.people.notes(
            phone.participant_id, session.id, session.programme_id, names
        )

    async def _with_items(self, phone: PhoneId, code: str) -> tuple[Session, list[AgendaItem]]:
        """The phone's session and its agenda: live, or closed (what the phone wrote for a
        kind that follows it stays its own to download). Raises ``NotJoined``."""
        try:
            room = await self.session(phone, code)
        except NotJoined:
            store = self.core.store
            session = await store.live.session(phone.session_id)
            if (
                session is None
                or session.live_state != "closed"
                or await store.live.retired_by(code) != session.id
                or all(
                    p.id != phone.participant_id
                    for p in await store.groups.participants(session.id)
                )
            ):
                raise
            return session, await store.agenda.items(session.id)
        return room.session, list(room.items)

    def connected(self, session_id: int, participant_id: int) -> None:
        """A phone's socket opened or closed: the screens' counts and its row follow."""
        self.core.fanout.counts_soon(session_id, {participant_id})

    async def state(self, phone: PhoneId, code: str) -> PhoneState:
        """What the phone sees now (raises ``NotJoined``)."""
        room = await self.session(phone, code)
        state = room.phone(phone.participant_id)
        if state is None:
            raise NotJoined
        return state

    async def first(self, phone: PhoneId, code: str, language: str, sub: Subscriber) -> str:
        """The full state for a phone's new socket, which from now on gets its group's
        pushes too (nothing can fall between: no wait between the two)."""
        room = await self.session(phone, code)
        group = room.group_of(phone.participant_id)
        self.core.hub.move(room.session.id, phone.participant_id, group.id if group else None)
        html = self.core.fanout.first_for_phone(room, phone.participant_id, language)
        if html is None:
            raise NotJoined
        return html

    async def group_region(self, phone: PhoneId, code: str, language: str) -> str:
        """The phone's group's shared region as the pushes render it, for its page: a
        page loaded in a plenary shows what the next push would (every group's board)."""
        room = await self.session(phone, code)
        return self.core.fanout.group_for_phone(room, phone.participant_id, language)

    @staticmethod
    def shows(phone: PhoneState, name: str) -> tuple[str, ...]:
        """What the phone gets back after an action of this name."""
        action = phone.kind.phone_actions().get(name) if phone.kind is not None else None
        return action.shows if action is not None else ("answers",)

    async def language(self, phone: PhoneId, code: str) -> str | None:
        """The participants' language of the phone's session (None: it is not one of its
        phones)."""
        try:
            room = await self.session(phone, code)
        except NotJoined:
            return None
        return room.language

    async def session_language(self, session_id: int) -> str | None:
        """The participants' language of a session (None: no such session)."""
        room = await self.core.room(session_id)
        return room.language if room is not None else None

    async def by_code(self, code: str) -> Session | None:
        """The live session with this join code (None: there is none)."""
        return await self.core.store.live.by_code(code) if code.isdigit() else None

    async def ended(self, session_id: int) -> Message | None:
        """Why the phone's session no longer answers: it was closed (and the items that
        stayed open after it have closed too); None: it was not closed."""
        found = await self.core.store.live.session(session_id)
        if found is None or found.live_state != "closed":
            return None
        room = await self.core.room(session_id)
        late = await self.core.late.closed_at(room) if room is not None else None
        return late or Message("That session has ended.")

    async def retired(self, code: str) -> bool:
        """Whether the code was a session's that has closed."""
        return code.isdigit() and await self.core.store.live.is_retired(code)

    async def groups(self, session_id: int) -> list[Group]:
        """The groups a new phone of the session can pick."""
        room = await self.core.room(session_id)
        return list(room.groups) if room is not None else []
