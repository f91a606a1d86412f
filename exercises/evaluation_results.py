"""evaluation_results: what the evaluation's answers add up to, and how they are shown.

A rating's mean, spread and distribution; each question's shown texts in alphabetical
order; the summary's texts grouped by theme; and the comparison of a programme's
sessions' evaluations (see :meth:`EvaluationKind.compare`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workshop.i18n import format_number, gettext
from workshop.kinds import ResponseRecord, Settings
from workshop.summary import (
    BarChart,
    Cell,
    Element,
    Entries,
    Entry,
    Paragraph,
    Part,
    Table,
)

if TYPE_CHECKING:
    from exercises.evaluation import EvaluationKind


@dataclass(frozen=True)
class Rated:
    """One rating's results: the overall rating, or an extra statement's."""

    label: str
    mean: float | None  # None before anyone rated it; rounded only where it is shown
    spread: float | None  # the standard deviation (of the population that rated)
    counts: list[int]  # how many gave 1, 2, ... steps
    rated: int

    @property
    def tallest(self) -> int:
        return max(self.counts) if self.counts else 0


@dataclass(frozen=True)
class Evaluation:
    """The live result: the ratings, and the shown texts of each question."""

    overall: Rated
    statements: list[Rated]
    steps: int
    good: list[ResponseRecord]
    better: list[ResponseRecord]

    @property
    def phones(self) -> int:
        return self.overall.rated


def rated(label: str, ratings: Sequence[int], steps: int) -> Rated:
    """Mean, standard deviation and distribution of ratings from 1 to ``steps``."""
    counts = [0] * steps
    for value in ratings:
        if 1 <= value <= steps:
            counts[value - 1] += 1
    n = sum(counts)
    if not n:
        return Rated(label, None, None, counts, 0)
    mean = sum((v + 1) * c for v, c in enumerate(counts)) / n
    variance = sum(c * (v + 1 - mean) ** 2 for v, c in enumerate(counts)) / n
    return Rated(label, mean, math.sqrt(variance), counts, n)


def _text(response: ResponseRecord) -> str:
    return str(response.value.get("text", ""))


def _sorted(responses: Sequence[ResponseRecord], part: str) -> list[ResponseRecord]:
    """A question's texts, in alphabetical order (the order they came would pair them)."""
    found = [r for r in responses if r.value.get("part") == part and _text(r).strip()]
    return sorted(found, key=lambda r: (_text(r).casefold(), r.id))


def _number(value: float | None) -> str:
    return format_number(value, 1) if value is not None else "–"


def _answers(texts: Sequence[ResponseRecord], themes: Sequence[tuple[int, str]]) -> list[Element]:
    if not texts:
        return [Paragraph(gettext("No answers"), muted=True)]

    def entries(found: Sequence[ResponseRecord]) -> Entries:
        return Entries(
            tuple(Entry(_text(r), highlighted=r.highlighted, language=r.language) for r in found)
        )

    known = {theme_id for theme_id, _name in themes}
    parts: list[Element] = []
    for theme_id, name in themes:
        found = [r for r in texts if r.theme_id == theme_id]
        if found:
            parts.append(Part(name, (entries(found),)))
    rest = [r for r in texts if r.theme_id not in known]
    if rest:
        parts.append(entries(rest))
    return parts


def compare(
    kind: EvaluationKind, items: Sequence[tuple[str, Settings, Sequence[ResponseRecord]]]
) -> list[Element]:
    """The comparison of evaluations across sessions (see :meth:`EvaluationKind.compare`)."""
    if not items:
        return []
    results = [(title, kind.summarise(settings, shown)) for title, settings, shown in items]
    # A rating is a row: the overall rating, then each extra statement as the sessions
    # worded it (the same statement in two sessions is one row).
    labels: list[str] = [gettext("Overall rating")]
    for _title, result in results:
        for statement in result.statements:
            if statement.label not in labels:
                labels.append(statement.label)
    headers = (
        gettext("Rating"),
        *(
            header
            for title, _result in results
            for header in (
                gettext("%(session)s: mean", session=title),
                gettext("%(session)s: spread", session=title),
            )
        ),
    )
    rows: list[tuple[Cell, ...]] = []
    for index, label in enumerate(labels):
        cells: list[Cell] = [label]
        for _title, result in results:
            row: Rated | None = (
                result.overall
                if index == 0
                else next((r for r in result.statements if r.label == label), None)
            )
            mean = round(row.mean, 2) if row is not None and row.mean is not None else None
            spread = round(row.spread, 2) if row is not None and row.spread is not None else None
            cells += [mean, spread]
        rows.append(tuple(cells))
    means = tuple(r.overall.mean or 0.0 for _t, r in results)
    titles = tuple(title for title, _r in results)
    alt = gettext(
        "Mean overall rating per session: %(means)s",
        means="; ".join(f"{title} {_number(r.overall.mean)}" for title, r in results),
    )
    phones = tuple(r.phones for _t, r in results)
    counts = gettext(
        "Phones that evaluated: %(counts)s",
        counts="; ".join(f"{t} {n}" for t, n in zip(titles, phones, strict=True)),
    )
    return [
        BarChart(titles, means, alt),
        Table(headers, tuple(rows)),
        Paragraph(counts, muted=True),
    ]
