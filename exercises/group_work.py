"""group_work: a task worked on in timed phases, in groups, with roles in every group.

"I: individual reflection 3 min · G: round in the group 15 min · P: plenary
10 min", with "leader and time-keeper: the shortest person" and so on. The
core runs the clock (:class:`workshop.kinds.Phased`) and hands out the roles
(:class:`workshop.kinds.InGroups`); this module holds the settings, the phones'
actions (a group's list of key points, each phone's private notepad) and what
the presenter and the summary show: every group's list, side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from workshop import forms
from workshop.actions import field, marking, response_id
from workshop.actions import number as number_field
from workshop.effects import Delete, Effects, Insert, Refused, Reorder, SetNote, Update
from workshop.i18n import N_, Message, gettext
from workshop.kinds import (
    PHASE_MODES,
    Curation,
    FacilitatorAction,
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
    by_theme,
)

if TYPE_CHECKING:
    from workshop.live.state import PhoneState

TASK_MAX = 2000
QUESTIONS_MAX = 10
QUESTION_MAX = 300
PHASES_MAX = 8
ROLES_MAX = 8
NAME_MAX = 60
INSTRUCTIONS_MAX = 500
RULE_MAX = 200
POINT_MAX = 300
NOTE_MAX = 5000
#: Points one phone may add to its group's list in one exercise.
POINTS_PER_PHONE = 50
#: Empty rows the settings form offers after the filled ones.
SPARE_ROWS = 2
SETTINGS = ("task", "questions", "phases", "roles")


@dataclass(frozen=True)
class GroupList:
    """One group's points as the room sees them (hidden ones left out)."""

    group_id: int | None
    points: list[ResponseRecord]


def _rows(raw: Mapping[str, object], prefix: str, fields: Sequence[str]) -> list[dict[str, object]]:
    """Numbered form rows (``phase_name_1``, ``phase_minutes_1``...), in number order."""
    numbers = sorted(
        {
            int(key.rsplit("_", 1)[1])
            for key in raw
            if key.startswith(prefix) and key.rsplit("_", 1)[1].isdigit()
        }
    )
    return [{f: raw.get(f"{prefix}{f}_{n}") for f in fields} for n in numbers]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class GroupWork:
    name: ClassVar[str] = "group_work"
    label: ClassVar[str] = N_("Group work")
    template: ClassVar[str] = "group_work/group_work.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "group"

    def default_settings(self) -> Settings:
        """Individual → group → plenary, with the three roles of the seed's day."""
        return {
            "task": "",
            "questions": [],
            "phases": [
                {
                    "name": str(Message("Individual reflection")),
                    "minutes": 3,
                    "mode": "individual",
                    "instructions": "",
                },
                {
                    "name": str(Message("Round in the group")),
                    "minutes": 15,
                    "mode": "group",
                    "instructions": "",
                },
                {
                    "name": str(Message("Plenary")),
                    "minutes": 10,
                    "mode": "plenary",
                    "instructions": "",
                },
            ],
            "roles": [
                {
                    "name": str(Message("Leader and time-keeper")),
                    "rule": str(Message("the shortest person")),
                    "keeps_list": False,
                },
                {
                    "name": str(Message("Vibe-keeper")),
                    "rule": str(Message("the tallest person")),
                    "keeps_list": False,
                },
                {
                    "name": str(Message("Secretary")),
                    "rule": str(Message("the one with the newest trousers")),
                    "keeps_list": True,
                },
            ],
        }

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """A task; up to 10 questions; 1–8 phases (name, 1–240 minutes, mode,
        instructions); up to 8 roles (name, rule, whether it keeps the list).

        From a form the phases and roles come as numbered rows (blank rows are
        skipped); from a TOML file as lists of tables.
        """
        check = forms.Checker()
        from_form = any(k.startswith(("phase_", "role_")) for k in raw)
        allowed = set(SETTINGS)
        for key in sorted(raw):
            if key in allowed or (from_form and key.startswith(("phase_", "role_"))):
                continue
            check.errors[key] = Message("Unknown setting.")
        task = check.field(
            "task", forms.text, raw.get("task"), max_length=TASK_MAX, required=True, multiline=True
        )
        questions = check.field(
            "questions",
            forms.lines,
            raw.get("questions"),
            min_items=0,
            max_items=QUESTIONS_MAX,
            max_length=QUESTION_MAX,
        )
        if from_form:
            phase_rows = _rows(raw, "phase_", ("name", "minutes", "mode", "instructions"))
            role_rows = _rows(raw, "role_", ("name", "rule", "keeper"))
            phase_rows = [
                r for r in phase_rows if not all(_blank(v) for k, v in r.items() if k != "mode")
            ]
            role_rows = [r for r in role_rows if not (_blank(r["name"]) and _blank(r["rule"]))]
        else:
            phase_rows = self._table_rows(check, "phases", raw.get("phases"))
            role_rows = self._table_rows(check, "roles", raw.get("roles", []))
        phases = self._phases(check, phase_rows)
        roles = self._roles(check, role_rows, from_form)
        check.done()
        return {"task": task, "questions": questions, "phases": phases, "roles": roles}

    @staticmethod
    def _table_rows(check: forms.Checker, field: str, value: object) -> list[dict[str, object]]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            check.errors[field] = Message("Write each as a table with its fields.")
            return []
        return [dict(v) for v in value]

    @staticmethod
    def _phases(check: forms.Checker, rows: list[dict[str, object]]) -> list[dict[str, Any]]:
        if not rows and "phases" not in check.errors:
            check.errors["phases"] = Message("Give at least one phase.")
            return []
        if len(rows) > PHASES_MAX:
            check.errors["phases"] = Message("At most %(num)d phases.", num=PHASES_MAX)
            return []
        phases = []
        for number, row in enumerate(rows, start=1):
            unknown = set(row) - {"name", "minutes", "mode", "instructions"}
            try:
                if unknown:
                    raise ValueError(Message("Unknown field %(name)s.", name=sorted(unknown)[0]))
                name = phase_name(row.get("name"))
                minutes = phase_minutes(row.get("minutes"))
                mode = forms.choice(row.get("mode") or "group", PHASE_MODES)
                instructions = forms.text(
                    row.get("instructions"), max_length=INSTRUCTIONS_MAX, multiline=True
                )
            except ValueError as exc:
                check.errors["phases"] = Message(
                    "Phase %(num)d: %(problem)s", num=number, problem=exc.args[0]
                )
                return []
            phases.append(
                {"name": name, "minutes": minutes, "mode": mode, "instructions": instructions}
            )
        return phases

    @staticmethod
    def _roles(
        check: forms.Checker, rows: list[dict[str, object]], from_form: bool
    ) -> list[dict[str, Any]]:
        if len(rows) > ROLES_MAX:
            check.errors["roles"] = Message("At most %(num)d roles.", num=ROLES_MAX)
            return []
        roles = []
        for number, row in enumerate(rows, start=1):
            known = {"name", "rule", "keeper"} if from_form else {"name", "rule", "keeps_list"}
            unknown = set(row) - known
            try:
                if unknown:
                    raise ValueError(Message("Unknown field %(name)s.", name=sorted(unknown)[0]))
                name = forms.text(row.get("name"), max_length=NAME_MAX, required=True)
                rule = forms.text(row.get("rule"), max_length=RULE_MAX)
                keeps = row.get("keeper" if from_form else "keeps_list")
                keeps_list = forms.flag(keeps) if keeps is not None else False
            except ValueError as exc:
                check.errors["roles"] = Message(
                    "Role %(num)d: %(problem)s", num=number, problem=exc.args[0]
                )
                return []
            roles.append({"name": name, "rule": rule, "keeps_list": keeps_list})
        return roles

    # -- what the core asks of a kind in groups ------------------------------------

    def phases(self, settings: Settings) -> Sequence[Phase]:
        """The phases, from the settings."""
        return [
            Phase(p["name"], int(p["minutes"]), p["mode"], p.get("instructions", ""))
            for p in settings.get("phases", [])
        ]

    def roles(self, settings: Settings) -> Sequence[Role]:
        """The roles, from the settings."""
        return [
            Role(r["name"], r.get("rule", ""), bool(r.get("keeps_list")))
            for r in settings.get("roles", [])
        ]

    def validate_point(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """One point: a non-empty text of at most 300 characters."""
        check = forms.Checker()
        text = check.field(
            "text", forms.text, raw.get("text"), max_length=POINT_MAX, required=True, multiline=True
        )
        check.done()
        return {"text": text}

    # -- what phones and facilitators do ------------------------------------------------

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """The group's list (add in the group round; the list keeper edits, moves and
        deletes), and the phone's private notepad."""

        def add(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """Add a key point at the end of the phone's group's list."""
            if phone.phase is not None and phone.phase.mode != "group":
                raise Refused(Message("Points are added in the group round."))
            return Insert(self.validate_point(settings, fields), to_group=True)

        def listed(phone: PhoneState, fields: Fields) -> int:
            rid = response_id(fields)
            if not phone.keeps_list:
                raise Refused(
                    Message("Only the one who keeps the group's list can change it."), 403
                )
            if phone.group_response(rid) is None:
                raise Refused(Message("That point is not on your group's list."), 404)
            return rid

        def edit(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """Change a point of the group's list (the list keeper)."""
            rid = listed(phone, fields)
            value = self.validate_point(settings, fields)
            return Update(rid, value, number_field(fields, "version"))

        def move(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """Move a point one place up or down (the list keeper)."""
            return Reorder(listed(phone, fields), -1 if field(fields, "by") == "-1" else 1)

        def delete(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """Delete a point of the group's list (the list keeper)."""
            return Delete(listed(phone, fields))

        def note(settings: Settings, phone: PhoneState, fields: Fields) -> Effects:
            """Save the phone's private notes: only this phone ever gets them back."""
            check = forms.Checker()
            text = check.field(
                "text", forms.text, field(fields, "text"), max_length=NOTE_MAX, multiline=True
            )
            check.done()
            return SetNote(text)

        shared = ("shared",)
        return {
            "point.add": PhoneAction(add, shows=shared, in_group=True, idempotent=True),
            "point.edit": PhoneAction(edit, shows=shared, in_group=True),
            "point.move": PhoneAction(move, shows=shared, in_group=True),
            "point.delete": PhoneAction(delete, shows=shared, in_group=True),
            "note": PhoneAction(note, shows=("note_status",), locked_out=False),
        }

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Hide, highlight and sort the groups' points into themes."""
        return marking()

    def responses_allowed(self, settings: Settings) -> int:
        """Points one phone may add to its group's list."""
        return POINTS_PER_PHONE

    def pages_on_screen(self, settings: Settings) -> bool:
        """The plenary pages through the points that do not fit on the screen."""
        return True

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """Every group's list in its order, hidden points left out (by group id)."""
        lists: dict[int | None, list[ResponseRecord]] = {}
        for record in sorted(responses, key=lambda r: (r.position or 0, r.id)):
            if not record.hidden and record.group_id is not None:
                lists.setdefault(record.group_id, []).append(record)
        return lists

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The task, its questions, and each group's points under the group's name (in the
        list's order, highlighted ones marked); then the points by the facilitator's themes."""
        names = dict(context.groups) if context else {}
        lists = self.summarise(settings, responses, curation)
        elements: list[Element] = [Prompt(str(settings["task"]))]
        questions = settings.get("questions", [])
        if questions:
            elements.append(Entries(tuple(Entry(str(q)) for q in questions), ordered=True))
        if not lists:
            elements.append(Paragraph(gettext("No points"), muted=True))
        known = [g for g in names if g in lists]
        order = known + sorted(g for g in lists if g not in names)
        titles = {
            g: names.get(g) or gettext("Group %(num)d", num=n) for n, g in enumerate(order, 1)
        }
        for group in order:
            points = tuple(_entry(p) for p in lists[group])
            elements.append(Part(titles[group], (Entries(points, ordered=True),)))
        themes = context.themes if context else ()
        if themes and lists:
            themed = [
                (p.theme_id, _entry(p, titles[group])) for group in order for p in lists[group]
            ]
            elements.append(Part(gettext("By theme"), by_theme(themed, themes)))
        return tuple(elements)

    def columns(self, settings: Settings) -> Sequence[str]:
        """One column: the point."""
        return (gettext("Point"),)

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The point's text."""
        return (str(value.get("text", "")),)


def _entry(point: ResponseRecord, detail: str = "") -> Entry:
    return Entry(str(point.value.get("text", "")), detail, point.highlighted, point.language)
