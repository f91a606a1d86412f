"""A hand-built record of a day for the tests of the formats: hostile answers included.

The answers hold æøå, emoji, a right-to-left override, formula-like text and tabs; the
hidden answers are not in the record (the builder leaves them out and counts them), so a
format that shows one has made it up.
"""

from __future__ import annotations

import datetime as dt

from facilitator.export.record import (
    AgendaRow,
    ExerciseRecord,
    ProgrammeRecord,
    SessionRecord,
    Sheet,
)
from workshop.summary import (
    BarChart,
    CloudChart,
    Entries,
    Entry,
    Paragraph,
    Part,
    Prompt,
    RadarChart,
    Table,
)

FORMULA = '=HYPERLINK("http://x")'
RTL = "abc\u202edef"
#: Every answer the record shows, as the participant wrote it.
ANSWERS = (
    "Blåbærsyltetøy på ærlig vis",
    "Vi trenger mer tid 🎉🚀",
    RTL,
    FORMULA,
    "+1",
    "-2",
    "@x",
    "\tinnrykk med tab",
    "ord\tmed\ttab",
    "#N/A",
    "Linje én\nlinje to",
)
#: What the formula-like answers must read as in a spreadsheet.
NEUTRALISED = {
    FORMULA: "'" + FORMULA,
    "+1": "'+1",
    "-2": "'-2",
    "@x": "'@x",
    "\tinnrykk med tab": "'\tinnrykk med tab",
}
#: Written, then hidden by the facilitator: in no format.
HIDDEN = "SKJULT-svar-som-aldri-vises"
GROUP = "Gruppe Ærfugl"
TIME = "10:15"


def _open_text() -> ExerciseRecord:
    entries = tuple(Entry(answer, highlighted=(answer == ANSWERS[0])) for answer in ANSWERS)
    return ExerciseRecord(
        item_id=1,
        title="Hva er god ledelse? [del 1/2]",
        kind="Open question",
        elements=(
            Prompt("Hva er god ledelse for deg?"),
            Part("Tema: Tillit", (Entries(entries[:3]),)),
            Part("No theme", (Entries(entries[3:]),)),
            Paragraph("1 answer hidden", muted=True),
        ),
        phones=len(ANSWERS),
        shown=len(ANSWERS),
        hidden=1,
        sheet=Sheet(
            headers=("Time", "Group", "Answer", "Theme"),
            rows=tuple((TIME, GROUP, answer, "Tillit") for answer in ANSWERS),
        ),
    )


def _scale() -> ExerciseRecord:
    return ExerciseRecord(
        item_id=2,
        title="Hva er god ledelse? [del 1/2]",
        kind="Scale",
        elements=(
            Prompt("Hvor enig er du?"),
            RadarChart(("Tillit", "Mot"), (4.25, 3.5), 1, 5, alt="Means: Tillit 4.3, Mot 3.5"),
            Table(("Statement", "Mean", "Phones"), (("Tillit", 4.25, 8), ("Mot", 3.5, 8))),
        ),
        phones=8,
        shown=16,
        hidden=0,
        sheet=Sheet(
            headers=("Time", "Group", "Tillit", "Mot"),
            rows=((TIME, "", 4, 3), ("10:16", None, 5, 4)),
        ),
    )


def _points() -> ExerciseRecord:
    return ExerciseRecord(
        item_id=3,
        title="Prioriter",
        kind="100 points",
        elements=(
            Prompt("Fordel 100 poeng"),
            BarChart(("Å lytte", "Ø"), (60.0, 40.0), alt="Points: Å lytte 60, Ø 40"),
            Entries((Entry("Å lytte", "60 points"), Entry("Ø", "40 points")), ordered=True),
            CloudChart((("tillit", 5), ("mot", 2)), alt="Cloud: tillit 5, mot 2"),
        ),
        phones=2,
        shown=2,
        hidden=0,
        sheet=Sheet(headers=("Time", "Group", "Å lytte", "Ø"), rows=((TIME, GROUP, 60, 40),)),
    )


def _reflection() -> ExerciseRecord:
    return ExerciseRecord(
        item_id=4,
        title="Refleksjon",
        kind="Reflection",
        elements=(Paragraph("3 phones wrote reflections"),),
        phones=3,
        shown=0,
        hidden=0,
        sheet=None,
    )


AGENDA = (
    AgendaRow("Velkommen", "Talk", dt.time(9, 0), 15, dt.datetime(2026, 12, 1, 9, 2), 14),
    AgendaRow("Hva er god ledelse? [del 1/2]", "Open question", dt.time(9, 15), 20, None, None),
    AgendaRow("Lunsj", "Break", None, 45, dt.datetime(2026, 12, 1, 11, 30), 50),
)


def session(title: str = "Ledersamling: Ærlighet & mot", session_id: int = 7) -> SessionRecord:
    return SessionRecord(
        session_id=session_id,
        title=title,
        date=dt.date(2026, 12, 1),
        place="Kommunestyresalen, Tromsø",
        programme="Lederprogrammet 2026",
        client="Nordkommune",
        language="nb",
        agenda=AGENDA,
        exercises=(_open_text(), _scale(), _points(), _reflection()),
        joined=23,
        answered=19,
        made_at=dt.datetime(2026, 12, 2, 8, 30, tzinfo=dt.UTC),
    )


def programme() -> ProgrammeRecord:
    return ProgrammeRecord(
        programme_id=3,
        title="Lederprogrammet 2026",
        client="Nordkommune",
        language="nb",
        sessions=(session("Samling 1", 1), session("Samling 2", 2)),
        across=(
            Prompt("Evalueringen samling for samling"),
            Table(("Session", "Mean"), (("Samling 1", 4.5), ("Samling 2", 3.75))),
            Part(GROUP, (Entries((Entry("Felles punkt på tvers", "Samling 2"),)),)),
        ),
        made_at=dt.datetime(2026, 12, 2, 8, 30, tzinfo=dt.UTC),
    )
