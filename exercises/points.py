"""points: spend a budget (100 points, or K dots) over the options; ranked by points.

Used when a group decides what matters most. A phone has one response, its
whole allocation, and may change it until answers are locked; it can never
spend more than the budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import ClassVar, Literal

from workshop import forms
from workshop.actions import answering
from workshop.i18n import N_, Message, format_number, gettext, half_up, ngettext
from workshop.kinds import Curation, FacilitatorAction, PhoneAction, ResponseRecord, Settings, Value
from workshop.summary import BarChart, Cell, Element, Paragraph, Prompt, SummaryContext, Table

QUESTION_MAX = 500
OPTIONS_MIN, OPTIONS_MAX = 2, 20
OPTION_MAX = 100
BUDGET_MAX = 1000
SETTINGS = ("question", "options", "budget")


@dataclass(frozen=True)
class Ranked:
    """One option's points, and its share of all points given."""

    label: str
    points: int
    percent: int  # of all points given, rounded half up
    width: float  # bar length, 0–100: one scale for all, the option with the most points 100


@dataclass(frozen=True)
class Ranking:
    options: list[Ranked]  # most points first; ties keep the options' order
    phones: int
    spent: int


class Points:
    name: ClassVar[str] = "points"
    label: ClassVar[str] = N_("Points")
    template: ClassVar[str] = "points/points.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"

    def default_settings(self) -> Settings:
        """A blank question, no options yet, 100 points to spend."""
        return {"question": "", "options": [], "budget": 100}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Question required; 2–20 distinct options; a budget of 1–1000 points."""
        check = forms.Checker()
        check.only(raw, SETTINGS)
        question = check.field(
            "question",
            forms.text,
            raw.get("question"),
            max_length=QUESTION_MAX,
            required=True,
            multiline=True,
        )
        options = check.field(
            "options",
            forms.lines,
            raw.get("options"),
            min_items=OPTIONS_MIN,
            max_items=OPTIONS_MAX,
            max_length=OPTION_MAX,
        )
        budget = check.field(
            "budget", forms.integer, raw.get("budget"), minimum=1, maximum=BUDGET_MAX, default=100
        )
        check.done()
        return {"question": question, "options": options, "budget": budget}

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Give points, and change or take them back."""
        return answering(self.validate_response)

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """None: the points are the phones' own."""
        return {}

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """Whole points per option (blank is 0), some spent, never more than the budget."""
        budget = int(settings["budget"])
        check = forms.Checker()
        points = [
            check.field(
                f"points-{i}",
                forms.integer,
                raw.get(f"points-{i}"),
                minimum=0,
                maximum=budget,
                default=0,
            )
            for i in range(len(settings["options"]))
        ]
        check.done()
        spent = sum(points)
        if spent > budget:
            raise forms.Invalid(
                {
                    "points": Message(
                        "You have spent %(spent)d of %(budget)d points: take some back.",
                        spent=spent,
                        budget=budget,
                    )
                }
            )
        if spent == 0:
            raise forms.Invalid({"points": Message("Give points to at least one option.")})
        return {"points": points}

    def responses_allowed(self, settings: Settings) -> int:
        """One allocation per phone (it can be changed)."""
        return 1

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Ranking:
        """Points per option, most first."""
        options: list[str] = settings["options"]
        totals = [0] * len(options)
        phones = 0
        for response in responses:
            if response.hidden:
                continue
            phones += 1
            for i, given in enumerate(response.value.get("points", [])[: len(options)]):
                totals[i] += max(0, int(given))
        spent = sum(totals)
        most = max(totals, default=0)
        ranked = [
            Ranked(
                label,
                total,
                int(half_up(Decimal(100 * total) / spent)) if spent else 0,
                round(100 * total / most, 2) if most else 0.0,
            )
            for label, total in zip(options, totals, strict=True)
        ]
        ranked.sort(key=lambda r: -r.points)  # stable: ties keep the options' order
        return Ranking(ranked, phones, spent)

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The question and the options ranked by points, as bars and as a table."""
        ranking = self.summarise(settings, responses)
        ranked = ranking.options
        listed = "; ".join(f"{r.label} {format_number(r.points)}" for r in ranked)
        return (
            Prompt(str(settings["question"])),
            BarChart(
                tuple(r.label for r in ranked),
                tuple(float(r.points) for r in ranked),
                alt=gettext(
                    "Bar chart of the points per option, most first: %(points)s", points=listed
                ),
            ),
            Table(
                (
                    gettext("Rank"),
                    gettext("Option"),
                    gettext("Points"),
                    gettext("Per cent of the points"),
                ),
                tuple(
                    (place, r.label, r.points, r.percent) for place, r in enumerate(ranked, start=1)
                ),
            ),
            Paragraph(
                ngettext(
                    "%(num)d phone gave %(spent)s points",
                    "%(num)d phones gave %(spent)s points",
                    ranking.phones,
                    spent=format_number(ranking.spent),
                )
            ),
        )

    def columns(self, settings: Settings) -> Sequence[str]:
        """A column per option: the points the phone gave it."""
        return tuple(settings["options"])

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The points given to each option."""
        given = list(value.get("points", []))
        return tuple(
            int(given[i]) if i < len(given) else 0 for i in range(len(settings["options"]))
        )
