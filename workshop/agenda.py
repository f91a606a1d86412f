"""Agenda items: checking what a facilitator writes, and timing the day.

Both the editor's form and a TOML import go through :func:`check_item`, so an
item means the same whichever way it arrived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from workshop import forms
from workshop.i18n import Message, format_time
from workshop.kinds import KindRegistry, ShowsText
from workshop.models import ITEM_KINDS, AgendaItem, ItemFields

TITLE_MAX = 200
NOTES_MAX = 5000
DURATION_MAX = 24 * 60

#: Settings every exercise has, whatever its kind, kept in its settings beside the
#: kind's own (and written only when switched on, so older files stay as they were):
#: ``hide_results`` — the presenter hides the result until the facilitator shows it;
#: ``approve`` — for kinds that show text, every entry waits for approval.
COMMON_SETTINGS = ("hide_results", "approve")


def check_item(
    raw: Mapping[str, object], settings: Mapping[str, object] | None, kinds: KindRegistry
) -> ItemFields:
    """Clean one agenda item, or raise ``forms.Invalid`` naming every bad field.

    ``settings`` is the exercise's raw settings (for kind ``exercise``); its
    errors are reported as ``settings.<field>``.
    """
    check = forms.Checker()
    title = check.field("title", forms.text, raw.get("title"), max_length=TITLE_MAX, required=True)
    start = check.field("start", forms.clock_time, raw.get("start"))
    duration = check.field(
        "duration", forms.integer, raw.get("duration"), minimum=0, maximum=DURATION_MAX
    )
    kind = check.field("kind", forms.choice, raw.get("kind") or "talk", options=ITEM_KINDS)
    notes = check.field("notes", forms.text, raw.get("notes"), max_length=NOTES_MAX, multiline=True)
    exercise_kind: str | None = None
    clean_settings: dict[str, object] = {}
    if kind == "exercise":
        name = raw.get("exercise")
        exercise = kinds.get(name) if isinstance(name, str) else None
        if name is None or name == "":
            check.errors["exercise"] = Message("Required.")
        elif exercise is None:
            check.errors["exercise"] = kinds.unknown(name)
        else:
            exercise_kind = exercise.name
            own = {k: v for k, v in (settings or {}).items() if k not in COMMON_SETTINGS}
            try:
                clean_settings = exercise.validate_settings(own)
            except forms.Invalid as exc:
                for key, message in exc.errors.items():
                    check.errors[f"settings.{key}"] = message
            for key in COMMON_SETTINGS:
                if check.field(f"settings.{key}", forms.flag, (settings or {}).get(key)):
                    if key == "approve" and not isinstance(exercise, ShowsText):
                        check.errors[f"settings.{key}"] = Message(
                            "Only for exercises whose answers are shown as text."
                        )
                    clean_settings[key] = True
    check.done()
    return ItemFields(
        title=title,
        duration_min=duration,
        kind=kind,  # type: ignore[arg-type]  # choice() returned one of ITEM_KINDS
        start=start,
        notes=notes,
        exercise_kind=exercise_kind,
        settings=clean_settings,
    )


WarningKind = Literal["overlap", "gap"]


@dataclass(frozen=True)
class Slot:
    """An item placed on the clock: start and end in minutes after midnight, if known."""

    item: AgendaItem
    start: int | None
    end: int | None
    warning: WarningKind | None = None
    minutes: int = 0  # size of the overlap or gap

    @property
    def start_text(self) -> str:
        return clock(self.start)

    @property
    def end_text(self) -> str:
        return clock(self.end)

    def warning_message(self) -> Message | None:
        if self.warning == "overlap":
            return Message("Starts %(min)d min before the previous item ends.", min=self.minutes)
        if self.warning == "gap":
            return Message("%(min)d min gap before this item.", min=self.minutes)
        return None


@dataclass(frozen=True)
class Timeline:
    slots: list[Slot]
    end: int | None  # planned end of the day

    @property
    def end_text(self) -> str:
        return clock(self.end)

    @property
    def warnings(self) -> int:
        return sum(1 for s in self.slots if s.warning)


def minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def clock(value: int | None) -> str:
    """Minutes after midnight as HH:MM (wrapping past midnight); blank when unknown."""
    if value is None:
        return ""
    return format_time(dt.time(value // 60 % 24, value % 60))


def timeline(items: Sequence[AgendaItem]) -> Timeline:
    """Place items on the clock: an item without a start follows the one before it.

    An item whose planned start is before the previous one ends overlaps it; one
    that starts after it ends leaves a gap. Both are shown, never corrected.
    """
    slots: list[Slot] = []
    previous_end: int | None = None
    for item in items:
        start = minutes(item.start) if item.start else previous_end
        warning: WarningKind | None = None
        size = 0
        if item.start and previous_end is not None and start is not None:
            if start < previous_end:
                warning, size = "overlap", previous_end - start
            elif start > previous_end:
                warning, size = "gap", start - previous_end
        end = start + item.duration_min if start is not None else None
        slots.append(Slot(item, start, end, warning, size))
        previous_end = end
    ends = [s.end for s in slots if s.end is not None]
    return Timeline(slots, max(ends) if ends else None)
