"""relay: each phone passes short words to its group; the group sees them as they come.

The presenter counts each group's words, the control panel lists them, and the
facilitator stars the ones worth taking to the plenary. A group keeps its words as named
versions (``Drafted``: the thread is the prompt), the facilitator keeps a common one, and
the words download as a text file (``ServesFacilitatorFiles``). Its ``keep`` actions pass
on what is posted as it is (the group, "common"): the tests forge requests with them,
which the live core must refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from workshop import forms
from workshop.actions import field, number, response_id
from workshop.effects import Effects, Insert, Refused, SaveDraft, SetMarks
from workshop.i18n import N_, Message, gettext
from workshop.kinds import (
    Curation,
    FacilitatorAction,
    FacilitatorFile,
    Fields,
    FileContext,
    PhoneAction,
    ResponseRecord,
    Role,
    Settings,
)
from workshop.summary import Element, Entries, Entry, Part, Prompt, SummaryContext, Table

if TYPE_CHECKING:
    from workshop.live.state import LiveState, PhoneState

PROMPT_MAX = 200
WORD_MAX = 30
WORDS_MAX = 5


def words_text(context: FileContext) -> bytes:
    """The item's versions as text: each version's name, whose it is, its session, words."""
    lines = [context.programme_title, context.item_title, str(context.settings["prompt"])]
    for draft in context.drafts:
        owner = context.groups.get(draft.group_id, draft.group_name) if draft.group_id else ""
        lines.append(
            f"{draft.name} · {owner or gettext('Common')} · {draft.session_title}: "
            + " ".join(str(v.get("word", "")) for v in draft.content)
        )
    return ("\n".join(lines) + "\n").encode()


class Relay:
    name: ClassVar[str] = "relay"
    label: ClassVar[str] = N_("Relay")
    template: ClassVar[str] = "relay/relay.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "group"

    def default_settings(self) -> Settings:
        """A blank prompt, two words per phone."""
        return {"prompt": "", "words_per_phone": 2}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """A prompt (required) and 1–5 words per phone."""
        check = forms.Checker()
        check.only(raw, ("prompt", "words_per_phone"))
        prompt = check.field(
            "prompt", forms.text, raw.get("prompt"), max_length=PROMPT_MAX, required=True
        )
        words = check.field(
            "words_per_phone",
            forms.integer,
            raw.get("words_per_phone"),
            minimum=1,
            maximum=WORDS_MAX,
            default=2,
        )
        check.done()
        return {"prompt": prompt, "words_per_phone": words}

    def roles(self, settings: Settings) -> Sequence[Role]:
        """No roles: every phone of a group passes words."""
        return ()

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Pass a word to the group."""

        def pass_word(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """One word for the phone's group (its list is the group's own)."""
            check = forms.Checker()
            word = check.field(
                "word", forms.text, field(fields, "word"), max_length=WORD_MAX, required=True
            )
            check.done()
            if " " in word:
                raise Refused(Message("One word, please."), 422)
            return Insert({"word": word}, to_group=True)

        def keep(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """Keep the group's words as a named version (the posted group and "common"
            are passed on as they are: the core decides whose version it may be)."""
            words = tuple({"word": r.value["word"]} for r in phone.group_responses)
            return SaveDraft(
                field(fields, "name"),
                words,
                common=field(fields, "common") == "1",
                group_id=number(fields, "group"),
            )

        return {
            "pass": PhoneAction(pass_word, shows=("shared",), in_group=True, idempotent=True),
            "keep": PhoneAction(keep, shows=("shared",), in_group=True, idempotent=True),
        }

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Star a word for the plenary."""

        def star(settings: Settings, state: LiveState, fields: Fields) -> Effects:
            """Star one word (its group sees the star)."""
            return SetMarks(response_id(fields), highlighted=True)

        def keep(settings: Settings, state: LiveState, fields: Fields) -> Effects:
            """Keep a group's words (field ``group``), or every starred word as the common
            version (``common``), under a name."""
            group = number(fields, "group")
            if field(fields, "common") == "1":
                words = [r for r in state.responses if r.highlighted]
            else:
                words = state.group_responses(group)
            content = tuple({"word": r.value["word"]} for r in words)
            common = field(fields, "common") == "1"
            return SaveDraft(field(fields, "name"), content, common=common, group_id=group)

        return {"star": FacilitatorAction(star), "keep": FacilitatorAction(keep)}

    def thread(self, settings: Settings) -> str:
        """The prompt, casefolded: an item with the same prompt continues its versions."""
        return str(settings["prompt"]).casefold()

    def facilitator_files(self) -> Mapping[str, FacilitatorFile]:
        """The versions' words as a text file."""
        return {
            "words.txt": FacilitatorFile(
                "text/plain; charset=utf-8", "relay-words.txt", words_text, N_("The words")
            )
        }

    def responses_allowed(self, settings: Settings) -> int:
        """As many words as the facilitator allows per phone."""
        return int(settings["words_per_phone"])

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """How many words each group passed (by group id)."""
        counts: dict[int, int] = {}
        for record in responses:
            if record.group_id is not None and not record.hidden:
                counts[record.group_id] = counts.get(record.group_id, 0) + 1
        return counts

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The prompt, each group's words under its name (starred ones first), and the
        versions kept up to the item's session."""
        names = context.groups if context else {}
        lists: dict[int | None, list[ResponseRecord]] = {}
        for record in sorted(responses, key=lambda r: (not r.highlighted, r.id)):
            lists.setdefault(record.group_id, []).append(record)
        parts = [
            Part(
                names.get(group, "–") if group is not None else "–",
                (
                    Entries(
                        tuple(Entry(str(r.value["word"]), highlighted=r.highlighted) for r in words)
                    ),
                ),
            )
            for group, words in lists.items()
        ]
        versions: list[Element] = []
        if context is not None and context.drafts:
            rows = tuple(
                (d.name, d.group_name or gettext("Common"), d.session_title, len(d.content))
                for d in context.drafts
            )
            headers = (gettext("Version"), gettext("Group"), gettext("Session"), gettext("Words"))
            versions.append(Table(headers, rows))
        return (Prompt(str(settings["prompt"])), *parts, *versions)
