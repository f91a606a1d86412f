"""Hand-built records of a day for the tests of the formats: hostile answers included.

Two days of the same session and programme: ``FORMATS`` for the spreadsheets, the CSV
files and the Word file (formula-like text, tabs, a line break, a private reflection),
``SUMMARY`` for the HTML summary and its PDF (every element of workshop/summary.py, a
script tag, a formula in a chart). Both hold æøå, emoji and a right-to-left override. The
hidden answers are not in a record (the builder leaves them out and counts them), so a
format that shows HIDDEN has made it up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
RTL = "før\u202eevil"
EMOJI = "Mer tid til pauser 🎉"
NORWEGIAN = "Blåbærsyltetøy på Ærøy"
#: What the formula-like answers must read as in a spreadsheet.
NEUTRALISED = {
    FORMULA: "'" + FORMULA,
    "+1": "'+1",
    "-2": "'-2",
    "@x": "'@x",
    "\tinnrykk med tab": "'\tinnrykk med tab",
}
#: Written, then hidden by the facilitator: in no format.
HIDDEN = "Skjult-svar-som-aldri-vises"
GROUP = "Gruppe Ørn <b>"
TIME = "10:15"
MADE_AT = dt.datetime(2026, 12, 2, 8, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Day:
    """A day's answers as the participants wrote them (every one the record shows), its
    agenda and its exercises; the same session and programme around them."""

    answers: tuple[str, ...]
    agenda: tuple[AgendaRow, ...]
    exercises: tuple[ExerciseRecord, ...]

    def session(
        self, title: str = "Ledersamling: Ærlighet & mot", session_id: int = 7
    ) -> SessionRecord:
        return SessionRecord(
            session_id=session_id,
            title=title,
            date=dt.date(2026, 12, 1),
            place="Kommunestyresalen, Tromsø",
            programme="Lederprogrammet 2026",
            client="Nordkommune",
            language="nb",
            agenda=self.agenda,
            exercises=self.exercises,
            joined=23,
            answered=19,
            made_at=MADE_AT,
        )

    def programme(self) -> ProgrammeRecord:
        return ProgrammeRecord(
            programme_id=3,
            title="Lederprogrammet 2026",
            client="Nordkommune",
            language="nb",
            sessions=(self.session("Samling 1", 1), self.session("Samling 2", 2)),
            across=(
                Prompt("Evalueringen samling for samling"),
                Table(
                    ("Session", "Mean", "Spread"),
                    (("Samling 1", 4.5, 0.7), ("Samling 2", 3.75, 1.1)),
                ),
                BarChart(("Samling 1", "Samling 2"), (4.5, 3.75), "Mean rating per session"),
                Part(GROUP, (Entries((Entry("Felles punkt på tvers", "Samling 2"),)),)),
            ),
            made_at=MADE_AT,
        )


def _themed(answers: tuple[str, ...], highlighted: str, theme: str) -> tuple[Part, Part]:
    """An open question's answers: the first three under ``theme``, the rest under none."""
    entries = tuple(Entry(answer, highlighted=(answer == highlighted)) for answer in answers)
    return Part(theme, (Entries(entries[:3]),)), Part("No theme", (Entries(entries[3:]),))


# -- the day of the spreadsheets, the CSV files and the Word file ----------------------

_FORMATS_ANSWERS = (
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
_TWO_PARTS = "Hva er god ledelse? [del 1/2]"

FORMATS = Day(
    answers=_FORMATS_ANSWERS,
    agenda=(
        AgendaRow("Velkommen", "Talk", dt.time(9, 0), 15, dt.datetime(2026, 12, 1, 9, 2), 14),
        AgendaRow(_TWO_PARTS, "Open question", dt.time(9, 15), 20, None, None),
        AgendaRow("Lunsj", "Break", None, 45, dt.datetime(2026, 12, 1, 11, 30), 50),
    ),
    exercises=(
        ExerciseRecord(
            item_id=1,
            title=_TWO_PARTS,
            kind="Open question",
            elements=(
                Prompt("Hva er god ledelse for deg?"),
                *_themed(_FORMATS_ANSWERS, _FORMATS_ANSWERS[0], "Tema: Tillit"),
                Paragraph("1 answer hidden", muted=True),
            ),
            phones=len(_FORMATS_ANSWERS),
            shown=len(_FORMATS_ANSWERS),
            hidden=1,
            sheet=Sheet(
                headers=("Time", "Group", "Answer", "Theme"),
                rows=tuple((TIME, GROUP, answer, "Tillit") for answer in _FORMATS_ANSWERS),
            ),
        ),
        ExerciseRecord(
            item_id=2,
            title=_TWO_PARTS,
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
        ),
        ExerciseRecord(
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
        ),
        ExerciseRecord(
            item_id=4,
            title="Refleksjon",
            kind="Reflection",
            elements=(Paragraph("3 phones wrote reflections"),),
            phones=3,
            shown=0,
            hidden=0,
            sheet=None,
        ),
    ),
)

# -- the day of the HTML summary and its PDF -------------------------------------------

_SUMMARY_ANSWERS = (NORWEGIAN, EMOJI, RTL, FORMULA, SCRIPT, "Kaffe $5 og $x^2$")

SUMMARY = Day(
    answers=_SUMMARY_ANSWERS,
    agenda=(
        AgendaRow("Velkommen", "Talk", dt.time(9, 0), 15, dt.datetime(2026, 12, 1, 9, 2), 14),
        AgendaRow(
            "Hva er god ledelse?",
            "Open question",
            dt.time(9, 15),
            20,
            dt.datetime(2026, 12, 1, 9, 16),
            31,
        ),
        AgendaRow("Lunsj", "Break", dt.time(11, 30), 45, None, None),
    ),
    exercises=(
        ExerciseRecord(
            item_id=11,
            title="Hva er god ledelse?",
            kind="Open question",
            elements=(
                Prompt("Hva kjennetegner god ledelse? <i>"),
                *_themed(_SUMMARY_ANSWERS, NORWEGIAN, "Tillit & mot"),
            ),
            phones=30,
            shown=len(_SUMMARY_ANSWERS),
            hidden=3,
            sheet=Sheet(
                ("Time", "Group", "Answer"), tuple((TIME, GROUP, a) for a in _SUMMARY_ANSWERS)
            ),
        ),
        ExerciseRecord(
            item_id=12,
            title="Spørsmål til ledergruppen",
            kind="Q&A",
            elements=(
                Prompt("Hva lurer du på?"),
                Entries(
                    (
                        Entry("Når kommer ny strategi? 🚀", "7 votes · answered", highlighted=True),
                        Entry(SCRIPT, "2 votes"),
                    ),
                    ordered=True,
                ),
            ),
            phones=12,
            shown=2,
            hidden=0,
            sheet=Sheet(("Time", "Group", "Question"), (("10:40", None, SCRIPT),)),
        ),
        ExerciseRecord(
            item_id=13,
            title="Hvor står vi?",
            kind="Choice",
            elements=(
                Prompt("Velg ett alternativ"),
                BarChart(("Ærlig talt: godt", FORMULA, "$\\nosuchcommand$"), (12, 5, 1), "Votes"),
                Table(
                    ("Option", "Votes", "Share"),
                    (("Ærlig talt: godt", 12, 66.7), (FORMULA, 5, None)),
                ),
            ),
            phones=18,
            shown=18,
            hidden=0,
            sheet=None,
        ),
        ExerciseRecord(
            item_id=14,
            title="Kompetansehjulet",
            kind="Scale",
            elements=(
                RadarChart(
                    ("Tillit", "Mot", "Åpenhet", EMOJI), (4.25, 3.5, 2.65, 5.0), 1, 5, "Means"
                ),
                CloudChart(((NORWEGIAN, 4), (EMOJI, 2), (RTL, 1), (SCRIPT, 1)), "Cloud of words"),
            ),
            phones=9,
            shown=9,
            hidden=1,
            sheet=None,
        ),
        ExerciseRecord(
            item_id=15,
            title="Gruppearbeid",
            kind="Group work",
            elements=(
                Part(GROUP, (Entries((Entry("Felles mål"), Entry(RTL))),)),
                Part("Gruppe 2", (Paragraph("No points", muted=True),)),
            ),
            phones=8,
            shown=2,
            hidden=0,
            sheet=None,
        ),
    ),
)
