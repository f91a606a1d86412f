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
    #: The participants' language: the presenter's and the phones' (a phone may choose).
    language: str = "nb"


LiveState = Literal["planned", "live", "closed"]
JoinBanner = Literal["auto", "large", "corner", "hidden"]
JOIN_BANNERS: tuple[JoinBanner, ...] = ("auto", "large", "corner", "hidden")
PresentView = Literal["results", "themes"]
PRESENT_VIEWS: tuple[PresentView, ...] = ("results", "themes")


@dataclass(frozen=True)
class Session:
    id: int
    programme_id: int
    title: str
    date: dt.date | None
    place: str
    join_code: str | None = None
    live_state: LiveState = "planned"
    current_item_id: int | None = None
    results_visible: bool = True
    responses_locked: bool = False
    #: How the presenter shows the join code: "auto" (large on the agenda's first item,
    #: a corner badge after it), or the facilitator's "large", "corner" or "hidden".
    join_banner: JoinBanner = "auto"
    #: What the presenter shows of the current item: its result, or its themes.
    present_view: PresentView = "results"
    #: The presenter stops paging through a list longer than fits.
    paging_paused: bool = False
    #: The facilitator's page turns by hand on the current item (Next +1, Previous -1):
    #: every presenter turns its page by the change.
    page_turn: int = 0
    #: The session's own participants' language ('': its programme's).
    language: str = ""

    @property
    def join_code_display(self) -> str:
        """The code as people read it aloud: "3566 1019"."""
        code = self.join_code or ""
        return f"{code[:4]} {code[4:]}" if len(code) == 8 else code


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
    actual_start: dt.datetime | None = None
    #: While the timer runs: when it ends (UTC). Paused: None, with paused_ms left.
    timer_ends_at: dt.datetime | None = None
    timer_paused_ms: int | None = None
    #: Exercises in phases (group work): the phase the timer counts down.
    phase: int = 0

    @property
    def timer_running(self) -> bool:
        return self.timer_ends_at is not None

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


@dataclass(frozen=True)
class Participant:
    """One phone in a session; anonymous unless they gave a name."""

    id: int
    session_id: int
    name: str
    group_id: int | None = None


@dataclass(frozen=True)
class Group:
    """A named set of participants: a programme's network group (``session_id`` None),
    or one formed on the spot for one session."""

    id: int
    programme_id: int
    session_id: int | None
    name: str
    #: Names pasted by the facilitator to pre-fill the group (labels only).
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    id: int
    item_id: int
    name: str
