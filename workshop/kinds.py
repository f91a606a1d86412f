"""The exercise-kind interface and the registry of kinds.

An exercise kind is what makes an agenda item interactive: open text, word
cloud, choice, scale... Each kind is one module (built-ins live in the
``exercises`` package) and one folder beside it holding its template, and
optionally its CSS (``<name>.css``), JavaScript (``<name>.js``), static files
and translations (``locale/<language>/LC_MESSAGES/<name>.po``). It implements
:class:`ExerciseKind`. Its methods are **pure**: they take settings, states and
posted fields and return values; they never touch the store, the hub or the
request. The roles (control panel, presenter, phone, summary) never branch on
a kind's name: they call these methods and render the kind's template blocks.

**The summary.** What a kind puts in the record of the day is no template: its
:meth:`ExerciseKind.summary` returns plain elements (``workshop.summary``), which
every format (HTML, PDF, DOCX) renders; :class:`Tabulated` gives its spreadsheet
columns, :class:`KeptPrivate` keeps its responses out of it, and
:class:`ComparedAcrossSessions` compares its items across a programme's sessions.

**Versions and files.** A kind that is :class:`Drafted` keeps named versions of a
group's draft and of the common one (effect ``SaveDraft``), per *thread* of a programme
(:meth:`Drafted.thread`), so a later session's item of the same thread continues them; the
states and the summary get them (``LiveState.drafts``, ``PhoneState.drafts``,
``SummaryContext.drafts``). One that :class:`ServesFacilitatorFiles` makes files of an item
for the programme's facilitators (a final poster as PDF), at
``/sessions/<id>/items/<item>/files/<name>``, rendered in the export worker.

**Actions.** Everything a phone or a facilitator does on an item of the kind
is one of its actions (:class:`PhoneAction`, :class:`FacilitatorAction`),
posted to ``/s/<code>/items/<item>/do/<action>`` by phones and to
``/sessions/<id>/live/items/<item>/do/<action>`` by facilitators. A handler
returns effects (``workshop.effects``) for the core to carry out; the core
makes the same identity, CSRF, lock and group checks for every kind.

**Template blocks.** The kind's template (``<name>/<name>.html``) has these
named blocks; each is rendered on its own, so each imports what it uses.

``settings_form`` (every kind)
    the fields of the agenda editor's form; context ``settings`` (raw or
    clean values), ``errors`` (field name → message), ``prefix`` (to put
    before each field name) and ``id_prefix`` (to put before each element id:
    the page can hold more than one such form).
``results`` (every kind)
    the live result on the presenter; context ``settings``, ``item``,
    ``result`` (what :meth:`ExerciseKind.summarise` returned), ``drawing``
    (``Drawn`` kinds), ``phase`` and ``groups``. On the presenter it is drawn
    in a box of fixed size (see *The presenter's frame* below).
``prompt`` (optional)
    the question or task, under the item's title on phones and the presenter;
    context ``settings`` and ``item``.
``participant_form`` and ``response`` (kinds with an ``answer`` action)
    the fields a phone fills in (no ``<form>``, no button: the phone page
    wraps them; context ``settings``, ``value``, ``errors``, ``field_id``),
    and one response as its author and the control panel see it (context
    ``settings`` and ``response``).
``phone_shared`` (kinds whose phones see more than their own answers)
    what the phones of one audience see (``phones_see``): all phones (context
    ``result``: :meth:`SharedWithRoom.phone_result`) or one group (context
    ``group``, None for phones in no group, ``responses``: that group's, and
    ``drafts``: the saved versions it may see, its own and the common ones, for
    ``Drafted`` kinds); and ``state`` (the room: never render another group's
    part of it), ``settings``, ``item``, ``phase``, ``code``, ``locked``,
    ``problem``. Rendered once per audience, never per phone.
``phone_mine`` (optional)
    one phone's own part (its role, its private note, its votes, its reflections);
    context ``phone`` (a ``PhoneState``), ``settings``, ``item``, ``code``, ``problem``,
    and on the page (not in pushes) ``phone_token`` and ``idem_key`` for its forms
    (pushed, they are blank and the page's script fills them in).
``counts`` (optional)
    the line under the result on the presenter, instead of "N phones have
    answered"; context ``settings``, ``item``, ``result``, ``phase``,
    ``groups`` and ``answered`` (how many phones have responded).
``control`` (optional)
    the item's part of the control panel; context ``state``, ``settings``,
    ``item``, ``result``, ``csrf_token`` and ``base`` (the session's
    ``/live`` URL). Without it the panel shows block ``results``.
``control_row`` (kinds that append)
    one response on the control panel, appended as it comes; context
    ``state``, ``response``, ``settings``, ``item``, ``csrf_token``, ``base``.

**The presenter's frame.** The projector cannot scroll: the presenter is one
frame of the window's size, and block ``results`` gets the box left under the
title and the prompt (``#present-results``, a size container: ``cqw`` and
``cqh`` are its width and height). Whatever a kind draws there must fit that
box: a chart is an SVG whose ``viewBox`` scales to the box's width and height.
Text that can be more than fits says so with these attributes, and the
presenter's script (``static/js/present.js``) fits it, as a facilitator would:

``data-fit`` on an element of bounded size (``height: 100%``, or a
``max-height``; ``overflow: hidden``)
    its font goes down in steps from ``--fit-max`` to ``--fit-min`` (custom
    properties the kind's CSS sets on it; answer text's minimum is
    ``var(--answer-min)``, 24 px at 1280×720) until nothing in it overflows.
    Without one in the result, the whole box is fitted so.
``data-fit-list`` on a list inside it (a flex item that can shrink, with
``overflow: hidden``)
    at the smallest font, the items that do not fit are left out and the
    screen says "+ N more" after the list; items with class ``highlighted``
    stay. ``data-fit-keep="end"`` keeps the newest (the last) items,
    otherwise the first ones. With ``data-fit-page`` the screen pages through
    the items instead, slowly, unless the facilitator pauses it (kinds that
    do so declare :class:`PagedOnScreen`, so the control panel offers it).

A phone action's ``shows`` names what the phone gets back: the page regions
``answers``, ``shared`` and ``mine``, or a block of the kind's own template
(say, a "saved" line) whose top element carries its own id.

Registering: built-in kinds are added by ``exercises.register(registry)``,
exactly as an add-on package's ``register(registry)`` would add its own; the
app factory calls each registering module named in the settings
(``SAMLING_PLUGINS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Literal,
    Protocol,
    TypeGuard,
    cast,
    runtime_checkable,
)

from workshop.effects import Curation, Effects, Value
from workshop.i18n import Message
from workshop.summary import Cell, Element, SummaryContext

if TYPE_CHECKING:
    from workshop.live.state import LiveState, PhoneState

Settings = dict[str, Any]
#: A posted form's text fields; a field sent more than once (checkboxes) is a list.
Fields = Mapping[str, "str | list[str]"]

__all__ = ["Curation", "Value"]


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


#: Where a phone action's result shows on the phone page.
Region = Literal["answers", "shared", "mine"]
REGIONS: tuple[Region, ...] = ("answers", "shared", "mine")


@dataclass(frozen=True)
class PhoneAction:
    """Something a phone may do on an item of the kind (answer, vote, add a point...)."""

    handle: Callable[[Settings, PhoneState, Fields], Effects]
    #: What the phone gets back: page regions, or blocks of the kind's template.
    shows: tuple[str, ...] = ("answers",)
    #: Refused while the facilitator has locked answers.
    locked_out: bool = True
    #: Only for a phone in a group (its group's list).
    in_group: bool = False
    #: Carries an idempotency key: a retry gets the first try's acknowledgement.
    idempotent: bool = False


@dataclass(frozen=True)
class FacilitatorAction:
    """Something a facilitator may do on the current item (merge, hide, highlight...)."""

    handle: Callable[[Settings, LiveState, Fields], Effects]


@runtime_checkable
class ExerciseKind(Protocol):
    """What every exercise kind provides. All methods are pure and synchronous."""

    #: Stable identifier, stored with each agenda item and used in TOML files.
    name: ClassVar[str]
    #: English label, marked for translation with ``N_``; shown via gettext.
    label: ClassVar[str]
    #: The kind's template, ``<name>/<name>.html`` (found in its folder).
    template: ClassVar[str]
    #: The kind's folder: its template, CSS, JS, static files and translations.
    folder: ClassVar[Path]
    #: True when a new response is appended to the presenter's result and the
    #: control panel's list as it comes (block ``response`` in a list item);
    #: False when the result is re-rendered instead (at most four a second).
    appends: ClassVar[bool]
    #: What phones see besides their own responses: "nothing", the item's
    #: visible responses ("room": block ``phone_shared`` for all phones), or
    #: their group's ("group": block ``phone_shared`` once per group).
    phones_see: ClassVar[Literal["nothing", "room", "group"]]

    def default_settings(self) -> Settings:
        """Settings of a new exercise of this kind."""
        ...

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Clean settings from a form (strings) or a TOML table (typed values).

        Raise :class:`workshop.forms.Invalid` naming each bad field. Unknown
        keys are refused, so a typo in a TOML file is not silently dropped.
        """
        ...

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """What a phone may do on an item of the kind, by name."""
        ...

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """What a facilitator may do on an item of the kind, by name."""
        ...

    def responses_allowed(self, settings: Settings) -> int:
        """How many responses one phone may have at a time."""
        ...

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """The live result for the presenter (context ``result`` of block ``results``)."""
        ...

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The kind's part of the summary of the day: the question and the results.

        ``responses`` are the shown ones only (no hidden, none waiting for approval: the
        summary counts those itself); ``context`` names the session's groups and the
        item's themes. Every text is plain (no markup): each format escapes it.
        """
        ...


@runtime_checkable
class Drawn(Protocol):
    """A kind whose result needs a drawing that is CPU work (a word cloud's layout).

    The live core runs the job in a worker process, at most every two seconds
    and only when the signature changed; the newest drawing wins. Block
    ``results`` gets it as ``drawing`` (None until the first is ready).
    """

    def drawing_job(self, result: Any) -> tuple[str, Callable[..., Any], tuple[Any, ...]]:
        """(signature, picklable module-level function, its arguments) for a result."""
        ...


@runtime_checkable
class ShowsText(Protocol):
    """A kind whose responses are texts the room sees: they can be moderated.

    When the item asks for approval, or a response contains a word on the
    programme's blocklist, the response waits (``pending``) until a
    facilitator approves it; until then only its author sees it.
    """

    def shown_text(self, value: Value) -> str:
        """The text of a response as the room would see it (checked against the blocklist)."""
        ...


@runtime_checkable
class SharedWithRoom(Protocol):
    """A kind whose phones see the item's visible responses (``phones_see = "room"``)."""

    def phone_result(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """What every phone sees (context ``result`` of block ``phone_shared``)."""
        ...


@runtime_checkable
class ServesFiles(Protocol):
    """A kind with static files from elsewhere (a font of another package), served at
    ``/kinds/<name>/<file>`` beside the files of its folder's ``static/``."""

    def static_files(self) -> Mapping[str, Path]:
        """File name → where the file is."""
        ...


@runtime_checkable
class PagedOnScreen(Protocol):
    """A kind whose result on the presenter is a list that can be longer than fits (a wall
    of answers, the groups' lists in the plenary): the presenter pages through it
    (``data-fit-page``), and the control panel offers to pause the paging."""

    def pages_on_screen(self, settings: Settings) -> bool:
        """Whether the presenter pages through this item's result when it is too long."""
        ...


@runtime_checkable
class Tabulated(Protocol):
    """A kind whose responses are rows of a spreadsheet (the XLSX sheet and the CSV file of
    the summary): its own columns after the response's time and group. A kind without it
    gets a column per field of its values."""

    def columns(self, settings: Settings) -> Sequence[str]:
        """The headers of the kind's columns, in the current language."""
        ...

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """One response's cells, as many as :meth:`columns`."""
        ...


@runtime_checkable
class KeptPrivate(Protocol):
    """A kind whose responses only their author ever reads (private reflections): no page,
    push, export or log of the facilitator's holds their text, only how many wrote."""

    def kept_private(self) -> bool:
        """True: the summary counts the phones that wrote, and shows nothing of it."""
        ...


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


@runtime_checkable
class FollowsThePhone(Protocol):
    """A kind whose responses follow their author across the sessions of a programme
    (private reflections). The core links a session's phones to a person: the long-lived
    device cookie set on joining, or a short recovery code the phone gets on its first
    response of such a kind (shown to that phone only, kept hashed) and types on another
    device (effect ``Recover``). The phone fetches its own notes, this session's and the
    earlier sessions', at ``/s/<code>/items/<item>/mine/<name>``: never anyone else's."""

    def own_files(self) -> Mapping[str, OwnFile]:
        """What a phone may fetch of its own notes, by name (``notes.txt``...)."""
        ...

    def own_text(self, name: str, notes: Sequence[OwnNote]) -> str:
        """The text of a file without a block (a plain-text download)."""
        ...


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


@runtime_checkable
class Drafted(Protocol):
    """A kind whose groups (and the facilitator, for the common draft) keep named versions
    of a draft (effect ``SaveDraft``). The versions belong to a *thread* in the programme:
    an item of the kind in a later session with the same thread continues it. The room
    gets the thread's versions as ``LiveState.drafts`` (all of them) and
    ``PhoneState.drafts`` (the phone's group's and the common ones, never another
    group's); the summary as ``SummaryContext.drafts``."""

    def thread(self, settings: Settings) -> str:
        """The key that carries an item's drafts across sessions (a title, casefolded)."""
        ...


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


@runtime_checkable
class ServesFacilitatorFiles(Protocol):
    """A kind that makes files of an item for the facilitator (the final poster)."""

    def facilitator_files(self) -> Mapping[str, FacilitatorFile]:
        """What a facilitator may download of an item of the kind, by name."""
        ...


@runtime_checkable
class ComparedAcrossSessions(Protocol):
    """A kind whose items are compared across the sessions of a programme (the end-of-day
    evaluation): the programme's page and summary show them side by side."""

    def compare(
        self, items: Sequence[tuple[str, Settings, Sequence[ResponseRecord]]]
    ) -> Sequence[Element]:
        """The comparison of items of this kind: (session title, settings, shown responses)
        per item, in the sessions' order."""
        ...


@runtime_checkable
class OpenAfterClose(Protocol):
    """A kind whose items stay open after their session closes, until a time its settings
    give (the end-of-day evaluation, for those who leave early). Only a phone that was in
    the session can still answer, from its link (its cookie finds the session: the join
    code stays retired, so no phone joins any more); the item it sees is the last one of
    the agenda still open. The core never knows which kind it is."""

    def open_until(self, settings: Settings, day: dt.date) -> dt.datetime | None:
        """Until when (an aware time) an item stays open after its session, on ``day``,
        closed (None: it closes with the session)."""
        ...


@runtime_checkable
class Anonymous(Protocol):
    """A kind whose responses are never traced to a phone (the end-of-day evaluation): the
    record of the day gives them without the time each came and without a group, in an
    order of their own (never the order they came), so no two of one phone stand together."""

    def anonymous(self) -> bool:
        """True: no time, group or order of arrival goes with a response."""
        ...


PhaseMode = Literal["individual", "group", "plenary"]
PHASE_MODES: tuple[PhaseMode, ...] = ("individual", "group", "plenary")


@dataclass(frozen=True)
class Phase:
    """One timed step of an exercise done in phases: "Group round, 15 min"."""

    name: str
    minutes: int
    mode: PhaseMode
    instructions: str = ""


@runtime_checkable
class Phased(Protocol):
    """A kind done in timed phases: the core keeps its clock (each phase starts when the
    previous one ends, or when the facilitator moves on) and wakes every screen then."""

    def phases(self, settings: Settings) -> Sequence[Phase]:
        """The phases, in order (at least one)."""
        ...


@dataclass(frozen=True)
class Role:
    """A role handed out in every group: "Secretary: the one with the newest trousers"."""

    name: str
    rule: str = ""
    #: The one who keeps the group's list: edits and orders its responses.
    keeps_list: bool = False


@runtime_checkable
class InGroups(Protocol):
    """A kind done in the session's groups: its responses can go on a group's list
    (``Insert(to_group=True)``), and the core hands out its roles in every group among
    the group's connected phones when the item begins."""

    def roles(self, settings: Settings) -> Sequence[Role]:
        """The roles, in the order they are handed out (may be none)."""
        ...


# -- asking a kind what it can do, quickly -------------------------------------------
# isinstance() against a runtime-checkable Protocol inspects the class each time (a few
# microseconds, several times per phone's answer); a kind's class does not change.

_CAPABLE: dict[tuple[type, type], bool] = {}


def _capable(kind: object, capability: type) -> bool:
    key = (type(kind), capability)
    found = _CAPABLE.get(key)
    if found is None:
        found = _CAPABLE[key] = isinstance(kind, capability)
    return found


def shows_text(kind: object) -> TypeGuard[ShowsText]:
    return _capable(kind, ShowsText)


def shared_with_room(kind: object) -> TypeGuard[SharedWithRoom]:
    return _capable(kind, SharedWithRoom)


def phased(kind: object) -> TypeGuard[Phased]:
    return _capable(kind, Phased)


def in_groups(kind: object) -> TypeGuard[InGroups]:
    return _capable(kind, InGroups)


def drawn(kind: object) -> TypeGuard[Drawn]:
    return _capable(kind, Drawn)


def paged_on_screen(kind: object) -> TypeGuard[PagedOnScreen]:
    return _capable(kind, PagedOnScreen)


def tabulated(kind: object) -> TypeGuard[Tabulated]:
    return _capable(kind, Tabulated)


def compared_across_sessions(kind: object) -> TypeGuard[ComparedAcrossSessions]:
    return _capable(kind, ComparedAcrossSessions)


def open_after_close(kind: object) -> TypeGuard[OpenAfterClose]:
    return _capable(kind, OpenAfterClose)


def drafted(kind: object) -> TypeGuard[Drafted]:
    return _capable(kind, Drafted)


def serves_facilitator_files(kind: object) -> TypeGuard[ServesFacilitatorFiles]:
    return _capable(kind, ServesFacilitatorFiles)


def anonymous(kind: object) -> bool:
    """Whether no response of this kind may be traced to a phone."""
    return _capable(kind, Anonymous) and cast(Anonymous, kind).anonymous()


def kept_private(kind: object) -> bool:
    """Whether only the author ever reads a response of this kind."""
    return _capable(kind, KeptPrivate) and cast(KeptPrivate, kind).kept_private()


def follows_the_phone(kind: object) -> bool:
    """Whether a kind's responses follow their author across a programme's sessions."""
    return _capable(kind, FollowsThePhone)


#: Blocks every kind's template has; the others are optional (see above).
BLOCKS = ("settings_form", "results")
#: Every block a role may render from a kind's template.
ALL_BLOCKS = (
    *BLOCKS,
    "prompt",
    "participant_form",
    "response",
    "phone_shared",
    "phone_mine",
    "counts",
    "control",
    "control_row",
)


def required_blocks(kind: ExerciseKind) -> tuple[str, ...]:
    """The blocks this kind must have, given what it declares."""
    needed = list(BLOCKS)
    if "answer" in kind.phone_actions() or kind.appends:
        needed += ["participant_form", "response"]
    if kind.phones_see != "nothing":
        needed.append("phone_shared")
    if kind.appends:
        needed.append("control_row")
    return tuple(needed)


class KindRegistry:
    """The exercise kinds this app knows, by name, in the order registered."""

    def __init__(self) -> None:
        self._kinds: dict[str, ExerciseKind] = {}

    def add(self, kind: ExerciseKind) -> None:
        if not isinstance(kind, ExerciseKind):
            raise TypeError(f"{kind!r} does not implement ExerciseKind")
        if kind.name in self._kinds:
            raise ValueError(f"an exercise kind called {kind.name!r} is already registered")
        if not kind.name.isidentifier():
            raise ValueError(f"{kind.name!r} is not a valid kind name")
        if not (kind.folder / kind.template.split("/", 1)[-1]).is_file():
            raise ValueError(f"{kind.name}: no template {kind.template} in {kind.folder}")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> ExerciseKind | None:
        return self._kinds.get(name)

    def __iter__(self) -> Iterator[ExerciseKind]:
        return iter(self._kinds.values())

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def unknown(self, name: object) -> Message:
        return Message(
            "Unknown exercise kind %(name)s; known kinds: %(known)s.",
            name=repr(name),
            known=", ".join(self._kinds),
        )
