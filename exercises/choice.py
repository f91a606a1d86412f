"""choice: one question, single or multiple choice; live bars with counts and percentages.

A phone has one vote (one response) and may change it until answers are
locked. A vote is the list of the options' positions it picked.
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
SETTINGS = ("question", "options", "multiple", "max_picks")


@dataclass(frozen=True)
class Bar:
    """One option's share of the votes."""

    label: str
    count: int
    percent: int  # of the phones that voted, rounded half up
    width: float = 0.0  # bar length, 0–100: one scale for all, the most voted option's 100


@dataclass(frozen=True)
class Tally:
    bars: list[Bar]
    voters: int


def picked(raw: object) -> list[str]:
    """What a form sent for a field that may repeat (a string, or a list of them)."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list | tuple) and all(isinstance(v, str) for v in raw):
        return list(raw)
    raise ValueError(Message("Invalid value."))


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole per cent, rounded as people round (12.5 → 13)."""
    return int(half_up(Decimal(100 * part) / whole)) if whole else 0


def share(part: int, most: int) -> float:
    """A bar's length (0–100) on the scale where ``most`` is the longest bar."""
    return round(100 * part / most, 2) if most else 0.0


class Choice:
    name: ClassVar[str] = "choice"
    label: ClassVar[str] = N_("Multiple choice")
    template: ClassVar[str] = "choice/choice.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"

    def default_settings(self) -> Settings:
        """A blank question with two blank options, one pick."""
        return {"question": "", "options": [], "multiple": False, "max_picks": 1}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Question required; 2–20 distinct options; with ``multiple``, 1–options picks."""
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
        multiple = check.field("multiple", forms.flag, raw.get("multiple"))
        count = len(options) if options else OPTIONS_MAX
        max_picks = check.field(
            "max_picks",
            forms.integer,
            raw.get("max_picks"),
            minimum=1,
            maximum=count,
            default=count if multiple else 1,
        )
        check.done()
        return {
            "question": question,
            "options": options,
            "multiple": multiple,
            "max_picks": max_picks if multiple else 1,
        }

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Vote, and change or take back one's vote."""
        return answering(self.validate_response)

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """None: the votes are the phones' own."""
        return {}

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """The options picked: at least one, at most ``max_picks``, each one of the options."""
        options: list[str] = settings["options"]
        try:
            chosen = picked(raw.get("choice"))
        except ValueError:
            chosen = ["?"]
        positions: list[int] = []
        for value in chosen:
            if not value.isdigit() or int(value) >= len(options):
                raise forms.Invalid({"choice": Message("Choose one of the options.")})
            if int(value) not in positions:
                positions.append(int(value))
        if not positions:
            raise forms.Invalid({"choice": Message("Choose an option.")})
        limit = int(settings["max_picks"])
        if len(positions) > limit:
            raise forms.Invalid({"choice": Message("Choose at most %(max)d options.", max=limit)})
        return {"choices": sorted(positions)}

    def responses_allowed(self, settings: Settings) -> int:
        """One vote per phone (it can be changed)."""
        return 1

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Tally:
        """Votes per option, in the options' order, with the share of voters."""
        options: list[str] = settings["options"]
        counts = [0] * len(options)
        voters = 0
        for response in responses:
            if response.hidden:
                continue
            voters += 1
            for position in response.value.get("choices", []):
                if 0 <= position < len(options):
                    counts[position] += 1
        most = max(counts, default=0)
        bars = [
            Bar(label, n, percent(n, voters), share(n, most))
            for label, n in zip(options, counts, strict=True)
        ]
        return Tally(bars, voters)

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The question, the votes per option as bars and as a table, and how many voted."""
        tally = self.summarise(settings, responses)
        labels = tuple(bar.label for bar in tally.bars)
        return (
            Prompt(str(settings["question"])),
            BarChart(
                labels,
                tuple(float(bar.count) for bar in tally.bars),
                alt=gettext("Bar chart of the votes per option: %(votes)s", votes=_listed(tally)),
            ),
            Table(
                (gettext("Option"), gettext("Votes"), gettext("Per cent of the phones that voted")),
                tuple((bar.label, bar.count, bar.percent) for bar in tally.bars),
            ),
            Paragraph(ngettext("%(num)d phone voted", "%(num)d phones voted", tally.voters)),
        )

    def columns(self, settings: Settings) -> Sequence[str]:
        """The option picked; with several picks, a column per option (1 where picked)."""
        if settings.get("multiple"):
            return tuple(settings["options"])
        return (gettext("Choice"),)

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The option picked, or 1 under each option picked."""
        options: list[str] = settings["options"]
        chosen = [p for p in value.get("choices", []) if 0 <= p < len(options)]
        if settings.get("multiple"):
            return tuple(1 if i in chosen else None for i in range(len(options)))
        return ("; ".join(options[p] for p in chosen),)


def _listed(tally: Tally) -> str:
    return "; ".join(f"{bar.label} {format_number(bar.count)}" for bar in tally.bars)
