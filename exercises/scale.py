"""scale: statements rated on a scale (1–5 by default); mean and distribution per statement.

With three or more statements the presenter can draw a radar chart (an SVG
drawn by the template from the geometry computed here): a leader rating
themselves on the competences of a competence wheel. Its spokes' labels are
the statements, wrapped in room measured with the chart font (which the kind
serves to the browser), or, when they do not all fit, the spokes' numbers with
the table beside the radar as the legend: a statement is never cut. A phone
has one response, all its ratings, and may change it until answers are locked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Literal

from workshop import fonts, forms
from workshop.actions import answering
from workshop.i18n import N_, Message, format_number, gettext, ngettext
from workshop.kinds import Curation, FacilitatorAction, PhoneAction, ResponseRecord, Settings, Value
from workshop.summary import (
    BarChart,
    Cell,
    Element,
    Paragraph,
    Prompt,
    RadarChart,
    SummaryContext,
    Table,
)

QUESTION_MAX = 500
STATEMENTS_MAX = 12
STATEMENT_MAX = 200
LABEL_MAX = 40
STEPS_MIN, STEPS_MAX = 2, 10
SETTINGS = ("question", "statements", "steps", "low_label", "high_label", "chart")
CHARTS = ("radar", "bars")

#: The radar, in its SVG's user units: the centre, the outer ring's radius, and the gap
#: between that ring and the spokes' labels.
CENTRE = 200
RADIUS = 120
GAP = 10
#: A spoke's label is its statement, wrapped in the chart font to lines this wide, when every
#: statement fits so with no label touching another; else its number, and the table beside
#: the radar is the legend.
LABEL_SIZE = 17
LINE_HEIGHT = 20
LINE_WIDTH = 150
LINES_MAX = 3
NUMBER_SIZE = 20
#: The chart font as the browser fetches it: /kinds/scale/chart.ttf.
FONT_FILE = "chart.ttf"
#: Room kept around everything drawn.
PAD = 6
#: How far from straight up, down, left or right a label still counts as there (sin 15°).
_SIDEWAYS = 0.26


@dataclass(frozen=True)
class Row:
    """One statement's ratings."""

    statement: str
    mean: float | None  # None before anyone rated it; rounded only where it is shown
    counts: list[int]  # how many gave 1, 2, ... steps
    rated: int
    width: float = 0.0  # the mean as a bar, 0–100 of the scale's top step

    @property
    def tallest(self) -> int:
        return max(self.counts) if self.counts else 0


@dataclass(frozen=True)
class Line:
    """One line of a spoke's label: where its centre line starts (or ends, or is centred)."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Spoke:
    """One axis of the radar: its end, and its label's lines and anchor."""

    x: float
    y: float
    anchor: str  # SVG text-anchor: start, middle or end
    lines: tuple[Line, ...]
    statement: str
    number: int


@dataclass(frozen=True)
class Radar:
    spokes: list[Spoke]
    rings: list[str]  # polygon points, one ring per step
    shape: str  # polygon points of the means
    view_box: str  # the circle and every label, with room around them
    numbered: bool  # labels are numbers; the table is the legend
    centre: float = CENTRE
    label_size: float = LABEL_SIZE  # the labels' font size, as they were measured


@dataclass(frozen=True)
class Ratings:
    rows: list[Row]
    steps: int
    phones: int
    radar: Radar | None


def _direction(index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return math.cos(angle), math.sin(angle)


def point(index: int, count: int, fraction: float) -> tuple[float, float]:
    """Where spoke ``index`` of ``count`` is at ``fraction`` of the radius (first at the top)."""
    dx, dy = _direction(index, count)
    return (
        round(CENTRE + RADIUS * fraction * dx, 1),
        round(CENTRE + RADIUS * fraction * dy, 1),
    )


def polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def wrap(text: str, size: float, width: float) -> list[str] | None:
    """``text`` in lines no wider than ``width`` in the chart font; None when a word is wider."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if fonts.text_width(trial, size) <= width:
            line = trial
            continue
        if fonts.text_width(word, size) > width:
            return None
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _label(
    index: int, count: int, lines: Sequence[str], size: float, line_height: float, away: float
) -> tuple[str, tuple[Line, ...], Box]:
    """A label of ``lines`` outside spoke ``index``: its anchor, lines and box."""
    dx, dy = _direction(index, count)
    px, py = CENTRE + (RADIUS + away) * dx, CENTRE + (RADIUS + away) * dy
    width = max(fonts.text_width(line, size) for line in lines)
    height = line_height * len(lines)
    if dx > _SIDEWAYS:
        anchor, left = "start", px
    elif dx < -_SIDEWAYS:
        anchor, left = "end", px - width
    else:
        anchor, left = "middle", px - width / 2
    # Above the centre a label stands on its point, below it hangs from it.
    top = py - height if dy < -_SIDEWAYS else py if dy > _SIDEWAYS else py - height / 2
    placed = tuple(
        Line(round(px, 1), round(top + line_height * (n + 0.5), 1), text)
        for n, text in enumerate(lines)
    )
    return anchor, placed, (left, top, left + width, top + height)


def _apart(boxes: Sequence[Box]) -> bool:
    """No two boxes overlap and none reaches into the circle."""
    for i, (left, top, right, bottom) in enumerate(boxes):
        nearest_x = min(max(CENTRE, left), right)
        nearest_y = min(max(CENTRE, top), bottom)
        if math.hypot(nearest_x - CENTRE, nearest_y - CENTRE) < RADIUS + GAP / 2:
            return False
        for other in boxes[i + 1 :]:
            if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom:
                return False
    return True


@lru_cache(maxsize=256)
def _labels(
    statements: tuple[str, ...],
) -> tuple[bool, tuple[tuple[str, tuple[Line, ...]], ...], str]:
    """The spokes' labels (numbered or not) and the view box that holds them (cached: the
    statements change with the settings only)."""
    count = len(statements)
    wrapped = [wrap(s, LABEL_SIZE, LINE_WIDTH) for s in statements]
    labels = []
    if all(w and len(w) <= LINES_MAX for w in wrapped):
        labels = [
            _label(i, count, w or (), LABEL_SIZE, LINE_HEIGHT, GAP) for i, w in enumerate(wrapped)
        ]
    numbered = not labels or not _apart([box for _a, _l, box in labels])
    if numbered:
        labels = [
            _label(i, count, (str(i + 1),), NUMBER_SIZE, NUMBER_SIZE, GAP / 2) for i in range(count)
        ]
    boxes = [box for _a, _l, box in labels]
    left = min([CENTRE - RADIUS, *(b[0] for b in boxes)]) - PAD
    top = min([CENTRE - RADIUS, *(b[1] for b in boxes)]) - PAD
    right = max([CENTRE + RADIUS, *(b[2] for b in boxes)]) + PAD
    bottom = max([CENTRE + RADIUS, *(b[3] for b in boxes)]) + PAD
    view_box = f"{left:.1f} {top:.1f} {right - left:.1f} {bottom - top:.1f}"
    return numbered, tuple((anchor, lines) for anchor, lines, _box in labels), view_box


def radar(rows: Sequence[Row], steps: int) -> Radar:
    count = len(rows)
    numbered, labels, view_box = _labels(tuple(row.statement for row in rows))
    spokes = [
        Spoke(*point(i, count, 1.0), anchor, lines, row.statement, i + 1)
        for i, (row, (anchor, lines)) in enumerate(zip(rows, labels, strict=True))
    ]
    rings = [
        polygon([point(i, count, step / steps) for i in range(count)])
        for step in range(1, steps + 1)
    ]
    shape = polygon([point(i, count, (row.mean or 0) / steps) for i, row in enumerate(rows)])
    size = NUMBER_SIZE if numbered else LABEL_SIZE
    return Radar(spokes, rings, shape, view_box, numbered, label_size=size)


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

    def static_files(self) -> Mapping[str, Path]:
        """The chart font the radar's labels are measured and drawn with."""
        return {FONT_FILE: fonts.chart_font()}

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
            mean = total / rated if rated else None
            width = round(100 * mean / steps, 2) if mean is not None else 0.0
            rows.append(Row(statement, mean, row, rated, width))
        shows_radar = settings.get("chart") == "radar" and len(rows) >= 3
        return Ratings(rows, steps, phones, radar(rows, steps) if shows_radar else None)

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The question, the scale's ends, each statement's mean and distribution as a table,
        and the means as a radar (when the item is drawn as one) or as bars."""
        result = self.summarise(settings, responses)
        steps = result.steps
        elements: list[Element] = []
        if settings.get("question"):
            elements.append(Prompt(str(settings["question"])))
        low, high = settings.get("low_label", ""), settings.get("high_label", "")
        if low or high:
            elements.append(
                Paragraph(
                    gettext(
                        "1 is %(low)s, %(steps)d is %(high)s",
                        low=low or "–",
                        high=high or "–",
                        steps=steps,
                    ),
                    muted=True,
                )
            )
        labels = tuple(row.statement for row in result.rows)
        means = tuple(row.mean or 0.0 for row in result.rows)
        listed = "; ".join(
            f"{row.statement} {format_number(row.mean, 1) if row.mean is not None else '–'}"
            for row in result.rows
        )
        alt = gettext(
            "The mean of each statement on a scale of 1 to %(steps)d: %(means)s",
            steps=steps,
            means=listed,
        )
        if result.radar is not None:
            elements.append(RadarChart(labels, means, low=1, high=steps, alt=alt))
        else:
            elements.append(BarChart(labels, means, alt=alt))
        elements.append(
            Table(
                (
                    gettext("Statement"),
                    gettext("Mean"),
                    *(str(step) for step in range(1, steps + 1)),
                    gettext("Rated by"),
                ),
                tuple((row.statement, row.mean, *row.counts, row.rated) for row in result.rows),
            )
        )
        elements.append(
            Paragraph(
                ngettext("%(num)d phone has rated", "%(num)d phones have rated", result.phones)
            )
        )
        return tuple(elements)

    def columns(self, settings: Settings) -> Sequence[str]:
        """A column per statement: the phone's rating of it."""
        return tuple(settings["statements"])

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The rating of each statement (blank where none was given)."""
        ratings = list(value.get("ratings", []))
        return tuple(
            int(ratings[i]) if i < len(ratings) else None
            for i in range(len(settings["statements"]))
        )
