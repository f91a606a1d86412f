"""The record of a day, as the exports render it: plain, picklable data.

``facilitator/export/build.py`` reads it from the store (the kinds give each exercise's
elements, ``workshop/summary.py``); each format renders it in a worker process, never on
the event loop. Hidden and moderated-away answers are not in it, only counted; private
kinds (reflections) give nothing but how many phones wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workshop.summary import Cell, Element


@dataclass(frozen=True)
class AgendaRow:
    """One agenda item as it was planned and as it really ran."""

    title: str
    #: "Talk", "Break" or the exercise kind's label, in the record's language.
    kind: str
    planned_start: dt.time | None
    planned_minutes: int
    #: When the facilitator moved to it (local time of the server), if it ran.
    actual_start: dt.datetime | None
    #: Until the next item began or the session closed, in whole minutes.
    took_minutes: int | None


@dataclass(frozen=True)
class Sheet:
    """Every shown response of one exercise, a row each (XLSX sheet, CSV file)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise of the day: its kind's elements, its counts, its raw responses."""

    item_id: int
    title: str
    #: The kind's label in the record's language.
    kind: str
    elements: tuple[Element, ...]
    #: Phones that responded; responses shown; responses hidden or moderated away.
    phones: int
    shown: int
    hidden: int
    #: Every shown response (time, group, the kind's fields); None for a private kind.
    sheet: Sheet | None


@dataclass(frozen=True)
class SessionRecord:
    """The record of one session."""

    session_id: int
    title: str
    date: dt.date | None
    place: str
    programme: str
    client: str
    #: The record's language ("nb", "en"): every label and number is written in it.
    language: str
    agenda: tuple[AgendaRow, ...]
    exercises: tuple[ExerciseRecord, ...]
    #: Phones that joined; phones that responded to anything.
    joined: int
    answered: int
    #: When the record was made (for the document's footer).
    made_at: dt.datetime
    #: A later part of a record printed in parts (``pdf_parts.py``): it starts with its
    #: first exercise (no facts, no agenda); one that ``continues`` has no footer.
    continued: bool = False
    continues: bool = False


@dataclass(frozen=True)
class ProgrammeRecord:
    """The record of a programme: its sessions in order, and what runs across them."""

    programme_id: int
    title: str
    client: str
    language: str
    sessions: tuple[SessionRecord, ...]
    #: Across the sessions: what the kinds compare, what each network group added.
    across: tuple[Element, ...]
    made_at: dt.datetime
    #: As for a session's record: a later part has no cover, one that continues no footer.
    continued: bool = False
    continues: bool = False


Record = SessionRecord | ProgrammeRecord
