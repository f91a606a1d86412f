"""qa: the room asks questions and votes for the ones it wants answered first.

A phone asks up to N questions, signed with a name or not; every phone sees
the approved questions and votes for others' (once each, and may take the
vote back); the presenter ranks them by votes. The facilitator approves when
the item asks for it (core moderation), hides, highlights and marks questions
answered: answered questions move below the open ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from workshop import forms
from workshop.actions import answering, field, marking, response_id
from workshop.effects import Effects, Refused, SetCuration, SetVote
from workshop.i18n import N_, Message, gettext, ngettext
from workshop.kinds import (
    Curation,
    FacilitatorAction,
    Fields,
    PhoneAction,
    ResponseRecord,
    Settings,
    Value,
)
from workshop.summary import Cell, Element, Prompt, SummaryContext, by_theme
from workshop.summary import Entry as SummaryEntry

if TYPE_CHECKING:
    from workshop.live.state import LiveState, PhoneState

PROMPT_MAX = 500
QUESTIONS_MAX = 20
LENGTH_MIN, LENGTH_MAX = 20, 1000
NAME_MAX = 60
#: A phone's list shows the most voted questions and, after them, the newest of the rest
#: (so a new question can gather votes); the others are only counted.
PHONE_TOP, PHONE_NEWEST = 30, 10
_KEYS = ("question", "questions_per_phone", "max_length", "anonymous")


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    name: str
    votes: int
    answered: bool
    highlighted: bool
    #: The language its phone was using ('' when not known).
    language: str = ""


@dataclass(frozen=True)
class Ranked:
    """The questions the room sees: open ones by votes (oldest first on a tie), then
    the answered ones."""

    questions: list[Question]
    phones: int
    #: Questions left out of ``questions`` (a phone's list shows the first ones only).
    more: int = 0

    @property
    def open(self) -> list[Question]:
        return [q for q in self.questions if not q.answered]

    @property
    def answered(self) -> list[Question]:
        return [q for q in self.questions if q.answered]


def _answered(curation: Curation | None) -> set[int]:
    return {int(i) for i in (curation or {}).get("answered", [])}


class QA:
    name: ClassVar[str] = "qa"
    label: ClassVar[str] = N_("Q&A")
    template: ClassVar[str] = "qa/qa.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "room"

    def default_settings(self) -> Settings:
        """Three questions per phone of up to 280 characters, a name optional."""
        return {"question": "", "questions_per_phone": 3, "max_length": 280, "anonymous": False}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Prompt optional; questions per phone 1–20; length 20–1000; anonymous yes/no
        (yes: nobody signs a question, so nobody feels they must)."""
        check = forms.Checker()
        check.only(raw, _KEYS)
        prompt = check.field(
            "question", forms.text, raw.get("question"), max_length=PROMPT_MAX, multiline=True
        )
        per_phone = check.field(
            "questions_per_phone",
            forms.integer,
            raw.get("questions_per_phone"),
            minimum=1,
            maximum=QUESTIONS_MAX,
            default=3,
        )
        max_length = check.field(
            "max_length",
            forms.integer,
            raw.get("max_length"),
            minimum=LENGTH_MIN,
            maximum=LENGTH_MAX,
            default=280,
        )
        anonymous = check.field("anonymous", forms.flag, raw.get("anonymous"))
        check.done()
        return {
            "question": prompt,
            "questions_per_phone": per_phone,
            "max_length": max_length,
            "anonymous": anonymous,
        }

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Ask (and edit or delete one's own questions), and vote for the others'."""

        def vote(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """Vote for another's question, or take the vote back."""
            return SetVote(response_id(fields), field(fields, "up") == "1")

        return {
            **answering(self.validate_response),
            "vote": PhoneAction(vote, shows=("mine",)),
        }

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Hide, highlight and theme questions; mark them answered or not."""

        def answering_mark(action: str) -> FacilitatorAction:
            def handle(settings: Settings, state: LiveState, fields: Fields) -> Effects:
                """Mark a question answered (it moves below the open ones), or not."""
                rid = response_id(fields)
                if all(r.id != rid for r in state.responses):
                    raise Refused(Message("That is not there any more."), 404)
                raw = {"action": action, "response": str(rid)}
                return SetCuration(self.curate(settings, state.curation, raw))

            return FacilitatorAction(handle)

        return {
            **marking(),
            "answered": answering_mark("answered"),
            "unanswered": answering_mark("unanswered"),
        }

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """A question within the length limit, and a name unless the item is anonymous."""
        check = forms.Checker()
        text = check.field(
            "text",
            forms.text,
            raw.get("text"),
            max_length=int(settings["max_length"]),
            required=True,
            multiline=True,
        )
        name = ""
        if not settings.get("anonymous"):
            name = check.field("name", forms.text, raw.get("name"), max_length=NAME_MAX)
        check.done()
        return {"text": text, "name": name}

    def shown_text(self, value: Value) -> str:
        """The question and the name it is signed with (both are shown)."""
        return f"{value.get('text', '')} {value.get('name', '')}"

    def responses_allowed(self, settings: Settings) -> int:
        """As many questions as the facilitator allows per phone."""
        return int(settings["questions_per_phone"])

    def _ranked(self, responses: Sequence[ResponseRecord], curation: Curation | None) -> Ranked:
        answered = _answered(curation)
        shown = [r for r in responses if not r.hidden]
        shown.sort(key=lambda r: (r.id in answered, -r.votes, r.id))
        questions = [
            Question(
                r.id,
                str(r.value.get("text", "")),
                str(r.value.get("name", "")),
                r.votes,
                r.id in answered,
                r.highlighted,
                r.language,
            )
            for r in shown
        ]
        return Ranked(questions, len({r.participant_id for r in shown}))

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Ranked:
        """The approved, visible questions ranked for the presenter."""
        return self._ranked(responses, curation)

    def phone_result(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Ranked:
        """What every phone sees: the presenter's ranking, its first PHONE_TOP questions
        and the PHONE_NEWEST newest of the rest (a message to a thousand phones stays
        small; a new question can still be voted up)."""
        ranked = self._ranked(responses, curation)
        top, rest = ranked.questions[:PHONE_TOP], ranked.questions[PHONE_TOP:]
        newest = sorted(rest, key=lambda q: -q.id)[:PHONE_NEWEST]
        return Ranked(top + newest, ranked.phones, len(rest) - len(newest))

    def curate(self, settings: Settings, curation: Curation, raw: Mapping[str, object]) -> Curation:
        """Mark a question answered, or not answered after all."""
        action = raw.get("action")
        response = raw.get("response")
        if action not in ("answered", "unanswered"):
            raise forms.Invalid({"action": Message("Invalid value.")})
        if not isinstance(response, str | int) or not str(response).isdigit():
            raise forms.Invalid({"response": Message("Invalid value.")})
        answered = _answered(curation)
        if action == "answered":
            answered.add(int(response))
        else:
            answered.discard(int(response))
        return {**curation, "answered": sorted(answered)}

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The prompt and every shown question ranked (open ones by votes, then the
        answered), each with its name, votes and whether it was answered; in the
        facilitator's themes once there are any."""
        themes = {r.id: r.theme_id for r in responses}
        entries = [
            (themes.get(q.id), _entry(q)) for q in self._ranked(responses, curation).questions
        ]
        elements: list[Element] = []
        if settings.get("question"):
            elements.append(Prompt(str(settings["question"])))
        elements.extend(by_theme(entries, context.themes if context else (), ordered=True))
        return tuple(elements)

    def columns(self, settings: Settings) -> Sequence[str]:
        """The question, and the name it is signed with (unless the item is anonymous)."""
        if settings.get("anonymous"):
            return (gettext("Question"),)
        return (gettext("Question"), gettext("Name"))

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The question's text and its name."""
        if settings.get("anonymous"):
            return (str(value.get("text", "")),)
        return (str(value.get("text", "")), str(value.get("name", "")))


def _entry(question: Question) -> SummaryEntry:
    details = [question.name] if question.name else []
    details.append(ngettext("%(num)d vote", "%(num)d votes", question.votes))
    if question.answered:
        details.append(gettext("answered"))
    return SummaryEntry(question.text, " · ".join(details), question.highlighted, question.language)
