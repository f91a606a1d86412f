"""Carrying out a kind's effects: the writes, who may make them, and the room's changes.

Each effect is written inside the transaction it is given, with the
permission it needs written into the statement itself (a phone touches only
its own responses, or its group's list; a response must belong to the item),
so no check can go stale between a read and the write. What changed comes back
as an :class:`Outcome`: the changes for the room, to apply once the
transaction has committed, and which audiences must hear of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from workshop import effects as fx
from workshop.effects import Effect, Refused
from workshop.i18n import Message
from workshop.kinds import (
    DraftRecord,
    ExerciseKind,
    ResponseRecord,
    drafted,
    follows_the_phone,
    shows_text,
)
from workshop.live.cache import Change
from workshop.live.room import Room
from workshop.models import AgendaItem, Theme
from workshop.store import Store, Tx

MOVED_ON = Message("The facilitator has moved on; this question is closed.")
LOCKED = Message("Answers are closed for this question.")
ALL_SENT = Message("You have sent all your answers.")
NOT_THERE = Message("That is not there any more.")
CHANGED = Message("Someone changed this meanwhile. Here it is as it is now.")
NO_VOTE = Message("You can vote only for the others' questions.")
NO_GROUP = Message("You are not in a group yet. The facilitator will place you.")
NO_SUCH_CODE = Message("No one has that recovery code. Check it and try again.")
NOT_YOURS = Message("You can save only your own group's draft.")
NO_NAME = Message("Give the version a name.")
TOO_BIG = Message("This draft is too long to save as a version.")

#: The longest name of a saved version, and the most a version may hold.
DRAFT_NAME_MAX = 100
DRAFT_POINTS_MAX = 200
DRAFT_CHARS_MAX = 100_000


@dataclass(frozen=True)
class Actor:
    """Who acts: a phone (with its group, and the key of its request) or a facilitator."""

    participant_id: int | None = None
    group_id: int | None = None
    idem_key: str | None = None
    #: The language the phone is using ('' for a facilitator): its responses keep it.
    language: str = ""

    @property
    def is_phone(self) -> bool:
        return self.participant_id is not None


@dataclass(frozen=True)
class Target:
    """The item the effects are for, as the room knew it when the action was checked."""

    session_id: int
    item: AgendaItem
    kind: ExerciseKind
    #: Whether a text holds a word of the programme's blocklist.
    blocked: Callable[[str], bool]
    #: The item stays open after its session closed (a late room: ``workshop.live.late``).
    after_close: bool = False


@dataclass
class Outcome:
    """What a transaction did: the room's changes, and who must hear of them."""

    changes: list[Change] = field(default_factory=list)
    #: The item's responses changed: the new ones are appended, the results follow.
    results: bool = False
    #: More than new responses: a response changed or went (or a mark, a theme, the
    #: curation): the screens render again as a whole.
    replaced: bool = False
    groups: set[int | None] = field(default_factory=set)
    #: Phones whose own regions changed through someone else.
    phones: set[int] = field(default_factory=set)
    #: The key was used already: what its first try stored (and for which item).
    retry: tuple[int, ResponseRecord] | None = None
    #: The key's first try was stored and deleted since: nothing more to do.
    spent: bool = False
    refused: Refused | None = None
    created: ResponseRecord | None = None
    #: A recovery code given to the phone's person by this write (shown to that phone only).
    code: str | None = None
    #: The person the phone became by typing their recovery code.
    person: int | None = None
    #: Every group's phones must hear of it (a common draft saved), not only ``groups``'.
    every_group: bool = False
    #: The version this write saved (``SaveDraft``).
    draft: DraftRecord | None = None

    def apply(self, room: Room) -> None:
        for change in self.changes:
            change(room)


def held_back(target: Target, value: fx.Value) -> bool:
    """Whether a phone's text must wait for approval: the item asks for it, or it holds a
    word of the programme's blocklist. A response with no text the room would read (an
    evaluation's ratings, a blank answer) has nothing to approve."""
    if not shows_text(target.kind):
        return False
    text = target.kind.shown_text(value)
    if not text.strip():
        return False
    if target.item.settings.get("approve"):
        return True
    return target.blocked(text)


async def execute(
    store: Store, tx: Tx, target: Target, actor: Actor, effects: Sequence[Effect]
) -> Outcome:
    """Write the effects in ``tx``; a refusal leaves nothing of them written."""
    outcome = Outcome()
    several = len(effects) > 1
    if several:
        await tx.execute("SAVEPOINT action")
    inserts = 0
    try:
        for effect in effects:
            acting = actor
            if isinstance(effect, fx.Insert):
                # An action may insert several responses (an evaluation's rating and its
                # texts): the second and later carry the request's key with their number.
                inserts += 1
                if inserts > 1 and actor.idem_key is not None:
                    acting = replace(actor, idem_key=f"{actor.idem_key}:{inserts}")
            await _one(store, tx, target, acting, effect, outcome)
    except Refused as refusal:
        if several:
            await tx.execute("ROLLBACK TO action")
            await tx.execute("RELEASE action")
        return Outcome(refused=refusal, retry=outcome.retry, spent=outcome.spent)
    if several:
        await tx.execute("RELEASE action")
    return outcome


async def _one(
    store: Store, tx: Tx, target: Target, actor: Actor, effect: Effect, out: Outcome
) -> None:
    responses = store.responses
    item_id = target.item.id
    own = actor.participant_id
    group = actor.group_id if actor.is_phone else None
    match effect:
        case fx.Insert(value=value, to_group=to_group):
            if own is None or actor.idem_key is None:
                raise Refused(NOT_THERE, 404)
            if to_group and actor.group_id is None:
                raise Refused(NO_GROUP)
            record = await responses.insert(
                tx,
                session_id=target.session_id,
                item_id=item_id,
                participant_id=own,
                idem_key=actor.idem_key,
                value=value,
                limit=target.kind.responses_allowed(target.item.settings),
                pending=held_back(target, value),
                group_id=actor.group_id if to_group else None,
                after_close=target.after_close,
                language=actor.language,
            )
            if record is None:
                why = await responses.why_not(
                    tx,
                    session_id=target.session_id,
                    item_id=item_id,
                    participant_id=own,
                    idem_key=actor.idem_key,
                    after_close=target.after_close,
                )
                if isinstance(why, tuple):
                    out.retry = why
                    return
                if why == "spent":  # its first try was stored, and deleted since
                    out.spent = True
                    return
                raise Refused({"moved": MOVED_ON, "locked": LOCKED, "limit": ALL_SENT}[why])
            out.created = record
            out.changes.append(_put(item_id, record, actor.idem_key, keep_votes=True))
            if follows_the_phone(target.kind):
                await _issue_code(store, tx, own, out)
            out.results = True
            out.groups.add(record.group_id)
        case fx.Update(response_id=rid, value=value, version=version):
            record = await responses.update(
                tx,
                item_id,
                rid,
                value,
                pending=held_back(target, value) if actor.is_phone else False,
                version=version,
                participant_id=own if group is None else None,
                group_id=group,
            )
            if record is None:
                now = await responses.current(tx, item_id, rid)
                if now is not None and version is not None and now.version != version:
                    raise Refused(CHANGED)
                raise Refused(NOT_THERE, 404)
            out.changes.append(_put(item_id, record, keep_votes=True))
            _heard(out, record)
        case fx.Delete(response_id=rid):
            record = await responses.delete(
                tx, item_id, rid, participant_id=own if group is None else None, group_id=group
            )
            if record is None:
                raise Refused(NOT_THERE, 404)
            out.changes.append(lambda room: room.drop_response(item_id, rid))
            _heard(out, record)
        case fx.Reorder(response_id=rid, by=by):
            if group is None:
                raise Refused(NO_GROUP)
            listed = await responses.reorder(tx, item_id, group, rid, by)
            if listed is None:
                raise Refused(NOT_THERE, 404)
            for record in listed:
                out.changes.append(_put(item_id, record, keep_votes=True))
            out.results = out.replaced = True
            out.groups.add(group)
        case fx.SetVote(response_id=rid, up=up):
            if own is None or not await responses.set_vote(tx, item_id, rid, own, up):
                raise Refused(NO_VOTE)
            out.changes.append(lambda room: room.set_vote(item_id, own, rid, up))
            out.results = out.replaced = True
        case fx.SetNote(text=text):
            if own is None:
                raise Refused(NOT_THERE, 404)
            await responses.set_note(tx, item_id, own, text)
            out.changes.append(lambda room: room.set_note(item_id, own, text))
        case fx.Recover(code=code):
            if own is None:
                raise Refused(NOT_THERE, 404)
            person = await store.people.claim(tx, own, code)
            if person is None:
                raise Refused(NO_SUCH_CODE, 422)
            out.person = person
            out.changes.append(lambda room: room.put_code(own, None))
        case fx.NewRecoveryCode():
            if own is None:
                raise Refused(NOT_THERE, 404)
            fresh = await store.people.issue(tx, own, again=True)
            if fresh is not None:
                out.code = fresh
                out.changes.append(lambda room: room.put_code(own, fresh))
        case fx.SetCuration(curation=curation):
            await responses.set_curation(tx, item_id, curation)
            out.changes.append(lambda room: room.set_curation(item_id, curation))
            out.results = out.replaced = True
        case fx.SaveDraft():
            await _save_draft(store, tx, target, actor, effect, out)
        case fx.SetMarks(response_id=rid, hidden=hidden, highlighted=highlighted):
            theme = effect.theme_id
            record = await responses.mark(
                tx,
                item_id,
                rid,
                hidden=hidden,
                highlighted=highlighted,
                theme_id=theme if theme is None or isinstance(theme, int) else False,
            )
            if record is None:
                raise Refused(NOT_THERE, 404)
            out.changes.append(_put(item_id, record, keep_votes=True))
            _heard(out, record)
        case fx.AddTheme(name=name):
            added = await responses.add_theme(tx, item_id, name)
            out.changes.append(_theme(added))
            out.results = out.replaced = True
        case fx.DeleteTheme(theme_id=theme_id):
            if not await responses.delete_theme(tx, item_id, theme_id):
                raise Refused(NOT_THERE, 404)
            out.changes.append(lambda room: room.drop_theme(item_id, theme_id))
            out.results = out.replaced = True


def _draft_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise Refused(NO_NAME, 422)
    if len(name) > DRAFT_NAME_MAX:
        raise Refused(
            Message("A version's name can be at most %(max)d characters.", max=DRAFT_NAME_MAX),
            422,
        )
    return name


async def _save_draft(
    store: Store, tx: Tx, target: Target, actor: Actor, effect: fx.SaveDraft, out: Outcome
) -> None:
    """A version of the phone's group's draft, or (facilitators) of any group's of the
    session or the common one: a phone never names the group, the core does."""
    kind = target.kind
    if not drafted(kind):
        raise Refused(NOT_THERE, 404)
    if actor.is_phone:
        if effect.common or (effect.group_id is not None and effect.group_id != actor.group_id):
            raise Refused(NOT_YOURS, 403)
        if actor.group_id is None:
            raise Refused(NO_GROUP)
        group_id: int | None = actor.group_id
    elif effect.common:
        group_id = None
    elif effect.group_id is None:
        raise Refused(NOT_THERE, 404)
    else:
        group_id = effect.group_id
    name = _draft_name(effect.name)
    content = tuple(effect.content)
    if (
        len(content) > DRAFT_POINTS_MAX
        or not all(isinstance(v, dict) for v in content)
        or len(json.dumps(content, ensure_ascii=False)) > DRAFT_CHARS_MAX
    ):
        raise Refused(TOO_BIG, 422)
    draft = await store.drafts.save(
        tx,
        session_id=target.session_id,
        item_id=target.item.id,
        thread=kind.thread(target.item.settings),
        group_id=group_id,
        name=name,
        content=content,
        participant_id=actor.participant_id,
        idem_key=actor.idem_key,
    )
    if draft is None:  # a group the session cannot name
        raise Refused(NOT_THERE, 404)
    item_id = target.item.id
    out.draft = draft
    out.changes.append(lambda room: room.put_draft(item_id, draft))
    out.results = out.replaced = True
    out.groups.add(group_id)
    out.every_group = group_id is None


async def _issue_code(store: Store, tx: Tx, participant_id: int, out: Outcome) -> None:
    """The phone's person gets a recovery code with their first note (only the phone that
    wrote is shown it: the room keeps it in memory, the store its digest)."""
    code = await store.people.issue(tx, participant_id)
    if code is not None:
        out.code = code
        out.changes.append(lambda room: room.put_code(participant_id, code))


def _heard(out: Outcome, record: ResponseRecord) -> None:
    out.results = out.replaced = True
    out.groups.add(record.group_id)


def _put(
    item_id: int, record: ResponseRecord, key: str | None = None, *, keep_votes: bool = False
) -> Change:
    return lambda room: room.put_response(item_id, record, key, votes=not keep_votes)


def _theme(theme: Theme) -> Change:
    return lambda room: room.put_theme(theme)


def approved(records: Sequence[ResponseRecord], item_id: int) -> Outcome:
    """The room's changes after the facilitator approved responses."""
    outcome = Outcome(results=True, replaced=True)
    for record in records:
        outcome.changes.append(_put(item_id, replace(record), keep_votes=True))
        outcome.phones.add(record.participant_id)
        outcome.groups.add(record.group_id)
    return outcome
