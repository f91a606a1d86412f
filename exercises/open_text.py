"""open_text: a question; each phone sends one or more short answers; a growing wall."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from workshop import forms
from workshop.actions import answering, marking
from workshop.i18n import N_, gettext
from workshop.kinds import (
    Curation,
    FacilitatorAction,
    PhoneAction,
    ResponseRecord,
    Settings,
    Value,
)
from workshop.summary import Cell, Element, Entry, Prompt, SummaryContext, by_theme

QUESTION_MAX = 500
ANSWERS_MAX = 20
LENGTH_MIN, LENGTH_MAX = 10, 2000


class OpenText:
    name: ClassVar[str] = "open_text"
    label: ClassVar[str] = N_("Open text")
    template: ClassVar[str] = "open_text/open_text.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = True
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"

    def default_settings(self) -> Settings:
        """A blank question, one answer per phone, 200 characters each."""
        return {"question": "", "answers_per_phone": 1, "max_length": 200}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Question required; answers per phone 1–20; length limit 10–2000."""
        check = forms.Checker()
        check.only(raw, ("question", "answers_per_phone", "max_length"))
        question = check.field(
            "question",
            forms.text,
            raw.get("question"),
            max_length=QUESTION_MAX,
            required=True,
            multiline=True,
        )
        answers = check.field(
            "answers_per_phone",
            forms.integer,
            raw.get("answers_per_phone"),
            minimum=1,
            maximum=ANSWERS_MAX,
            default=1,
        )
        max_length = check.field(
            "max_length",
            forms.integer,
            raw.get("max_length"),
            minimum=LENGTH_MIN,
            maximum=LENGTH_MAX,
            default=200,
        )
        check.done()
        return {"question": question, "answers_per_phone": answers, "max_length": max_length}

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Answer, and edit or delete one's own answers."""
        return answering(self.validate_response)

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Hide, highlight and sort the answers into themes."""
        return marking()

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """One answer: non-empty text within the length limit."""
        check = forms.Checker()
        answer = check.field(
            "text",
            forms.text,
            raw.get("text"),
            max_length=int(settings["max_length"]),
            required=True,
            multiline=True,
        )
        check.done()
        return {"text": answer}

    def shown_text(self, value: Value) -> str:
        """The answer's text (moderation checks it against the blocklist)."""
        return str(value.get("text", ""))

    def responses_allowed(self, settings: Settings) -> int:
        """As many as the facilitator allows per phone."""
        return int(settings["answers_per_phone"])

    def pages_on_screen(self, settings: Settings) -> bool:
        """The wall pages through the answers that do not fit on the screen."""
        return True

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """The visible answers, oldest first (the wall grows at the end)."""
        return [r for r in responses if not r.hidden]

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The question and every shown answer, highlighted ones marked, sorted into the
        facilitator's themes once there are any."""
        themes = context.themes if context else ()
        entries = [
            (
                r.theme_id,
                Entry(str(r.value.get("text", "")), highlighted=r.highlighted, language=r.language),
            )
            for r in responses
            if not r.hidden
        ]
        return (Prompt(str(settings["question"])), *by_theme(entries, themes))

    def columns(self, settings: Settings) -> Sequence[str]:
        """One column: the answer."""
        return (gettext("Answer"),)

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The answer's text."""
        return (str(value.get("text", "")),)
