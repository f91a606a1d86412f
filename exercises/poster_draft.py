"""The purpose poster's group draft on the phones: its points, its versions and the dots.

A group's working draft is its list of points (responses with its group, in order); every
phone of the group edits it. An edit carries the version of the point it was read at: one
made on a stale copy is kept beside the point's text (``others``) for the group to choose
or combine, never written over it. Versions are the core's (``SaveDraft``), per thread of
the programme; going back to one is the draft's points replaced and a new version saved.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from exercises.poster_diff import Diff, compare_drafts
from workshop import forms
from workshop.actions import field, response_id
from workshop.actions import number as number_field
from workshop.effects import (
    Delete,
    Effect,
    Effects,
    Insert,
    Refused,
    Reorder,
    SaveDraft,
    SetNote,
    SetVote,
    Update,
)
from workshop.i18n import Message
from workshop.kinds import DraftRecord, Fields, PhoneAction, ResponseRecord, Settings, Value

if TYPE_CHECKING:
    from workshop.live.state import PhoneState

VERSION_NAME_MAX = 60
#: Texts kept beside a point by edits made on a stale copy, before the group settles them.
OTHERS_MAX = 5
#: A comparison's side that is the working draft (not a saved version).
NOW = 0


class _Points(Protocol):
    def validate_point(self, settings: Settings, raw: Fields) -> str: ...


def words(text: str) -> int:
    return len(text.split())


def texts(content: Sequence[Value]) -> list[str]:
    """A version's points as texts."""
    return [str(v.get("text", "")) for v in content]


def content_of(points: Sequence[ResponseRecord]) -> tuple[Value, ...]:
    """A list of points as a version's content."""
    return tuple({"text": str(p.value.get("text", ""))} for p in points)


def versions_of(drafts: Sequence[DraftRecord], group_id: int | None) -> list[DraftRecord]:
    """One owner's versions, oldest first (None: the common poster's)."""
    return [d for d in drafts if d.group_id == group_id]


def next_name(drafts: Sequence[DraftRecord], group_id: int | None) -> str:
    """The name a new version gets unless the group names it: "Draft 3"."""
    return str(Message("Draft %(num)d", num=len(versions_of(drafts, group_id)) + 1))


def chosen(note: str) -> tuple[int, int] | None:
    """The two versions a phone chose to compare (kept as its private note)."""
    try:
        found = json.loads(note) if note else None
    except ValueError:
        return None
    pair = found.get("compare") if isinstance(found, dict) else None
    if isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair):
        return pair[0], pair[1]
    return None


def comparison(
    pair: tuple[int, int] | None,
    drafts: Sequence[DraftRecord],
    now: Sequence[str],
    now_label: str,
) -> Diff | None:
    """The word diff of two versions by id (``NOW``: the working draft ``now``)."""
    if pair is None:
        return None
    known = {d.id: (d.name, texts(d.content)) for d in drafts}
    known[NOW] = (now_label, list(now))
    if pair[0] not in known or pair[1] not in known:
        return None
    (old_name, old), (new_name, new) = known[pair[0]], known[pair[1]]
    return compare_drafts(old_name, old, new_name, new)


def phone_actions(kind: _Points) -> dict[str, PhoneAction]:
    """The group's draft (add, edit, settle, move, delete points; save, compare and go back
    to versions) while drafting; dots in the plenary."""

    def drafting(phone: PhoneState) -> None:
        if phone.phase is not None and phone.phase.mode != "group":
            raise Refused(Message("The drafting is over: the plenary has begun."))

    def listed(phone: PhoneState, fields: Fields) -> ResponseRecord:
        drafting(phone)
        found = phone.group_response(response_id(fields))
        if found is None:
            raise Refused(Message("That point is not on your group's draft."), 404)
        return found

    def add(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Add a point at the end of the group's draft."""
        drafting(phone)
        text = kind.validate_point(settings, fields)
        most = int(settings.get("max_points") or 0)
        if most and len(phone.group_responses) >= most:
            raise Refused(Message("The draft has its %(num)d points already.", num=most))
        return Insert({"text": text}, to_group=True)

    def edit(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Change a point's text. An edit made on a copy older than the point is kept
        beside its text for the group to choose or combine; ``settle`` replaces the
        texts kept beside it too."""
        point = listed(phone, fields)
        text = kind.validate_point(settings, fields)
        read = number_field(fields, "version")
        others = [str(o) for o in point.value.get("others", [])]
        if read is not None and read != point.version:
            if text == point.value.get("text") or text in others:
                return ()
            if len(others) >= OTHERS_MAX:
                raise Refused(Message("Settle this point's texts first."))
            kept = {**point.value, "others": [*others, text]}
            return Update(point.id, kept, point.version)
        if field(fields, "settle") == "1" or not others:
            return Update(point.id, {"text": text}, read)
        return Update(point.id, {"text": text, "others": others}, read)

    def move(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Move a point one place up or down."""
        point = listed(phone, fields)
        return Reorder(point.id, -1 if field(fields, "by") == "-1" else 1)

    def delete(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Delete a point of the group's draft."""
        return Delete(listed(phone, fields).id)

    def save(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Save the group's draft as it is now as a named version ("Draft 2")."""
        drafting(phone)
        group = phone.group.id if phone.group is not None else None
        check = forms.Checker()
        name = check.field("name", forms.text, field(fields, "name"), max_length=VERSION_NAME_MAX)
        check.done()
        if not phone.group_responses:
            raise Refused(Message("The draft has no points yet."))
        return SaveDraft(name or next_name(phone.drafts, group), content_of(phone.group_responses))

    def own_version(phone: PhoneState, fields: Fields) -> DraftRecord:
        wanted = number_field(fields, "draft")
        group = phone.group.id if phone.group is not None else None
        found = next(
            (
                d
                for d in phone.drafts
                if d.id == wanted and (d.group_id == group or d.group_id is None)
            ),
            None,
        )
        if found is None:
            raise Refused(Message("That version is not there."), 404)
        return found

    def restore(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Go back to a version: the draft becomes its points, saved as a new version
        ("Back to Draft 1")."""
        drafting(phone)
        version = own_version(phone, fields)
        effects: list[Effect] = [Delete(p.id) for p in phone.group_responses]
        effects += [Insert({"text": t}, to_group=True) for t in texts(version.content)]
        name = str(Message("Back to %(name)s", name=version.name))[:VERSION_NAME_MAX]
        effects.append(SaveDraft(name, tuple({"text": t} for t in texts(version.content))))
        return effects

    def carry_on(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Start an empty draft from a version (an earlier session's, or the common
        poster's)."""
        drafting(phone)
        version = own_version(phone, fields)
        if phone.group_responses:
            raise Refused(Message("The draft has points already: go back to it instead."))
        return [Insert({"text": t}, to_group=True) for t in texts(version.content)]

    def compare(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Compare two versions (or one with the draft as it is now): the phone keeps
        its choice as its own note, so it stays on the phone's page."""
        pair = (number_field(fields, "old"), number_field(fields, "new"))
        if pair[0] is None or pair[1] is None:
            return SetNote("")
        known = {NOW, *(d.id for d in phone.drafts)}
        if pair[0] not in known or pair[1] not in known:
            raise Refused(Message("That version is not there."), 404)
        return SetNote(json.dumps({"compare": [pair[0], pair[1]]}))

    def dot(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Give a point a dot in the plenary (a few per phone), or take it back."""
        if phone.phase is None or phone.phase.mode != "plenary":
            raise Refused(Message("Dots are given in the plenary."))
        rid = response_id(fields)
        up = field(fields, "up") == "1"
        if up and phone.own_response(rid) is not None:
            raise Refused(Message("Give your dots to the others' points."))
        if up and rid not in phone.voted and len(phone.voted) >= int(settings["dots"]):
            raise Refused(
                Message(
                    "You have given all your %(num)d dots: take one back first.",
                    num=int(settings["dots"]),
                )
            )
        return SetVote(rid, up)

    shared = ("shared",)
    return {
        "point.add": PhoneAction(add, shows=shared, in_group=True, idempotent=True),
        "point.edit": PhoneAction(edit, shows=shared, in_group=True),
        "point.move": PhoneAction(move, shows=shared, in_group=True),
        "point.delete": PhoneAction(delete, shows=shared, in_group=True),
        "draft.save": PhoneAction(save, shows=shared, in_group=True, idempotent=True),
        "draft.restore": PhoneAction(restore, shows=shared, in_group=True, idempotent=True),
        "draft.continue": PhoneAction(carry_on, shows=shared, in_group=True, idempotent=True),
        "draft.compare": PhoneAction(compare, shows=("mine",), locked_out=False),
        "dot": PhoneAction(dot, shows=("mine",)),
    }
