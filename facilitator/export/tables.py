"""What the documents and the spreadsheets tell alike, as rows: a session's facts, its agenda
as it ran and its exercises' counts, in the current language; numbers stay numbers."""

from __future__ import annotations

import datetime as dt

from facilitator.export.record import ExerciseRecord, ProgrammeRecord, Record, SessionRecord
from workshop.i18n import format_date, format_time, gettext, ngettext
from workshop.summary import Cell


def sessions(record: Record) -> tuple[SessionRecord, ...]:
    """The sessions of the record, in order (one for a session's record)."""
    return record.sessions if isinstance(record, ProgrammeRecord) else (record,)


def long_date(date: dt.date) -> str:
    """ "tirsdag 1. desember 2026", as the current language writes a day."""
    return format_date(date, "full")


def clock(moment: dt.time | dt.datetime | None) -> str:
    """A clock time, 14:05 (a moment in the server's local time)."""
    return format_time(moment) if moment is not None else ""


def made_at(record: Record) -> str:
    """The footer's line: when the record was made, in the server's local time."""
    moment = record.made_at.astimezone() if record.made_at.tzinfo else record.made_at
    return gettext(
        "Made with Samling on %(date)s at %(time)s",
        date=format_date(moment),
        time=clock(moment),
    )


def facts(session: SessionRecord) -> list[tuple[str, Cell]]:
    """The session's facts, label and value, leaving out what was never given."""
    rows: list[tuple[str, Cell]] = []
    if session.date is not None:
        rows.append((gettext("Date"), long_date(session.date)))
    for label, value in (
        (gettext("Place"), session.place),
        (gettext("Programme"), session.programme),
        (gettext("Client"), session.client),
    ):
        if value:
            rows.append((label, value))
    rows.append((gettext("Phones joined"), session.joined))
    rows.append((gettext("Phones that answered"), session.answered))
    return rows


def agenda_headers() -> tuple[str, ...]:
    return (
        gettext("Planned start"),
        gettext("Item"),
        gettext("Kind"),
        gettext("Planned minutes"),
        gettext("Started"),
        gettext("Took (minutes)"),
    )


def agenda_rows(session: SessionRecord) -> list[tuple[Cell, ...]]:
    """The agenda as it ran: an item that never ran has no start and took nothing."""
    return [
        (
            clock(row.planned_start),
            row.title,
            row.kind,
            row.planned_minutes,
            clock(row.actual_start),
            row.took_minutes,
        )
        for row in session.agenda
    ]


def count_headers() -> tuple[str, ...]:
    return (
        gettext("Exercise"),
        gettext("Kind"),
        gettext("Phones that answered"),
        gettext("Answers shown"),
        gettext("Answers hidden"),
    )


def count_row(exercise: ExerciseRecord) -> tuple[Cell, ...]:
    return (exercise.title, exercise.kind, exercise.phones, exercise.shown, exercise.hidden)


def counts_line(exercise: ExerciseRecord) -> str:
    """ "12 phones answered · 30 answers · 3 answers hidden" under an exercise's heading;
    nothing for a private kind (its elements say how many wrote, and no more)."""
    if exercise.sheet is None:
        return ""
    parts = [
        ngettext("%(num)d phone answered", "%(num)d phones answered", exercise.phones),
        ngettext("%(num)d answer", "%(num)d answers", exercise.shown),
    ]
    if exercise.hidden:
        parts.append(ngettext("%(num)d answer hidden", "%(num)d answers hidden", exercise.hidden))
    return " · ".join(parts)
