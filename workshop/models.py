"""The records Samling keeps, as the store hands them out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

ItemKind = Literal["talk", "break", "exercise"]
ITEM_KINDS: tuple[ItemKind, ...] = ("talk", "break", "exercise")
Role = Literal["owner", "co"]


@dataclass(frozen=True)
class Facilitator:
    id: int
    username: str
    display_name: str
    language: str


@dataclass(frozen=True)
class Login:
    """A server-side login session: the cookie holds a token whose hash is the key."""

    facilitator: Facilitator
    token_hash: str
    csrf_token: str


@dataclass(frozen=True)
class Programme:
    id: int
    title: str
    client: str
    role: Role  # the viewing facilitator's role in it


@dataclass(frozen=True)
class Session:
    id: int
    programme_id: int
    title: str
    date: dt.date | None
    place: str


@dataclass(frozen=True)
class ItemFields:
    """What a facilitator writes for an agenda item (a form, or a TOML table)."""

    title: str
    duration_min: int
    kind: ItemKind = "talk"
    start: dt.time | None = None
    notes: str = ""
    exercise_kind: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AgendaItem:
    id: int
    session_id: int
    position: int
    title: str
    duration_min: int
    kind: ItemKind
    start: dt.time | None
    notes: str
    exercise_kind: str | None
    settings: dict[str, Any]

    def fields(self) -> ItemFields:
        return ItemFields(
            title=self.title,
            duration_min=self.duration_min,
            kind=self.kind,
            start=self.start,
            notes=self.notes,
            exercise_kind=self.exercise_kind,
            settings=dict(self.settings),
        )
