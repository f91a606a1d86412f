"""scale: statements rated on a scale (1–5 by default); mean and distribution per statement.

With three or more statements the presenter can draw a radar chart (an SVG
drawn by the template from the geometry computed here): a leader rating
themselves on the competences of a competence wheel. A phone has one
response, all its ratings, and may change it until answers are locked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from workshop import forms
from workshop.actions import answering
from workshop.i18n import N_, Message
from workshop.kinds import Curation, FacilitatorAction, PhoneAction, ResponseRecord, Settings, Value

QUESTION_MAX = 500
STATEMENTS_MAX = 12
STATEMENT_MAX = 200
LABEL_MAX = 40
STEPS_MIN, STEPS_MAX = 2, 10
SETTINGS = ("question", "statements", "steps", "low_label", "high_label", "chart")
CHARTS = ("radar", "bars")

#: The radar chart's drawing box (viewBox 0 0 SIZE SIZE) and radius.
SIZE = 400
RADIUS = 120


@dataclass(frozen=True)
class Row:
    """One statement's ratings."""

    statement: str
    mean: float | None  # None before anyone rated it
    counts: list[int]  # how many gave 1, 2, ... steps
    rated: int

    @property
    def tallest(self) -> int:
        return max(self.counts) if self.counts else 0


@dataclass(frozen=True)
class Spoke:
    """One axis of the radar: its end, its label's place and anchor."""

    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    statement: str


@dataclass(frozen=True)
class Radar:
    spokes: list[Spoke]
    rings: list[str]  # polygon points, one ring per step
    shape: str  # polygon points of the means


@dataclass(frozen=True)
class Ratings:
    rows: list[Row]
    steps: int
    phones: int
    radar: Radar | None


def point(index: int, count: int, fraction: float) -> tuple[float, float]:
    """Where spoke ``index`` of ``count`` is at ``fraction`` of the radius (first at the top)."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    centre = SIZE / 2
    return (
        round(centre + RADIUS * fraction * math.cos(angle), 1),
        round(centre + RADIUS * fraction * math.sin(angle), 1),
    )


def polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def radar(rows: Sequence[Row], steps: int) -> Radar:
    count = len(rows)
    spokes = []
    for i, row in enumerate(rows):
        x, y = point(i, count, 1.0)
        lx, ly = point(i, count, 1.12)
        anchor = "middle" if abs(lx - SIZE / 2) < 10 else ("start" if lx > SIZE / 2 else "end")
        spokes.append(Spoke(x, y, lx, ly, anchor, row.statement))
    rings = [
        polygon([point(i, count, step / steps) for i in range(count)])
        for step in range(1, steps + 1)
    ]
    shape = polygon([point(i, count, (row.mean or 0) / steps) for i, row in enumerate(rows)])
    return Radar(spokes, rings, shape)


class Scale:
    name: ClassVar[str] = "scale"
    label: ClassVar[str] = N_("Scale")
    template: ClassVar[str] = "scale/scale.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"

    def default_settings(self) -> Settings:
        """No statements yet; a scale of 1–5 with unlabelled ends; a radar when it fits."""
        return {
            "question": "",
            "statements": [],
            "steps": 5,
            "low_label": "",
            "high_label": "",
            "chart": "radar",
        }

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """1–12 distinct statements; 2–10 steps; short labels for both ends; radar or bars."""
        check = forms.Checker()
        check.only(raw, SETTINGS)
        question = check.field(
            "question", forms.text, raw.get("question"), max_length=QUESTION_MAX, multiline=True
        )
        statements = check.field(
            "statements",
            forms.lines,
            raw.get("statements"),
            min_items=1,
            max_items=STATEMENTS_MAX,
            max_length=STATEMENT_MAX,
        )
        steps = check.field(
            "steps",
            forms.integer,
            raw.get("steps"),
            minimum=STEPS_MIN,
            maximum=STEPS_MAX,
            default=5,
        )
        low = check.field("low_label", forms.text, raw.get("low_label"), max_length=LABEL_MAX)
        high = check.field("high_label", forms.text, raw.get("high_label"), max_length=LABEL_MAX)
        chart = check.field("chart", forms.choice, raw.get("chart") or "radar", options=CHARTS)
        check.done()
        return {
            "question": question,
            "statements": statements,
            "steps": steps,
            "low_label": low,
            "high_label": high,
            "chart": chart,
        }

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Rate, and change or take back one's ratings."""
        return answering(self.validate_response)

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """None: the ratings are the phones' own."""
        return {}

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """A rating from 1 to ``steps`` for every statement."""
        steps = int(settings["steps"])
        check = forms.Checker()
        ratings = [
            check.field(
                f"rating-{i}", forms.integer, raw.get(f"rating-{i}"), minimum=1, maximum=steps
            )
            for i in range(len(settings["statements"]))
        ]
        for key, message in list(check.errors.items()):
            if message == Message("Required."):
                check.errors[key] = Message("Rate this statement.")
        check.done()
        return {"ratings": ratings}

    def responses_allowed(self, settings: Settings) -> int:
        """One set of ratings per phone (it can be changed)."""
        return 1

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Ratings:
        """Mean and distribution per statement; the radar's geometry with three or more."""
        statements: list[str] = settings["statements"]
        steps = int(settings["steps"])
        counts = [[0] * steps for _ in statements]
        phones = 0
        for response in responses:
            if response.hidden:
                continue
            phones += 1
            for i, rating in enumerate(response.value.get("ratings", [])[: len(statements)]):
                if 1 <= rating <= steps:
                    counts[i][rating - 1] += 1
        rows = []
        for statement, row in zip(statements, counts, strict=True):
            rated = sum(row)
            total = sum((value + 1) * n for value, n in enumerate(row))
            rows.append(Row(statement, round(total / rated, 1) if rated else None, row, rated))
        shows_radar = settings.get("chart") == "radar" and len(rows) >= 3
        return Ratings(rows, steps, phones, radar(rows, steps) if shows_radar else None)

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """Each statement with its mean and distribution."""
        result = self.summarise(settings, responses)
        return {
            "question": settings.get("question", ""),
            "rows": result.rows,
            "steps": result.steps,
            "phones": result.phones,
            "low_label": settings.get("low_label", ""),
            "high_label": settings.get("high_label", ""),
        }
