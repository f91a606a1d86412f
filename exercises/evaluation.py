"""evaluation: the end of the day: a rating, what was good and why, what could be better.

A phone's answer is three responses, stored at once: its ratings (the overall rating
first, then the extra statements'), and its two texts, each a response of its own. So
the facilitator moderates each text on its own (hide, highlight, themes, as open
text), and never sees which phone wrote what: no page, push or export shows a
phone's rating beside its texts, and the texts are listed in alphabetical order, not
as they came. The item can stay open after the session closes (``open_until``, a time
of the session's day), for those who leave early. Across a programme, its sessions'
evaluations are compared: mean and spread of each rating, session by session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from exercises.evaluation_results import (
    Evaluation,
    Rated,
    _answers,
    _number,
    _sorted,
    compare,
    rated,
)
from workshop import forms
from workshop.actions import NOT_YOURS, field, marking, number, response_id
from workshop.effects import Effects, Insert, Refused, Update
from workshop.i18n import N_, Message, gettext
from workshop.kinds import (
    Curation,
    FacilitatorAction,
    Fields,
    PhoneAction,
    ResponseRecord,
    Settings,
    Value,
)
from workshop.summary import (
    BarChart,
    Cell,
    Element,
    Paragraph,
    Part,
    Prompt,
    SummaryContext,
    Table,
)

if TYPE_CHECKING:
    from workshop.live.state import PhoneState

QUESTION_MAX = 300
STATEMENTS_MAX = 8
STATEMENT_MAX = 200
LABEL_MAX = 40
STEPS_MIN, STEPS_MAX = 2, 10
LENGTH_MIN, LENGTH_MAX = 50, 2000
SETTINGS = (
    "question",
    "steps",
    "low_label",
    "high_label",
    "statements",
    "good_question",
    "better_question",
    "max_length",
    "open_until",
)
#: The parts of a phone's answer, each a response: its ratings, and its two texts.
RATING, GOOD, BETTER = "rating", "good", "better"
TEXTS = (GOOD, BETTER)


class EvaluationKind:
    name: ClassVar[str] = "evaluation"
    label: ClassVar[str] = N_("Evaluation")
    template: ClassVar[str] = "evaluation/evaluation.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"

    def default_settings(self) -> Settings:
        """The day's rating on 1–5, and the two questions of the seeds' evaluations."""
        return {
            "question": gettext("All in all, how was the day?"),
            "steps": 5,
            "low_label": gettext("Poor"),
            "high_label": gettext("Very good"),
            "statements": [],
            "good_question": gettext("What was good, and why?"),
            "better_question": gettext("What could have been better, and how?"),
            "max_length": 500,
            "open_until": "",
        }

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """The rating's question, 2–10 steps and end labels; 0–8 extra statements; both
        questions; the longest answer; the time it stays open until after the session."""
        check = forms.Checker()
        check.only(raw, SETTINGS)

        def text(name: str, limit: int, required: bool = False) -> str:
            value: str = check.field(
                name, forms.text, raw.get(name), max_length=limit, required=required
            )
            return value

        question = text("question", QUESTION_MAX, required=True)
        steps = check.field(
            "steps",
            forms.integer,
            raw.get("steps"),
            minimum=STEPS_MIN,
            maximum=STEPS_MAX,
            default=5,
        )
        low, high = text("low_label", LABEL_MAX), text("high_label", LABEL_MAX)
        statements = check.field(
            "statements",
            forms.lines,
            raw.get("statements"),
            min_items=0,
            max_items=STATEMENTS_MAX,
            max_length=STATEMENT_MAX,
        )
        good = text("good_question", QUESTION_MAX, required=True)
        better = text("better_question", QUESTION_MAX, required=True)
        max_length = check.field(
            "max_length",
            forms.integer,
            raw.get("max_length"),
            minimum=LENGTH_MIN,
            maximum=LENGTH_MAX,
            default=500,
        )
        until = check.field("open_until", forms.clock_time, raw.get("open_until"))
        check.done()
        return {
            "question": question,
            "steps": steps,
            "low_label": low,
            "high_label": high,
            "statements": statements,
            "good_question": good,
            "better_question": better,
            "max_length": max_length,
            "open_until": until.strftime("%H:%M") if until is not None else "",
        }

    def open_until(self, settings: Settings, day: dt.date) -> dt.datetime | None:
        """The facilitator's time on the session's day (the server's local time)."""
        until = forms.clock_time(settings.get("open_until") or None)
        if until is None:
            return None
        return dt.datetime.combine(day, until).astimezone()

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Evaluate (the ratings and both texts at once), and change one part (a text can
        be emptied; the evaluation is not taken back: its three parts go together)."""
        return {
            "answer": PhoneAction(self._answer, idempotent=True),
            "edit": PhoneAction(self._edit),
        }

    def _answer(self, settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Send the ratings and the two texts: three responses, stored together."""
        ratings, texts = self._checked(settings, fields, (RATING, *TEXTS))
        return (
            Insert({"part": RATING, "ratings": ratings}),
            *(Insert({"part": part, "text": texts[part]}) for part in TEXTS),
        )

    def _edit(self, settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """Change one part of the phone's evaluation: its ratings, or one of its texts."""
        rid = response_id(fields)
        own = phone.own_response(rid)
        if own is None:
            raise Refused(NOT_YOURS, 404)
        part = str(own.value.get("part", ""))
        ratings, texts = self._checked(settings, fields, (part,))
        value = {"part": part, "ratings": ratings} if part == RATING else {"part": part}
        if part != RATING:
            value["text"] = texts[part]
        return Update(rid, value, number(fields, "version"))

    def _checked(
        self, settings: Settings, raw: Fields, parts: Sequence[str]
    ) -> tuple[list[int], dict[str, str]]:
        """The posted ratings (every one required) and texts (optional) of these parts."""
        check = forms.Checker()
        steps = int(settings["steps"])
        ratings: list[int] = []
        if RATING in parts:
            for i in range(1 + len(settings["statements"])):
                name = f"rating-{i}"
                value = field(raw, name)
                if not value:
                    check.errors[name] = Message("Choose a rating.")
                    continue
                ratings.append(check.field(name, forms.integer, value, minimum=1, maximum=steps))
        texts = {
            part: check.field(
                part,
                forms.text,
                field(raw, part),
                max_length=int(settings["max_length"]),
                multiline=True,
            )
            for part in TEXTS
            if part in parts
        }
        check.done()
        return ratings, texts

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Hide, highlight and sort the texts into themes, as open text."""
        return marking()

    def shown_text(self, value: Value) -> str:
        """A text as the room sees it (the ratings have none: moderation passes them)."""
        return str(value.get("text", ""))

    def responses_allowed(self, settings: Settings) -> int:
        """One evaluation per phone: its ratings and its two texts."""
        return 1 + len(TEXTS)

    def pages_on_screen(self, settings: Settings) -> bool:
        """The answers page through on the screen when there are more than fit."""
        return True

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Evaluation:
        """Mean, spread and distribution of each rating; each question's shown texts."""
        steps = int(settings["steps"])
        statements: list[str] = settings["statements"]
        columns: list[list[int]] = [[] for _ in range(1 + len(statements))]
        for r in responses:
            if r.value.get("part") != RATING or r.hidden:
                continue
            for i, value in enumerate(r.value.get("ratings", [])[: len(columns)]):
                if isinstance(value, int):
                    columns[i].append(value)
        labels = [str(settings["question"]), *statements]
        rows = [rated(label, col, steps) for label, col in zip(labels, columns, strict=True)]
        shown = [r for r in responses if not r.hidden]
        return Evaluation(rows[0], rows[1:], steps, _sorted(shown, GOOD), _sorted(shown, BETTER))

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The ratings as a table and the overall rating's distribution as bars; each
        question's texts (highlighted ones marked), grouped by theme when sorted so."""
        result = self.summarise(settings, responses)
        elements: list[Element] = [Prompt(str(settings["question"]))]
        if not result.phones:
            elements.append(Paragraph(gettext("No one has evaluated."), muted=True))
        elements.append(self._table(settings, result))
        elements.append(self._bars(settings, result.overall, result.steps))
        themes = list(context.themes) if context is not None else []
        for part, key in ((GOOD, "good_question"), (BETTER, "better_question")):
            texts = result.good if part == GOOD else result.better
            elements.append(Part(str(settings[key]), tuple(_answers(texts, themes))))
        return elements

    def _table(self, settings: Settings, result: Evaluation) -> Table:
        low, high = (
            settings.get("low_label") or "1",
            settings.get("high_label") or str(result.steps),
        )
        headers = (
            gettext("Rating"),
            gettext("Mean"),
            gettext("Standard deviation"),
            gettext("Phones"),
            *(
                f"{step} ({low})"
                if step == 1
                else f"{step} ({high})"
                if step == result.steps
                else str(step)
                for step in range(1, result.steps + 1)
            ),
        )
        rows: list[tuple[Cell, ...]] = []
        for row in (result.overall, *result.statements):
            mean = round(row.mean, 2) if row.mean is not None else None
            spread = round(row.spread, 2) if row.spread is not None else None
            rows.append((row.label, mean, spread, row.rated, *row.counts))
        return Table(headers, tuple(rows))

    def _bars(self, settings: Settings, row: Rated, steps: int) -> BarChart:
        labels = tuple(str(step) for step in range(1, steps + 1))
        alt = gettext(
            "%(question)s: mean %(mean)s of %(steps)d (%(phones)d phones)",
            question=row.label,
            mean=_number(row.mean),
            steps=steps,
            phones=row.rated,
        )
        return BarChart(labels, tuple(float(n) for n in row.counts), alt)

    def anonymous(self) -> bool:
        """No phone is ever named beside its evaluation, nor when it came or its group."""
        return True

    def columns(self, settings: Settings) -> Sequence[str]:
        """The part of the evaluation, the ratings, and the text."""
        return (
            gettext("Part"),
            str(settings["question"]),
            *settings["statements"],
            gettext("Answer"),
        )

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """A rating row holds the ratings, a text row its text: never both."""
        count = 1 + len(settings["statements"])
        part = value.get("part")
        if part == RATING:
            ratings = list(value.get("ratings", []))[:count]
            ratings += [None] * (count - len(ratings))
            return (gettext("Rating"), *ratings, None)
        question = settings["good_question"] if part == GOOD else settings["better_question"]
        return (str(question), *([None] * count), str(value.get("text", "")))

    def compare(
        self, items: Sequence[tuple[str, Settings, Sequence[ResponseRecord]]]
    ) -> Sequence[Element]:
        """Each rating's mean and spread per session, side by side: a table, and the
        overall rating's means as bars."""
        return compare(self, items)
