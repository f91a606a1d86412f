"""A hand-built record for the tests of the HTML summary and its PDF: every element of
workshop/summary.py, with hostile answers (æøå, emoji, a right-to-left override, a
formula, a script tag). What the builder left out (hidden answers) is not in it; a page
that shows HIDDEN has made it up."""

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

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
RTL = "før\u202eevil"
EMOJI = "Mer tid til pauser 🎉"
NORWEGIAN = "Blåbærsyltetøy på Ærøy"
#: Every answer shown, as the participant wrote it.
ANSWERS = (NORWEGIAN, EMOJI, RTL, FORMULA, SCRIPT, "Kaffe $5 og $x^2$")
HIDDEN = "Skjult-svar-som-aldri-vises"
GROUP = "Gruppe Ørn <b>"
MADE_AT = dt.datetime(2026, 12, 2, 8, 30)


def _open_text() -> ExerciseRecord:
    entries = tuple(Entry(a, highlighted=(a == NORWEGIAN)) for a in ANSWERS)
    return ExerciseRecord(
        item_id=11,
        title="Hva er god ledelse?",
        kind="Open question",
        elements=(
            Prompt("Hva kjennetegner god ledelse? <i>"),
            Part("Tillit & mot", (Entries(entries[:3]),)),
            Part("No theme", (Entries(entries[3:]),)),
        ),
        phones=30,
        shown=len(ANSWERS),
        hidden=3,
        sheet=Sheet(("Time", "Group", "Answer"), tuple(("10:15", GROUP, a) for a in ANSWERS)),
    )


def _qa() -> ExerciseRecord:
    return ExerciseRecord(
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
    )


def _choice() -> ExerciseRecord:
    return ExerciseRecord(
        item_id=13,
        title="Hvor står vi?",
        kind="Choice",
        elements=(
            Prompt("Velg ett alternativ"),
            BarChart(("Ærlig talt: godt", FORMULA, "$\\nosuchcommand$"), (12, 5, 1), "Votes"),
            Table(
                ("Option", "Votes", "Share"), (("Ærlig talt: godt", 12, 66.7), (FORMULA, 5, None))
            ),
        ),
        phones=18,
        shown=18,
        hidden=0,
        sheet=None,
    )


def _scale() -> ExerciseRecord:
    return ExerciseRecord(
        item_id=14,
        title="Kompetansehjulet",
        kind="Scale",
        elements=(
            RadarChart(("Tillit", "Mot", "Åpenhet", EMOJI), (4.25, 3.5, 2.65, 5.0), 1, 5, "Means"),
            CloudChart(((NORWEGIAN, 4), (EMOJI, 2), (RTL, 1), (SCRIPT, 1)), "Cloud of words"),
        ),
        phones=9,
        shown=9,
        hidden=1,
        sheet=None,
    )


def _groups() -> ExerciseRecord:
    return ExerciseRecord(
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
        exercises=(_open_text(), _qa(), _choice(), _scale(), _groups()),
        joined=30,
        answered=28,
        made_at=MADE_AT,
    )


def programme() -> ProgrammeRecord:
    return ProgrammeRecord(
        programme_id=3,
        title="Lederprogrammet 2026",
        client="Nordkommune",
        language="nb",
        sessions=(session("Samling 1", 1), session("Samling 2", 2)),
        across=(
            Table(
                ("Session", "Mean", "Spread"), (("Samling 1", 4.5, 0.7), ("Samling 2", 3.75, 1.1))
            ),
            BarChart(("Samling 1", "Samling 2"), (4.5, 3.75), "Mean rating per session"),
            Part(GROUP, (Entries((Entry("Felles punkt på tvers", "Samling 2"),)),)),
        ),
        made_at=MADE_AT,
    )
