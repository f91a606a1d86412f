"""What an exercise kind's action asks the live core to do: a small, fixed set of effects.

An action's handler is pure: it looks at the settings, the state it was given
and the posted fields, and returns one of these (or a tuple of them), or
raises :class:`Refused` or :class:`workshop.forms.Invalid`. The core checks
who may touch which response (a phone its own, or its group's list; a
facilitator any response of the item), writes the effects in one transaction,
updates the live state and publishes once (``workshop/live/effects.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workshop.i18n import Message

Value = dict[str, Any]
Curation = dict[str, Any]


class Refused(Exception):
    """An action that cannot be done, with the translated reason shown to whoever asked."""

    def __init__(self, message: Message, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Insert:
    """A new response; in a kind done in groups, ``to_group`` puts it on the phone's
    group's list (at its end). Held back for approval when the core's moderation says so."""

    value: Value
    to_group: bool = False


@dataclass(frozen=True)
class Update:
    """Change a response's value, only if it is still at ``version`` (None: whatever it is):
    an edit made on a stale copy is refused with the text as it is now."""

    response_id: int
    value: Value
    version: int | None = None


@dataclass(frozen=True)
class Delete:
    response_id: int


@dataclass(frozen=True)
class Reorder:
    """Move a response of a group's list one place up (-1) or down (1)."""

    response_id: int
    by: int


@dataclass(frozen=True)
class SetVote:
    """The phone's vote for another's response (``up``), or taking it back."""

    response_id: int
    up: bool


@dataclass(frozen=True)
class SetCuration:
    """The facilitator's curation of the item's result, as a whole (merges, hidden...)."""

    curation: Curation


@dataclass(frozen=True)
class SetNote:
    """The phone's private note on the item: only that phone ever gets it back."""

    text: str


@dataclass(frozen=True)
class Recover:
    """The phone typed a recovery code (kinds that follow the phone): from now on it is
    the person the code was given to, and sees what that person wrote before."""

    code: str


@dataclass(frozen=True)
class NewRecoveryCode:
    """A new recovery code for the phone's person (the one before stops working): for a
    phone that lost the code it was shown."""


@dataclass(frozen=True)
class SaveDraft:
    """Keep a draft's current text as a named version: the phone's own group's
    (group_id None from a phone means its own group), or the common draft
    (common=True; facilitators only).

    A version belongs to the item's *thread* (``Drafted.thread``) in its programme, so a
    later session of the programme sees it; versions are never changed or deleted. A
    phone saves only for its own group (a ``group_id`` other than its group's is
    refused); a facilitator names the group (``group_id``) or saves the common draft.
    From an ``idempotent`` phone action, a retried request saves its version once; the
    phone action must be ``in_group`` (the core takes the group from the room).
    """

    name: str
    content: tuple[Value, ...]
    common: bool = False
    #: The group whose version it is (facilitators; a phone's is always its own group).
    group_id: int | None = None


#: SetMarks leaves the theme as it is.
KEEP = "keep"


@dataclass(frozen=True)
class SetMarks:
    """A facilitator's marks on one response: hidden, highlighted, its theme."""

    response_id: int
    hidden: bool | None = None
    highlighted: bool | None = None
    theme_id: int | None | str = KEEP


@dataclass(frozen=True)
class AddTheme:
    name: str


@dataclass(frozen=True)
class DeleteTheme:
    theme_id: int


Effect = (
    Insert
    | Update
    | Delete
    | Reorder
    | SetVote
    | SetCuration
    | SetNote
    | Recover
    | NewRecoveryCode
    | SetMarks
    | AddTheme
    | DeleteTheme
    | SaveDraft
)
Effects = Effect | Sequence[Effect]


def as_list(effects: Effects) -> list[Effect]:
    if isinstance(effects, Sequence):
        return list(effects)
    return [effects]
