"""word_cloud: each phone sends up to N short entries; equal phrases grow in a cloud.

Entries are grouped into phrases (``exercises.word_cloud_phrases``: a key that
ignores case, quotes and punctuation; stop words are counted but not drawn;
the spelling shown is the one most people used), and the drawn ones laid out
in a worker process (``exercises.word_cloud_layout``, measured with the chart
font the browser draws with).

The facilitator curates the cloud: merge one entry into another, hide an
entry (both also hold for entries that arrive later), show it again. This
module is the kind: its settings, actions, live result and summary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from exercises.word_cloud_layout import COLOURS as COLOURS
from exercises.word_cloud_layout import HEIGHT as HEIGHT
from exercises.word_cloud_layout import MIN_SIZE as MIN_SIZE
from exercises.word_cloud_layout import WIDTH as WIDTH
from exercises.word_cloud_layout import Placed as Placed
from exercises.word_cloud_layout import font_path, layout
from exercises.word_cloud_phrases import DRAWN_MAX as DRAWN_MAX
from exercises.word_cloud_phrases import KEPT, Cloud, _clean, _group, _target, key
from exercises.word_cloud_phrases import Entry as Entry
from exercises.word_cloud_phrases import shown as shown
from exercises.word_cloud_phrases import stop_words as stop_words
from workshop import forms
from workshop.actions import answering
from workshop.effects import Effects, SetCuration
from workshop.i18n import N_, Message, format_number, gettext, ngettext
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
    Cell,
    CloudChart,
    Element,
    Paragraph,
    Prompt,
    SummaryContext,
    Table,
)

if TYPE_CHECKING:
    from workshop.live.state import LiveState

QUESTION_MAX = 500
ENTRIES_MAX = 10
LENGTH_MIN, LENGTH_MAX = 5, 100
#: The chart font as the browser fetches it: /kinds/word_cloud/cloud.ttf.
FONT_FILE = "cloud.ttf"

#: The facilitator's actions on the cloud's entries (see ``WordCloudKind.curate``).
CURATIONS = ("merge", "unmerge", "hide", "show")


class WordCloudKind:
    name: ClassVar[str] = "word_cloud"
    label: ClassVar[str] = N_("Word cloud")
    template: ClassVar[str] = "word_cloud/word_cloud.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"

    def default_settings(self) -> Settings:
        """A blank question; three entries per phone of up to 25 characters."""
        return {"question": "", "entries_per_phone": 3, "max_length": 25}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Question required; 1–10 entries per phone; 5–100 characters each."""
        check = forms.Checker()
        check.only(raw, ("question", "entries_per_phone", "max_length"))
        question = check.field(
            "question",
            forms.text,
            raw.get("question"),
            max_length=QUESTION_MAX,
            required=True,
            multiline=True,
        )
        entries = check.field(
            "entries_per_phone",
            forms.integer,
            raw.get("entries_per_phone"),
            minimum=1,
            maximum=ENTRIES_MAX,
            default=3,
        )
        length = check.field(
            "max_length",
            forms.integer,
            raw.get("max_length"),
            minimum=LENGTH_MIN,
            maximum=LENGTH_MAX,
            default=25,
        )
        check.done()
        return {"question": question, "entries_per_phone": entries, "max_length": length}

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Send entries, and edit or delete one's own."""
        return answering(self.validate_response)

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Merge an entry into another, hide it or show it again."""

        def curating(action: str) -> FacilitatorAction:
            def handle(settings: Settings, state: LiveState, fields: Fields) -> Effects:
                """Merge, unmerge, hide or show an entry (it holds for entries to come)."""
                return SetCuration(
                    self.curate(settings, state.curation, {**fields, "action": action})
                )

            return FacilitatorAction(handle)

        return {action: curating(action) for action in CURATIONS}

    def static_files(self) -> Mapping[str, Path]:
        """The font the cloud is measured and drawn with."""
        return {FONT_FILE: font_path()}

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """One entry: a word or a short phrase on one line, within the length limit."""
        check = forms.Checker()
        entry = check.field(
            "text",
            forms.text,
            raw.get("text"),
            max_length=int(settings["max_length"]),
            required=True,
        )
        if entry is not None and not check.errors and not key(entry):
            check.errors["text"] = Message("Write a word or a short phrase.")
        check.done()
        return {"text": _clean(entry)}

    def shown_text(self, value: Value) -> str:
        """The answer's text (moderation checks it against the blocklist)."""
        return str(value.get("text", ""))

    def responses_allowed(self, settings: Settings) -> int:
        """As many entries as the facilitator allows per phone."""
        return int(settings["entries_per_phone"])

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Cloud:
        """Group the entries; apply the facilitator's merges and hidden entries.

        Every entry is counted; the result keeps the most sent KEPT phrases (what the
        screens show and the cloud draws), so a push with thousands of distinct
        phrases groups them without building an object for each.
        """
        return _group(responses, curation, KEPT)

    def curate(self, settings: Settings, curation: Curation, raw: Mapping[str, object]) -> Curation:
        """The facilitator's action on an entry: merge it into another, hide or show it."""
        merges = dict(curation.get("merges", {}))
        hidden = list(curation.get("hidden", []))
        action = raw.get("action")
        entry = key(str(raw.get("entry", "")))
        if not entry:
            raise forms.Invalid({"entry": Message("Choose an entry.")})
        if action == "hide":
            if entry not in hidden:
                hidden.append(entry)
        elif action == "show":
            hidden = [k for k in hidden if k != entry]
        elif action == "merge":
            into = key(str(raw.get("into", "")))
            if not into or _target(merges, into) == entry:
                raise forms.Invalid({"into": Message("Choose another entry to merge into.")})
            merges[entry] = _target(merges, into)
        elif action == "unmerge":
            merges = {k: v for k, v in merges.items() if k != entry}
        else:
            raise forms.Invalid({"action": Message("Invalid value.")})
        return {"merges": merges, "hidden": hidden}

    def drawing_job(self, result: Cloud) -> tuple[str, Callable[..., Any], tuple[Any, ...]]:
        """The layout of the drawn phrases (a worker process runs it)."""
        return result.signature, layout, (result.table,)

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The question, the cloud, and every entry with how many sent it, most first (with
        the spellings merged into it); the entries the facilitator hid are only counted."""
        cloud = _group(responses, curation, None)
        elements: list[Element] = [Prompt(str(settings["question"]))]
        if not cloud.entries:
            elements.append(Paragraph(gettext("No entries"), muted=True))
        else:
            top = "; ".join(f"{e.text} {format_number(e.count)}" for e in cloud.drawn[:10])
            if cloud.drawn:
                elements.append(
                    CloudChart(
                        cloud.table,
                        alt=gettext("A word cloud; the most sent entries: %(top)s", top=top),
                    )
                )
            merged = any(e.merged for e in cloud.entries)
            headers: tuple[str, ...] = (gettext("Entry"), gettext("Times sent"))
            if merged:
                headers += (gettext("Merged into it"),)
            elements.append(
                Table(
                    headers,
                    tuple(
                        (e.text, e.count, *((", ".join(e.merged),) if merged else ()))
                        for e in cloud.entries
                    ),
                )
            )
            elements.append(
                Paragraph(
                    ngettext(
                        "%(num)d entry from %(phones)s phones",
                        "%(num)d entries from %(phones)s phones",
                        cloud.total,
                        phones=format_number(cloud.phones),
                    )
                )
            )
        hidden = sum(e.count for e in cloud.hidden)
        if hidden:
            elements.append(
                Paragraph(
                    ngettext(
                        "%(num)d entry hidden from the cloud",
                        "%(num)d entries hidden from the cloud",
                        hidden,
                    ),
                    muted=True,
                )
            )
        return tuple(elements)

    def columns(self, settings: Settings) -> Sequence[str]:
        """One column: the entry as it was sent."""
        return (gettext("Entry"),)

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The entry's text."""
        return (str(value.get("text", "")),)
