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

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, runtime_checkable

from workshop.capabilities import (
    Anonymous,
    ComparedAcrossSessions,
    Drafted,
    Drawn,
    FollowsThePhone,
    InGroups,
    KeptPrivate,
    OpenAfterClose,
    PagedOnScreen,
    Phased,
    ServesFacilitatorFiles,
    ServesFiles,
    SharedWithRoom,
    ShowsText,
    Tabulated,
    anonymous,
    compared_across_sessions,
    drafted,
    drawn,
    follows_the_phone,
    in_groups,
    kept_private,
    open_after_close,
    paged_on_screen,
    phased,
    serves_facilitator_files,
    shared_with_room,
    shows_text,
    tabulated,
)
from workshop.effects import Curation, Effects, Value
from workshop.i18n import Message
from workshop.kind_records import (
    PHASE_MODES,
    DraftRecord,
    FacilitatorFile,
    Fields,
    FileContext,
    OwnFile,
    OwnNote,
    Phase,
    PhaseMode,
    ResponseRecord,
    Role,
    Settings,
)
from workshop.summary import Element, SummaryContext

if TYPE_CHECKING:
    from workshop.live.state import LiveState, PhoneState

__all__ = [
    "PHASE_MODES",
    "Anonymous",
    "ComparedAcrossSessions",
    "Curation",
    "DraftRecord",
    "Drafted",
    "Drawn",
    "FacilitatorFile",
    "Fields",
    "FileContext",
    "FollowsThePhone",
    "InGroups",
    "KeptPrivate",
    "OpenAfterClose",
    "OwnFile",
    "OwnNote",
    "PagedOnScreen",
    "Phase",
    "PhaseMode",
    "Phased",
    "ResponseRecord",
    "Role",
    "ServesFacilitatorFiles",
    "ServesFiles",
    "Settings",
    "SharedWithRoom",
    "ShowsText",
    "Tabulated",
    "Value",
    "anonymous",
    "compared_across_sessions",
    "drafted",
    "drawn",
    "follows_the_phone",
    "in_groups",
    "kept_private",
    "open_after_close",
    "paged_on_screen",
    "phased",
    "serves_facilitator_files",
    "shared_with_room",
    "shows_text",
    "tabulated",
]


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
