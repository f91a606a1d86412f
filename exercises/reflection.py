"""reflection: private notes, for the participant alone (the individual "action learning"
questions at the end of a day: what should characterise my leadership, my first action...).

Each phone writes an answer to each of the facilitator's questions, saves, and edits
later; it is one response per phone, whose value holds the answers in the order of the
questions. The kind is :class:`~workshop.kinds.KeptPrivate`: the screens get the
responses without their values (``workshop.live.room``) and show only how many phones
have written; the summary of the day says that count and nothing else. It
:class:`~workshop.kinds.FollowsThePhone`: the phone gets a recovery code with its first
note, downloads its own notes (a text file, a printable HTML page), and in the
programme's next session sees what it wrote before, beside the new questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from babel.dates import format_date
from markupsafe import Markup

from workshop import forms
from workshop.actions import field
from workshop.effects import (
    Delete,
    Effects,
    Insert,
    NewRecoveryCode,
    Recover,
    Refused,
    Update,
)
from workshop.i18n import N_, Message, current_language, gettext, ngettext
from workshop.kinds import (
    Curation,
    FacilitatorAction,
    Fields,
    OwnFile,
    OwnNote,
    PhoneAction,
    ResponseRecord,
    Settings,
    Value,
)
from workshop.summary import Element, Paragraph, Prompt, SummaryContext

if TYPE_CHECKING:
    from workshop.live.state import PhoneState

INTRO_MAX = 500
QUESTIONS_MAX = 10
QUESTION_MAX = 300
ANSWER_MAX = 3000
#: The action-learning questions of a leadership programme's first day, as defaults.
DEFAULT_QUESTIONS = (
    N_("What do you want to characterise your leadership?"),
    N_("Based on the model, what do you think are your most important points to develop?"),
    N_("What will be your first action: the first thing you will do differently or practise?"),
    N_("When will you practise?"),
    N_("How will you find out whether you are on the right track?"),
)
#: The printable page's style, inline: the page is a file the phone keeps (no request).
PRINT_CSS = Markup(  # noqa: S704  # a constant of ours
    "body { font-family: 'DejaVu Sans', 'Segoe UI', Roboto, Arial, sans-serif;"
    " max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }"
    " h1 { font-size: 1.6rem; }"
    " h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #999; }"
    " dt { font-weight: bold; margin-top: 1rem; }"
    " dd { margin: 0.25rem 0 0; white-space: pre-wrap; }"
    " .muted { color: #555; }"
    " @page { size: A4; margin: 2cm; }"
    " @media print { body { margin: 0; max-width: none; } article { break-inside: avoid; } }"
)
EMPTY = Message("Write an answer to at least one of the questions.")
WRITE_FIRST = Message("Save your reflections first: the code comes with them.")
NO_CODE = Message("Type the recovery code you were given, for example 7KQD-MX4R-PTAH.")


def answers_of(settings: Settings, value: Value) -> list[str]:
    """The answers of a response, one per question of the settings (blank: none)."""
    given = value.get("answers")
    answers = [str(a) for a in given] if isinstance(given, list) else []
    count = len(settings.get("questions", ()))
    return (answers + [""] * count)[:count]


class Reflection:
    name: ClassVar[str] = "reflection"
    label: ClassVar[str] = N_("Reflection (private)")
    template: ClassVar[str] = "reflection/reflection.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"
    print_css: ClassVar[Markup] = PRINT_CSS

    def default_settings(self) -> Settings:
        """The five action-learning questions, in the facilitator's language."""
        return {"intro": "", "questions": [gettext(q) for q in DEFAULT_QUESTIONS]}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """An optional introduction; 1–10 questions."""
        check = forms.Checker()
        check.only(raw, ("intro", "questions"))
        intro = check.field(
            "intro", forms.text, raw.get("intro"), max_length=INTRO_MAX, multiline=True
        )
        questions = check.field(
            "questions",
            forms.lines,
            raw.get("questions"),
            min_items=1,
            max_items=QUESTIONS_MAX,
            max_length=QUESTION_MAX,
        )
        check.done()
        return {"intro": intro, "questions": questions}

    def kept_private(self) -> bool:
        """Only the phone that wrote a reflection ever reads it."""
        return True

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Save (and later change) the answers; type a recovery code. Neither is shut by
        the facilitator's lock: the notes are the phone's own."""
        return {
            "save": PhoneAction(
                self.save, shows=("reflection_form",), locked_out=False, idempotent=True
            ),
            "recover": PhoneAction(self.recover, shows=("mine",), locked_out=False),
            "new_code": PhoneAction(self.new_code, shows=("reflection_form",), locked_out=False),
        }

    def save(self, settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """The phone's answers, stored as its one response (changed in place once it has
        one: the version read guards against an older copy in another tab)."""
        value = self.validate_response(settings, fields)
        mine = phone.own[0] if phone.own else None
        blank = not any(value["answers"])
        if mine is None:
            if blank:
                raise forms.Invalid({"answers": EMPTY})
            return Insert(value)
        if mine.value == value:
            return ()  # a retry of a save already stored: nothing to do
        if blank:
            return Delete(mine.id)
        version = field(fields, "version")
        return Update(mine.id, value, int(version) if version.isdigit() else None)

    def recover(self, settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """The phone typed the recovery code of its earlier notes."""
        code = field(fields, "code").strip()
        if not code:
            raise Refused(NO_CODE, 422)
        return Recover(code)

    def new_code(self, settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
        """A new recovery code, for a phone that lost the one it was shown."""
        if not phone.own:
            raise Refused(WRITE_FIRST)
        return NewRecoveryCode()

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """One answer per question (``answer-1``…), each within the length limit."""
        check = forms.Checker()
        answers = []
        for number in range(1, len(settings["questions"]) + 1):
            name = f"answer-{number}"
            given = raw.get(name)
            answers.append(
                check.field(
                    name,
                    forms.text,
                    given[0] if isinstance(given, list) else given,
                    max_length=ANSWER_MAX,
                    multiline=True,
                )
                or ""
            )
        check.done()
        return {"answers": answers}

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """None: the facilitator never touches (nor reads) a reflection."""
        return {}

    def responses_allowed(self, settings: Settings) -> int:
        """One per phone: its answers to all the questions."""
        return 1

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """How many phones have written (all the screens ever know of it)."""
        return len({r.participant_id for r in responses})

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The questions asked and how many phones wrote; never a word of what they wrote."""
        written = len({r.participant_id for r in responses})
        return (
            Prompt(" · ".join(str(q) for q in settings.get("questions", ()))),
            Paragraph(
                ngettext(
                    "%(num)d phone wrote private reflections (they are the participants' own"
                    " and are not in the summary).",
                    "%(num)d phones wrote private reflections (they are the participants'"
                    " own and are not in the summary).",
                    written,
                    num=written,
                ),
                muted=True,
            ),
        )

    # -- the phone's own notes -------------------------------------------------------

    def own_files(self) -> Mapping[str, OwnFile]:
        """The phone's notes as a text file and as a printable page, and its earlier notes
        as a part of the item's page."""
        return {
            "reflections.txt": OwnFile(
                "text/plain; charset=utf-8",
                filename=gettext("reflections") + ".txt",
                label=gettext("Download as text"),
            ),
            "reflections.html": OwnFile(
                "text/html; charset=utf-8",
                filename=gettext("reflections") + ".html",
                block="printable",
                label=gettext("Download a page to print"),
            ),
            "earlier": OwnFile("text/html; charset=utf-8", block="earlier"),
        }

    def own_text(self, name: str, notes: Sequence[OwnNote]) -> str:
        """The notes as plain text: per session and item, each question and its answer."""
        lines = [gettext("My reflections"), ""]
        if not notes:
            lines.append(gettext("You have not written anything yet."))
        for note in notes:
            heading = self.heading(note)
            lines += [heading, note.item_title, "=" * max(len(heading), len(note.item_title))]
            for question, answer in self.answered(note):
                lines += ["", question, answer or "–"]
            lines += ["", ""]
        return "\r\n".join(lines).rstrip() + "\r\n"

    @staticmethod
    def heading(note: OwnNote) -> str:
        """A note's session, as its heading says it: "Samling 1, 4. mai 2027"."""
        if note.session_date is None:
            return note.session_title
        when = format_date(note.session_date, format="long", locale=current_language())
        return f"{note.session_title}, {when}"

    @staticmethod
    def answered(note: OwnNote) -> list[tuple[str, str]]:
        """A note's questions, each with the phone's answer (blank: none)."""
        questions = [str(q) for q in note.settings.get("questions", ())]
        return list(zip(questions, answers_of(note.settings, note.value), strict=True))
