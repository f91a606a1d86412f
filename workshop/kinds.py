"""The exercise-kind interface and the registry of kinds.

An exercise kind is what makes an agenda item interactive: open text, word
cloud, choice, scale... Each kind is one module (built-ins live in the
``exercises`` package) and one template, and it implements
:class:`ExerciseKind`. Its methods are **pure**: they take settings and
responses and return values; they never touch the store, the hub or the
request. The roles (control panel, presenter, phone, summary) never branch on
a kind's name: they call these methods and render the kind's template blocks.

A kind's template, ``exercises/<name>.html`` by default, has five named blocks
rendered with the context noted:

``settings_form``
    the fields of the agenda editor's form; context ``settings`` (raw or
    clean values), ``errors`` (field name → message), ``prefix`` (to put
    before each field name) and ``id_prefix`` (to put before each element id:
    the page can hold more than one such form).
``participant_form``
    the fields a phone fills in (no ``<form>`` element, no button: the phone
    page wraps them); context ``settings``, ``value`` (a response's value when
    editing it, else empty) and ``errors``.
``response``
    one response as its author sees it on the phone; context ``settings`` and
    ``response``.
``results``
    the live result on the presenter; context ``settings`` and ``result``
    (what :meth:`ExerciseKind.summarise` returned).
``summary``
    the kind's part of the exported summary; context ``settings`` and
    ``section`` (what :meth:`ExerciseKind.summary` returned).

Registering: built-in kinds are added by ``exercises.register(registry)``,
exactly as an add-on package's ``register(registry)`` would add its own; the
app factory calls each registering module named in the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from workshop.i18n import Message

Settings = dict[str, Any]
Value = dict[str, Any]
#: The facilitator's live decisions about an item's responses (say, which
#: word-cloud entries are merged or hidden): stored by the core per item, shaped
#: and changed only by the kind (see :class:`Curated`).
Curation = dict[str, Any]


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
    #: How many phones voted for it (kinds that take votes on responses: ``Voted``).
    votes: int = 0
    #: The group whose list it is on (group work), and its place in that list.
    group_id: int | None = None
    position: int | None = None


@runtime_checkable
class ExerciseKind(Protocol):
    """What every exercise kind provides. All methods are pure and synchronous."""

    #: Stable identifier, stored with each agenda item and used in TOML files.
    name: ClassVar[str]
    #: English label, marked for translation with ``N_``; shown via gettext.
    label: ClassVar[str]
    #: The kind's template with the blocks described in this module.
    template: ClassVar[str]
    #: True when a new response is appended to the presenter's result as it
    #: comes (block ``response`` in a list item); False when the result is
    #: re-rendered instead (bursts coalesced to at most four a second).
    appends: ClassVar[bool]
    #: True when each response is a text the facilitator moderates one by one
    #: on the control panel (hide, highlight, sort into themes); False when the
    #: control panel shows the live result instead (votes, ratings).
    moderated: ClassVar[bool]

    def default_settings(self) -> Settings:
        """Settings of a new exercise of this kind."""
        ...

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Clean settings from a form (strings) or a TOML table (typed values).

        Raise :class:`workshop.forms.Invalid` naming each bad field. Unknown
        keys are refused, so a typo in a TOML file is not silently dropped.
        """
        ...

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """Clean one response from a phone, or raise ``Invalid``.

        ``raw`` maps each posted field to its string, or to a list of strings
        when the field was sent more than once (checkboxes).
        """
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
    ) -> Any:
        """The kind's part of the summary (context ``section`` of block ``summary``)."""
        ...


@runtime_checkable
class Curated(Protocol):
    """A kind whose result the facilitator curates live (merge, hide...).

    Its template has a block ``curate``: the controls on the control panel
    (context ``settings``, ``item``, ``result`` and ``csrf_token``), posting
    to the session's ``live/curate`` with ``item_id`` and the kind's fields.
    """

    def curate(self, settings: Settings, curation: Curation, raw: Mapping[str, object]) -> Curation:
        """The curation after one of the facilitator's actions, or raise ``Invalid``."""
        ...


@runtime_checkable
class Drawn(Protocol):
    """A kind whose result needs a drawing that is CPU work (a word cloud's layout).

    The live loop runs the job in a worker process, at most every two seconds
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
class Voted(Protocol):
    """A kind whose responses the phones see and vote for, once per phone (Q&A).

    Its template has a block ``phone_results``: what every phone sees of the
    others' responses (context ``settings``, ``item``, ``result`` and
    ``code``), with vote buttons carrying ``data-vote="<response id>"``. The
    phone marks the ones it voted for itself, so the block is rendered once
    for all phones.
    """

    def phone_result(self, settings: Settings, responses: Sequence[ResponseRecord]) -> Any:
        """What the phones see (context ``result`` of block ``phone_results``)."""
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


@dataclass(frozen=True)
class Role:
    """A role handed out in every group: "Secretary: the one with the newest trousers"."""

    name: str
    rule: str = ""
    #: The one who keeps the group's list: edits and orders its points.
    keeps_list: bool = False


@runtime_checkable
class InGroups(Protocol):
    """A kind done in groups, in timed phases (group work).

    The core keeps its clock (each phase starts when the previous one ends, or
    when the facilitator moves on), hands out its roles inside every group,
    keeps each phone's private notepad, and keeps every group's list of points:
    responses with a ``group_id``, seen live by that group's phones only.

    Its template has a block ``group``: a group's area on its phones (context
    ``state``, ``settings``, ``item``, ``group`` (None for phones in no group),
    ``points`` (that group's list), ``phase`` and ``code``), rendered once per
    group. Blocks ``results`` and ``summary`` get ``phase`` and ``groups`` too.
    """

    def phases(self, settings: Settings) -> Sequence[Phase]:
        """The phases, in order (at least one)."""
        ...

    def roles(self, settings: Settings) -> Sequence[Role]:
        """The roles, in the order they are handed out."""
        ...

    def validate_point(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """One point for a group's list, or raise ``Invalid``."""
        ...


BLOCKS = ("settings_form", "participant_form", "response", "results", "summary")


class KindRegistry:
    """The exercise kinds this app knows, by name, in the order registered."""

    def __init__(self) -> None:
        self._kinds: dict[str, ExerciseKind] = {}

    def add(self, kind: ExerciseKind) -> None:
        if not isinstance(kind, ExerciseKind):
            raise TypeError(f"{kind!r} does not implement ExerciseKind")
        if kind.name in self._kinds:
            raise ValueError(f"an exercise kind called {kind.name!r} is already registered")
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
