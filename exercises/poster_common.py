"""The common poster: the facilitator builds it from the groups' points on the control panel.

Its working text is the item's curation, a whole document each action replaces:
``{"common": [{"id": 3, "text": "…", "from": ["Blåveis"]}, …], "next": 4,
"compare": [old, new]}``. Until the facilitator changes anything it is the latest
common version of the poster's thread (from an earlier session, say); saving keeps it
as a version of its own (``SaveDraft(common=True)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from workshop import forms
from workshop.actions import field, marking, response_id
from workshop.actions import number as number_field
from workshop.effects import Effects, Refused, SaveDraft, SetCuration
from workshop.i18n import Message
from workshop.kinds import Curation, DraftRecord, FacilitatorAction, Fields, Settings

if TYPE_CHECKING:
    from workshop.live.state import LiveState

TEXT_MAX = 300
ENTRIES_MAX = 50
NAME_MAX = 60
Entry = dict[str, Any]


class _Points(Protocol):
    def validate_point(self, settings: Settings, raw: Fields) -> str: ...


def common_entries(curation: Curation | None, drafts: Sequence[DraftRecord]) -> list[Entry]:
    """The common poster's points now: the facilitator's working text, or else the latest
    common version's."""
    if curation and isinstance(curation.get("common"), list):
        return [dict(e) for e in curation["common"]]
    latest = [d for d in drafts if d.group_id is None]
    if not latest:
        return []
    return [
        {"id": n, "text": str(v.get("text", "")), "from": list(v.get("from", []))}
        for n, v in enumerate(latest[-1].content, start=1)
    ]


def common_content(entries: Sequence[Entry]) -> tuple[dict[str, Any], ...]:
    """The common poster's points as a version's content."""
    return tuple({"text": str(e["text"]), "from": list(e.get("from", []))} for e in entries)


def _with(curation: Curation, entries: list[Entry]) -> Curation:
    return {**curation, "common": entries, "next": _next_id(curation, entries)}


def _next_id(curation: Curation, entries: Sequence[Entry]) -> int:
    start = int(curation.get("next", 0)) if "common" in curation else 0
    return max(max((int(e["id"]) for e in entries), default=0) + 1, start)


def _entry(entries: Sequence[Entry], fields: Fields, name: str = "entry") -> int:
    wanted = number_field(fields, name)
    for index, entry in enumerate(entries):
        if entry["id"] == wanted:
            return index
    raise Refused(Message("That point is not on the common poster any more."), 404)


def common_actions(kind: _Points) -> dict[str, FacilitatorAction]:
    """The facilitator's actions on the common poster, and the marks on the groups' points."""

    def current(state: LiveState) -> tuple[Curation, list[Entry]]:
        curation = dict(state.curation or {})
        return curation, common_entries(curation, state.drafts)

    def room(entries: Sequence[Entry]) -> None:
        if len(entries) >= ENTRIES_MAX:
            raise Refused(Message("The common poster has %(num)d points already.", num=ENTRIES_MAX))

    def pick(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Put a group's point on the common poster (at its end)."""
        rid = response_id(fields)
        point = next((r for r in state.responses if r.id == rid), None)
        if point is None:
            raise Refused(Message("That is not there any more."), 404)
        curation, entries = current(state)
        room(entries)
        group = state.group(point.group_id)
        entries.append(
            {
                "id": _next_id(curation, entries),
                "text": str(point.value.get("text", "")),
                "from": [group.name] if group is not None else [],
            }
        )
        return SetCuration(_with(curation, entries))

    def add(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Write a point of the facilitator's own on the common poster."""
        text = kind.validate_point(settings, fields)
        curation, entries = current(state)
        room(entries)
        entries.append({"id": _next_id(curation, entries), "text": text, "from": []})
        return SetCuration(_with(curation, entries))

    def edit(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Change the text of a point of the common poster."""
        curation, entries = current(state)
        index = _entry(entries, fields)
        entries[index] = {**entries[index], "text": kind.validate_point(settings, fields)}
        return SetCuration(_with(curation, entries))

    def merge(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Merge a point into the one above it: one point with both texts (then edit it)."""
        curation, entries = current(state)
        index = _entry(entries, fields)
        if index == 0:
            raise Refused(Message("The first point has none above it to merge into."))
        above, this = entries[index - 1], entries[index]
        text = f"{above['text']} – {this['text']}"
        if len(text) > TEXT_MAX:
            raise Refused(Message("Together they are longer than a point may be: shorten one."))
        sources = [
            *above.get("from", []),
            *(g for g in this.get("from", []) if g not in above.get("from", [])),
        ]
        entries[index - 1] = {**above, "text": text, "from": sources}
        del entries[index]
        return SetCuration(_with(curation, entries))

    def move(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Move a point of the common poster one place up or down."""
        curation, entries = current(state)
        index = _entry(entries, fields)
        to = index + (-1 if field(fields, "by") == "-1" else 1)
        if 0 <= to < len(entries):
            entries[index], entries[to] = entries[to], entries[index]
        return SetCuration(_with(curation, entries))

    def remove(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Take a point off the common poster."""
        curation, entries = current(state)
        del entries[_entry(entries, fields)]
        return SetCuration(_with(curation, entries))

    def save(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Save the common poster as it is now as a named version."""
        check = forms.Checker()
        name = check.field("name", forms.text, field(fields, "name"), max_length=NAME_MAX)
        check.done()
        curation, entries = current(state)
        if not entries:
            raise Refused(Message("The common poster has no points yet."))
        if not name:
            count = len([d for d in state.drafts if d.group_id is None])
            name = str(Message("Common draft %(num)d", num=count + 1))
        return (
            SetCuration(_with(curation, entries)),
            SaveDraft(name, common_content(entries), common=True),
        )

    def restore(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Go back to a common version: the poster becomes its points, saved as a new
        version ("Back to Common draft 1")."""
        wanted = number_field(fields, "draft")
        version = next((d for d in state.drafts if d.id == wanted and d.group_id is None), None)
        if version is None:
            raise Refused(Message("That version is not there."), 404)
        curation = dict(state.curation or {})
        entries = [
            {"id": n, "text": str(v.get("text", "")), "from": list(v.get("from", []))}
            for n, v in enumerate(version.content, start=_next_id(curation, []))
        ]
        name = str(Message("Back to %(name)s", name=version.name))[:NAME_MAX]
        return (
            SetCuration(_with(curation, entries)),
            SaveDraft(name, common_content(entries), common=True),
        )

    def compare(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Compare two versions (any group's or the common poster's; 0: the common poster
        as it is now) on the control panel."""
        old, new = number_field(fields, "old"), number_field(fields, "new")
        known = {0, *(d.id for d in state.drafts)}
        curation = dict(state.curation or {})
        if old is None or new is None:
            curation.pop("compare", None)
            return SetCuration(curation)
        if old not in known or new not in known:
            raise Refused(Message("That version is not there."), 404)
        return SetCuration({**curation, "compare": [old, new]})

    def screen(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Show the common poster on the screen instead of the groups' drafts, or the
        drafts again."""
        curation, entries = current(state)
        shown = field(fields, "show") == "1"
        return SetCuration({**_with(curation, entries), "on_screen": shown})

    return {
        **marking(),
        "common.screen": FacilitatorAction(screen),
        "common.pick": FacilitatorAction(pick),
        "common.add": FacilitatorAction(add),
        "common.edit": FacilitatorAction(edit),
        "common.merge": FacilitatorAction(merge),
        "common.move": FacilitatorAction(move),
        "common.remove": FacilitatorAction(remove),
        "common.save": FacilitatorAction(save),
        "common.restore": FacilitatorAction(restore),
        "common.compare": FacilitatorAction(compare),
    }


def compared(curation: Curation | None) -> tuple[int, int] | None:
    """The two versions the control panel compares (0: the common poster now)."""
    pair = (curation or {}).get("compare")
    if isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair):
        return pair[0], pair[1]
    return None
