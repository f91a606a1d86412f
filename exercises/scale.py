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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from exercises.scale_radar import FONT_FILE, Radar, Row, radar
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


@dataclass(frozen=True)
class Ratings:
    rows: list[Row]
    steps: int
    phones: int
    radar: Radar | None


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
