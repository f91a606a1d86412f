"""The plain records exercise kinds get and give: a stored response, a phone's own
notes and files, a saved draft version, a facilitator file and its context, phases and
roles (see :mod:`workshop.kinds` for the interface that uses them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from workshop.effects import Curation, Value

Settings = dict[str, Any]
#: A posted form's text fields; a field sent more than once (checkboxes) is a list.
Fields = Mapping[str, "str | list[str]"]


@dataclass(frozen=True)
class ResponseRecord:
    """One stored response, as a kind sees it."""

    id: int
    participant_id: int
    value: Value
    hidden: bool = False
    highlighted: bool = False
    theme_id: int | None = None
    #: Held back until the facilitator approves it (approval on, or a blocked word).
    pending: bool = False
    #: How many phones voted for it (kinds whose phones vote: SetVote).
    votes: int = 0
    #: The group whose list it is on (kinds done in groups), and its place in that list.
    group_id: int | None = None
    position: int | None = None
    #: Counts its edits: an Update carries the version it was read at.
    version: int = 1
    #: The language the phone was using when it sent it ('' when not known).
    language: str = ""


@dataclass(frozen=True)
class OwnNote:
    """One of a phone's own responses to an item of a kind that follows the phone: from
    this session, or from an earlier session of its programme (the same person: their
    device cookie or their recovery code linked the two phones)."""

    session_id: int
    session_title: str
    session_date: dt.date | None
    item_id: int
    item_title: str
    settings: Settings
    value: Value
    written_at: dt.datetime
    #: From an earlier session of the programme (not the one the phone is in now).
    earlier: bool


@dataclass(frozen=True)
class OwnFile:
    """Something a phone can fetch of its own notes: a download (``filename``) or a part
    of its page (no filename), rendered from a block of the kind's template (context
    ``notes``, ``kind``, ``settings``, ``item``, ``code``) or, without one, by
    :meth:`FollowsThePhone.own_text`."""

    media_type: str
    filename: str | None = None
    block: str | None = None
    #: What a link to the download says ("Download as text"), in the current language.
    label: str = ""


@dataclass(frozen=True)
class DraftRecord:
    """One saved version of a draft (kinds that are ``Drafted``): a group's, or the common
    one (``group_id`` None), with its name ("Utkast 2"), its content (the points, as
    values), and the session it was saved in. Never changed or deleted once saved."""

    id: int
    group_id: int | None
    name: str
    content: tuple[Value, ...]
    session_id: int
    session_title: str
    saved_at: dt.datetime
    #: The group's name as it is now ("" for the common draft).
    group_name: str = ""
    #: The agenda item it was saved on (None: that item has since been deleted).
    item_id: int | None = None

    @property
    def common(self) -> bool:
        return self.group_id is None


@dataclass(frozen=True)
class FileContext:
    """What a kind's facilitator file is made from (plain data, picklable): the item, its
    programme and session, its thread's versions, its curation and the groups' names."""

    settings: Settings
    item_title: str
    programme_title: str
    session_title: str
    date: dt.date | None
    language: str
    drafts: tuple[DraftRecord, ...]
    curation: Curation | None
    #: Group id → the group's name (every group of the session and its programme).
    groups: Mapping[int, str]
    #: The shown responses of the item (not hidden, none waiting for approval).
    responses: tuple[ResponseRecord, ...] = ()
    place: str = ""
    client: str = ""


@dataclass(frozen=True)
class FacilitatorFile:
    """A file a kind makes for the facilitator (a final poster as PDF, SVG...), served at
    ``/sessions/<id>/items/<item>/files/<name>`` to the programme's facilitators only.
    ``render`` is a module-level function (picklable): it runs in the export worker,
    in the context's language."""

    media_type: str
    #: The download's name ("formalsplakaten.pdf").
    filename: str
    render: Callable[[FileContext], bytes]
    #: What a link to it says, in English, marked with ``N_`` (shown through gettext).
    label: str = ""
    #: Sent as a download (False: shown in the browser, a page to print).
    attachment: bool = True


PhaseMode = Literal["individual", "group", "plenary"]
PHASE_MODES: tuple[PhaseMode, ...] = ("individual", "group", "plenary")


@dataclass(frozen=True)
class Phase:
    """One timed step of an exercise done in phases: "Group round, 15 min"."""

    name: str
    minutes: int
    mode: PhaseMode
    instructions: str = ""


@dataclass(frozen=True)
class Role:
    """A role handed out in every group: "Secretary: the one with the newest trousers"."""

    name: str
    rule: str = ""
    #: The one who keeps the group's list: edits and orders its responses.
    keeps_list: bool = False
