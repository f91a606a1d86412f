"""What an exercise kind may declare it can do besides :class:`workshop.kinds.ExerciseKind`
(each a runtime-checkable Protocol, documented in :mod:`workshop.kinds`), and the quick
checks the core asks a kind with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeGuard, cast, runtime_checkable

from workshop.effects import Curation, Value
from workshop.kind_records import (
    FacilitatorFile,
    OwnFile,
    OwnNote,
    Phase,
    ResponseRecord,
    Role,
    Settings,
)
from workshop.summary import Cell, Element


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


@runtime_checkable
class Phased(Protocol):
    """A kind done in timed phases: the core keeps its clock (each phase starts when the
    previous one ends, or when the facilitator moves on) and wakes every screen then."""

    def phases(self, settings: Settings) -> Sequence[Phase]:
        """The phases, in order (at least one)."""
        ...


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
