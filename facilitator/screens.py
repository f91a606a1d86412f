"""How the projector and the control panel see the session (pushed by the live core)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from workshop.agenda import Timeline, minutes, timeline
from workshop.forms import name_key
from workshop.i18n import format_time
from workshop.kinds import KindRegistry, ResponseRecord, shows_text
from workshop.live.state import LiveState
from workshop.models import Group
from workshop.settings import Settings
from workshop.templating import Templates

PRESENT = "facilitator/present.html"
CONTROL = "facilitator/control.html"
#: Phones listed per group on the control panel (the rest are counted).
GROUP_ROWS = 40


def local_time(moment: dt.datetime) -> str:
    """A moment in the server's local time (the venue's: set TZ if it differs)."""
    return format_time(moment)


@dataclass(frozen=True)
class Schedule:
    """The day's plan against what happened: times and how far behind it runs."""

    timeline: Timeline
    drift: int | None  # minutes behind the plan (negative: ahead)

    local_time = staticmethod(local_time)


def schedule(state: LiveState) -> Schedule:
    plan = timeline(state.items)
    drift = None
    # Against the plan only while it runs, on its day: a rehearsal two weeks early or a
    # closed day is not "457 min ahead of the plan".
    date = state.session.date
    if not state.live or (date is not None and date != dt.date.today()):
        return Schedule(plan, drift)
    for slot in plan.slots:
        if state.item is not None and slot.item.id == state.item.id:
            started = slot.item.actual_start
            if started is not None and slot.start is not None:
                drift = minutes(started.astimezone().time()) - slot.start
    return Schedule(plan, drift)


def join_url(settings: Settings, code: str | None) -> str:
    return f"{settings.join_base_url()}/j/{code}" if code else ""


def join_host(settings: Settings) -> str:
    return urlsplit(settings.join_base_url()).netloc


def context(
    settings: Settings, state: LiveState, kinds: KindRegistry | None = None, **extra: Any
) -> dict[str, Any]:
    """What the presenter's and the control panel's templates are rendered with."""
    values: dict[str, Any] = {
        "state": state,
        "kinds": kinds if kinds is not None else KindRegistry(),
        "session": state.session,
        "csrf_token": "",
        "join_url": join_url(settings, state.session.join_code),
        "join_host": join_host(settings),
        "schedule": schedule(state),
        "group_rows": GROUP_ROWS,
        "all_phones": False,
    }
    values.update(extra)
    return values


class _Screen:
    template = ""

    def __init__(
        self, templates: Templates, settings: Settings, kinds: KindRegistry | None = None
    ) -> None:
        self.templates = templates
        self.settings = settings
        self.kinds = kinds

    def context(self, state: LiveState, **extra: Any) -> dict[str, Any]:
        return context(self.settings, state, self.kinds, **extra)

    def _blocks(self, ctx: dict[str, Any], *names: str) -> str:
        return "".join(self.templates.render_block(self.template, n, ctx) for n in names)


class PresenterView(_Screen):
    """The projector: join banner, current item, countdown, results, answered count."""

    template = PRESENT

    def full(self, state: LiveState) -> str:
        """The whole screen."""
        return self._blocks(self.context(state), "present", "present_counts")

    def results(self, state: LiveState, added: Sequence[ResponseRecord]) -> str:
        """New answers appended to the wall (kinds that append), else the whole screen."""
        if state.kind is None:
            return ""
        if not state.kind.appends:
            return self.full(state)
        shown = [r for r in added if not r.pending and not r.hidden]
        html = self._blocks(self.context(state), "present_counts")
        # The themes view lists answers by theme: a new answer has none yet.
        if shown and state.session.results_visible and not state.themes_view:
            html += self._blocks(self.context(state, added=shown), "present_added")
        return html

    def counts(self, state: LiveState, changed: Collection[int]) -> str:
        """How many phones have answered."""
        if state.kind is None:
            return ""
        return self._blocks(self.context(state), "present_counts")


class ControlView(_Screen):
    """The control panel of every facilitator driving the session."""

    template = CONTROL

    def full(self, state: LiveState) -> str:
        """The whole panel (and, once the session is not live, no step to close it)."""
        names = ("control",) if state.live else ("control", "control_close_step")
        return self._blocks(self.context(state), *names)

    def results(self, state: LiveState, added: Sequence[ResponseRecord]) -> str:
        """The answers waiting for approval, the item's part (re-rendered, or the new
        responses appended for kinds that append) and the counts."""
        kind = state.kind
        if kind is None:
            return ""
        ctx = self.context(state, added=[r for r in added if not r.pending])
        blocks = ["control_counts", "control_answers_state"]
        if shows_text(state.kind):
            blocks.append("control_pending")
        if not kind.appends:
            blocks.append("control_kind")
        elif ctx["added"]:
            blocks.append("control_added")
        return self._blocks(ctx, *blocks)

    def counts(self, state: LiveState, changed: Collection[int]) -> str:
        """Phones connected and answered; the columns of the groups of the phones whose
        connection changed (only those, each bounded), and of the groups that expected
        them by name."""
        html = self._blocks(self.context(state), "control_counts")
        if state.session.live_state != "live" or not changed:
            return html
        groups: dict[int | None, Group | None] = {}
        known = {g.id: g for g in state.groups}
        for pid in changed:
            phone = state.participants.get(pid)
            group_id = phone.group_id if phone and phone.group_id in known else None
            groups[group_id] = known.get(group_id) if group_id is not None else None
            named = name_key(phone.name) if phone and phone.name else ""
            for group in state.groups:
                if named and any(name_key(m) == named for m in group.members):
                    groups[group.id] = group
        if not state.groups:
            groups = {}
        return html + self._blocks(
            self.context(state, changed_groups=list(groups.values())), "control_group_changes"
        )
