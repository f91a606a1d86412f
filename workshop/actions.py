"""Actions several exercise kinds share, so each kind lists them instead of copying them.

``answering`` gives a phone's ``answer``, ``edit`` and ``delete`` of its own
responses; ``marking`` gives the facilitator's ``mark`` (hide, highlight, sort
into a theme), ``theme.add`` and ``theme.delete``. Each handler is pure, as
every action's is (see ``workshop.kinds``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop import forms
from workshop.effects import (
    AddTheme,
    Delete,
    DeleteTheme,
    Effects,
    Insert,
    Refused,
    SetMarks,
    Update,
)
from workshop.i18n import Message
from workshop.kinds import FacilitatorAction, Fields, PhoneAction, Settings, Value

if TYPE_CHECKING:
    from workshop.live.state import LiveState, PhoneState

Validate = Callable[[Settings, Fields], Value]
THEME_MAX = 100
NOT_YOURS = Message("That answer is not there any more.")
NOT_THERE = Message("That is not there any more.")


def field(fields: Fields, name: str) -> str:
    """One posted field as text (the first, when it was sent more than once)."""
    value = fields.get(name)
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def number(fields: Fields, name: str) -> int | None:
    value = field(fields, name)
    return int(value) if value.isdigit() and len(value) < 12 else None


def response_id(fields: Fields) -> int:
    """The response an action is about (field ``response``)."""
    found = number(fields, "response")
    if found is None:
        raise Refused(NOT_THERE, 404)
    return found


def answering(validate: Validate) -> dict[str, PhoneAction]:
    """A phone's answer, and editing and deleting its own answers until answers are locked."""

    def answer(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Send one answer (it counts against the phone's limit)."""
        return Insert(validate(settings, fields))

    def edit(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Change one of the phone's own answers."""
        rid = response_id(fields)
        if phone.own_response(rid) is None:
            raise Refused(NOT_YOURS, 404)
        return Update(rid, validate(settings, fields), number(fields, "version"))

    def delete(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Delete one of the phone's own answers."""
        rid = response_id(fields)
        if phone.own_response(rid) is None:
            raise Refused(NOT_YOURS, 404)
        return Delete(rid)

    return {
        "answer": PhoneAction(answer, idempotent=True),
        "edit": PhoneAction(edit),
        "delete": PhoneAction(delete),
    }


def _yes_no(fields: Fields, name: str) -> bool | None:
    return {"yes": True, "no": False}.get(field(fields, name))


def marking() -> dict[str, FacilitatorAction]:
    """The facilitator's marks on the responses, and the themes they are sorted into
    (the "summary of the input")."""

    def mark(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Hide or show, highlight or unmark, and set the theme of one response."""
        rid = response_id(fields)
        if all(r.id != rid for r in state.responses):
            raise Refused(NOT_THERE, 404)
        theme: int | None | str = "keep"
        if field(fields, "set_theme"):
            theme = number(fields, "theme_id")
            if theme is not None and all(t.id != theme for t in state.themes):
                raise Refused(NOT_THERE, 404)
        hidden, highlighted = _yes_no(fields, "hidden"), _yes_no(fields, "highlighted")
        if hidden is None and highlighted is None and theme == "keep":
            raise Refused(Message("Invalid value."), 400)
        return SetMarks(rid, hidden=hidden, highlighted=highlighted, theme_id=theme)

    def add_theme(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Add a named theme to sort the item's responses into."""
        check = forms.Checker()
        name = check.field(
            "name", forms.text, field(fields, "name"), max_length=THEME_MAX, required=True
        )
        check.done()
        return AddTheme(name)

    def delete_theme(settings: Settings, state: LiveState, fields: Fields) -> Effects:
        """Remove a theme (its responses keep no theme)."""
        theme = number(fields, "theme")
        if theme is None:
            raise Refused(NOT_THERE, 404)
        return DeleteTheme(theme)

    return {
        "mark": FacilitatorAction(mark),
        "theme.add": FacilitatorAction(add_theme),
        "theme.delete": FacilitatorAction(delete_theme),
    }
