"""poster: groups draft a one-page purpose poster over several versions and sessions.

"Vår ledergruppe skal skape MERVERDI for organisasjonen og det enkelte medlem av
gruppen ved å: 1. … 2. … 3. …": each group edits its own list of points under the
preamble (every phone of the group at once; an edit made on a stale copy is kept
beside the point's text for the group to choose or combine, never overwritten), saves
named versions, compares any two and goes back to one. In the plenary the presenter
shows every group's draft side by side and the phones give points dots; on the control
panel the facilitator builds the common poster from the groups' points (the item's
curation) and saves it as versions too. The versions belong to the poster's *thread*
(its heading) in the programme, so a later session's poster continues them. The phones'
actions are in ``poster_draft``, the facilitator's in ``poster_common``, the word diff in
``poster_diff`` and the printed poster in ``poster_print``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from exercises import poster_print
from exercises.poster_common import common_actions, common_entries, compared
from exercises.poster_diff import Diff
from exercises.poster_draft import chosen, comparison, phone_actions, words
from workshop import forms
from workshop.actions import field
from workshop.forms import name_key
from workshop.i18n import N_, Message, gettext, ngettext
from workshop.kinds import (
    Curation,
    FacilitatorAction,
    FacilitatorFile,
    Fields,
    Phase,
    PhoneAction,
    ResponseRecord,
    Role,
    Settings,
    Value,
)
from workshop.phases import phase_minutes, phase_name
from workshop.summary import (
    Cell,
    Element,
    Entries,
    Entry,
    Paragraph,
    Part,
    Prompt,
    SummaryContext,
    Table,
)

if TYPE_CHECKING:
    from workshop.live.state import LiveState, PhoneState

TITLE_MAX = 200
PREAMBLE_MAX = 500
GUIDANCE_MAX = 2000
POINT_MAX = 300
POINTS_MAX = 30
WORDS_MAX = 100
DOTS_MAX = 20
#: Points one phone may put on its group's list (restoring a version puts many at once).
POINTS_PER_PHONE = 500
ORIENTATIONS = ("portrait", "landscape")
SETTINGS = (
    "heading",
    "preamble",
    "guidance",
    "max_points",
    "max_words",
    "dots",
    "drafting_name",
    "drafting_minutes",
    "plenary_name",
    "plenary_minutes",
    "orientation",
)


@dataclass(frozen=True)
class Board:
    """Every group's points as the room sees them (hidden ones left out), in list order."""

    lists: dict[int, list[ResponseRecord]]
    #: The common poster's points, when the facilitator shows it on the screen.
    common: tuple[str, ...] | None = None

    def get(self, group_id: int, default: list[ResponseRecord] | None = None) -> list[Any]:
        return self.lists.get(group_id, default if default is not None else [])

    def by_dots(self, group_id: int) -> list[ResponseRecord]:
        """A group's points, most dots first (the list's order on a tie)."""
        return sorted(self.get(group_id), key=lambda p: -p.votes)

    @property
    def points(self) -> int:
        return sum(len(v) for v in self.lists.values())


#: The final poster, made in the export worker (exercises.poster_print).
FILES: Mapping[str, FacilitatorFile] = {
    "poster.html": FacilitatorFile(
        "text/html; charset=utf-8",
        "formalsplakat.html",
        poster_print.html,
        label=N_("Page to print"),
        attachment=False,
    ),
    "poster.pdf": FacilitatorFile(
        "application/pdf", "formalsplakat.pdf", poster_print.pdf, label=N_("PDF file")
    ),
    "poster.svg": FacilitatorFile(
        "image/svg+xml", "formalsplakat.svg", poster_print.svg, label=N_("SVG drawing")
    ),
}


class Poster:
    name: ClassVar[str] = "poster"
    label: ClassVar[str] = N_("Purpose poster")
    template: ClassVar[str] = "poster/poster.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "group"

    def default_settings(self) -> Settings:
        """The seed's poster: its preamble, three dots per phone, drafting then plenary."""
        return {
            "heading": str(Message("Purpose poster")),
            "preamble": str(
                Message(
                    "Our leadership group shall create VALUE for the organisation and for"
                    " each member of the group by:"
                )
            ),
            "guidance": "",
            "max_points": 0,
            "max_words": 0,
            "dots": 3,
            "drafting_name": str(Message("Drafting in the groups")),
            "drafting_minutes": 30,
            "plenary_name": str(Message("Plenary")),
            "plenary_minutes": 15,
            "orientation": "portrait",
        }

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Heading and preamble (required), guidance; limits of points per draft and words
        per point (0: none); dots per phone (1–20); the two phases' names and minutes;
        the printed poster's orientation."""
        check = forms.Checker()
        check.only(raw, SETTINGS)

        def text(key: str, most: int, required: bool = False, multiline: bool = True) -> str:
            return check.field(
                key,
                forms.text,
                raw.get(key),
                max_length=most,
                required=required,
                multiline=multiline,
            )

        def whole(key: str, low: int, high: int, default: int) -> int:
            return check.field(
                key, forms.integer, raw.get(key), minimum=low, maximum=high, default=default
            )

        def phase(key: str, name: str, minutes: int) -> dict[str, object]:
            return {
                f"{key}_name": check.field(
                    f"{key}_name", phase_name, raw.get(f"{key}_name"), default=name
                ),
                f"{key}_minutes": check.field(
                    f"{key}_minutes",
                    phase_minutes,
                    raw.get(f"{key}_minutes"),
                    default=minutes,
                ),
            }

        settings = {
            "heading": text("heading", TITLE_MAX, required=True, multiline=False),
            "preamble": text("preamble", PREAMBLE_MAX, required=True),
            "guidance": text("guidance", GUIDANCE_MAX),
            "max_points": whole("max_points", 0, POINTS_MAX, 0),
            "max_words": whole("max_words", 0, WORDS_MAX, 0),
            "dots": whole("dots", 1, DOTS_MAX, 3),
            **phase("drafting", str(Message("Drafting in the groups")), 30),
            **phase("plenary", str(Message("Plenary")), 15),
            "orientation": check.field(
                "orientation",
                forms.choice,
                raw.get("orientation") or "portrait",
                options=ORIENTATIONS,
            ),
        }
        check.done()
        return settings

    # -- what the core asks of a kind in groups, in phases, with drafts -----------------

    def phases(self, settings: Settings) -> Sequence[Phase]:
        """Drafting in the groups, then the plenary."""
        return (
            Phase(str(settings["drafting_name"]), int(settings["drafting_minutes"]), "group"),
            Phase(str(settings["plenary_name"]), int(settings["plenary_minutes"]), "plenary"),
        )

    def roles(self, settings: Settings) -> Sequence[Role]:
        """None: every phone of a group edits its draft."""
        return ()

    def thread(self, settings: Settings) -> str:
        """The poster's heading, case and spacing aside: a later session's poster of the
        same heading continues its versions."""
        return name_key(str(settings["heading"]))

    def validate_point(self, settings: Settings, raw: Fields) -> str:
        """One point: a text of at most 300 characters and the item's words per point."""
        check = forms.Checker()
        text = check.field(
            "text",
            forms.text,
            field(raw, "text"),
            max_length=POINT_MAX,
            required=True,
            multiline=True,
        )
        check.done()
        most = int(settings.get("max_words") or 0)
        if most and words(text) > most:
            raise forms.Invalid(
                {
                    "text": Message(
                        "At most %(max)d words per point (this one has %(num)d).",
                        max=most,
                        num=words(text),
                    )
                }
            )
        return text

    # -- what phones and facilitators do ------------------------------------------------

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """The group's draft (add, edit, settle, move, delete points; save, compare and go
        back to versions) while drafting; dots in the plenary."""
        return phone_actions(self)

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Hide and highlight the groups' points; build, compare and save the common
        poster."""
        return common_actions(self)

    def responses_allowed(self, settings: Settings) -> int:
        """Points one phone may put on its group's draft."""
        return POINTS_PER_PHONE

    def pages_on_screen(self, settings: Settings) -> bool:
        """No: the drafts are fitted to the screen (a poster is short)."""
        return False

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Board:
        """Every group's draft in its order, hidden points left out; the common poster
        when the facilitator shows it on the screen."""
        lists: dict[int, list[ResponseRecord]] = {}
        for record in sorted(responses, key=lambda r: (r.position or 0, r.id)):
            if not record.hidden and record.group_id is not None:
                lists.setdefault(record.group_id, []).append(record)
        common = None
        if curation and curation.get("on_screen") and isinstance(curation.get("common"), list):
            common = tuple(str(e.get("text", "")) for e in curation["common"])
        return Board(lists, common)

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The preamble; the common poster (its working text, else its latest version);
        each group's draft as it ended, with dots; the versions with their sessions."""
        names = dict(context.groups) if context else {}
        drafts = list(context.drafts) if context else []
        board = self.summarise(settings, responses, curation)
        elements: list[Element] = [Prompt(str(settings["preamble"]))]
        common = common_entries(curation, drafts)
        if common:
            elements.append(
                Part(
                    gettext("The common poster"),
                    (Entries(tuple(Entry(str(e["text"])) for e in common), ordered=True),),
                )
            )
        order = [g for g in names if g in board.lists] + sorted(
            g for g in board.lists if g not in names
        )
        for group in order:
            points = tuple(
                Entry(
                    str(p.value.get("text", "")),
                    _dots(p.votes),
                    p.highlighted,
                )
                for p in board.get(group)
            )
            title = names.get(group) or gettext("Group %(num)d", num=order.index(group) + 1)
            elements.append(Part(title, (Entries(points, ordered=True),)))
        if not board.lists and not common:
            elements.append(Paragraph(gettext("No points"), muted=True))
        if drafts:
            rows = tuple(
                (
                    d.name,
                    d.group_name or names.get(d.group_id or 0, "")
                    if d.group_id is not None
                    else gettext("The common poster"),
                    d.session_title,
                    d.saved_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    len(d.content),
                )
                for d in drafts
            )
            headers = (
                gettext("Version"),
                gettext("Whose"),
                gettext("Session"),
                gettext("Saved"),
                gettext("Points"),
            )
            elements.append(Part(gettext("Versions"), (Table(headers, rows),)))
        return tuple(elements)

    def facilitator_files(self) -> Mapping[str, FacilitatorFile]:
        """The final poster on one A4 page: a page to print, an SVG and a PDF."""
        return FILES

    def files_of(self) -> list[tuple[str, FacilitatorFile]]:
        """The final poster's files, for the control panel's links."""
        return list(FILES.items())

    # -- what the templates ask (pure: from the states they render) -------------------

    def compared_for(self, phone: PhoneState) -> Diff | None:
        """The two versions a phone chose to compare, word by word."""
        return comparison(
            chosen(phone.note),
            phone.drafts,
            [str(p.value.get("text", "")) for p in phone.group_responses],
            gettext("The draft now"),
        )

    def common(self, state: LiveState) -> list[dict[str, Any]]:
        """The common poster's points now."""
        return common_entries(state.curation, state.drafts)

    def compared(self, state: LiveState) -> tuple[int, int] | None:
        """The two versions the control panel compares."""
        return compared(state.curation)

    def compared_on_panel(self, state: LiveState) -> Diff | None:
        """The control panel's comparison, word by word (0: the common poster now)."""
        now = [str(e["text"]) for e in self.common(state)]
        return comparison(
            compared(state.curation), state.drafts, now, gettext("The common poster now")
        )

    def columns(self, settings: Settings) -> Sequence[str]:
        """One column: the point (as the group's draft has it now)."""
        return (gettext("Point"),)

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The point's text."""
        return (str(value.get("text", "")),)


def _dots(votes: int) -> str:
    return ngettext("%(num)d dot", "%(num)d dots", votes) if votes else ""
