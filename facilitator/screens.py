"""How the projector and the control panel see the session (pushed by the live loop)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from workshop.agenda import Timeline, minutes, timeline
from workshop.hub import Fragment
from workshop.kinds import ResponseRecord, ShowsText
from workshop.live import LiveState
from workshop.settings import Settings
from workshop.templating import Templates

PRESENT = "facilitator/present.html"
CONTROL = "facilitator/control.html"


def local_time(moment: dt.datetime) -> str:
    """A moment in the server's local time (the venue's: set TZ if it differs)."""
    return moment.astimezone().strftime("%H:%M")


@dataclass(frozen=True)
class Schedule:
    """The day's plan against what happened: times and how far behind it runs."""

    timeline: Timeline
    drift: int | None  # minutes behind the plan (negative: ahead)

    local_time = staticmethod(local_time)


def schedule(state: LiveState) -> Schedule:
    plan = timeline(state.items)
    drift = None
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


class _Screen:
    template = ""

    def __init__(self, templates: Templates, settings: Settings) -> None:
        self.templates = templates
        self.settings = settings

    def context(self, state: LiveState, **extra: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "state": state,
            "session": state.session,
            "csrf_token": "",
            "join_url": join_url(self.settings, state.session.join_code),
            "join_host": join_host(self.settings),
            "schedule": schedule(state),
        }
        values.update(extra)
        return values

    def _blocks(self, ctx: dict[str, Any], *names: str) -> list[Fragment]:
        return [Fragment(self.templates.render_block(self.template, n, ctx), slot=n) for n in names]

    def _each(
        self, state: LiveState, responses: list[ResponseRecord], block: str
    ) -> list[Fragment]:
        """One fragment appending every response (no slot: appends never replace)."""
        if not responses:
            return []
        html = "".join(
            self.templates.render_block(self.template, block, self.context(state, response=r))
            for r in responses
        )
        return [Fragment(html)]


class PresenterView(_Screen):
    """The projector: join banner, current item, countdown, results, answered count."""

    template = PRESENT

    def full(self, state: LiveState) -> list[Fragment]:
        """The whole screen."""
        return self._blocks(self.context(state), "present")

    def results(self, state: LiveState) -> list[Fragment]:
        """Re-rendered results (kinds that do not append), with the count."""
        if state.kind is None or state.kind.appends:
            return []
        return self._blocks(self.context(state), "present")

    def added(self, state: LiveState, responses: list[ResponseRecord]) -> list[Fragment]:
        """New answers appended to the wall (when results are shown)."""
        if state.kind is None or not state.kind.appends or not state.session.results_visible:
            return []
        return self._each(state, [r for r in responses if not r.pending], "present_added")

    def counts(self, state: LiveState) -> list[Fragment]:
        """How many phones have answered."""
        if state.kind is None:
            return []
        return self._blocks(self.context(state), "present_counts")


class ControlView(_Screen):
    """The control panel of every facilitator driving the session."""

    template = CONTROL

    def full(self, state: LiveState) -> list[Fragment]:
        """The whole panel."""
        return self._blocks(self.context(state), "control")

    def results(self, state: LiveState) -> list[Fragment]:
        """The answers list or the live result (coalesced), for kinds that do not append;
        the answers waiting for approval, for kinds that show text."""
        if state.kind is None:
            return []
        blocks = ["control_pending"] if isinstance(state.kind, ShowsText) else []
        if state.phase is not None:
            blocks.append("control_group_lists")
        elif not state.kind.appends:
            blocks.append("control_responses" if state.kind.moderated else "control_results")
        return self._blocks(self.context(state), *blocks) if blocks else []

    def added(self, state: LiveState, responses: list[ResponseRecord]) -> list[Fragment]:
        """New answers appended to the list (kinds moderated one answer at a time)."""
        if state.kind is None or not state.kind.moderated:
            return []
        return self._each(state, [r for r in responses if not r.pending], "control_added")

    def counts(self, state: LiveState) -> list[Fragment]:
        """Phones connected and answered; the groups with who is connected."""
        if state.session.live_state == "live":
            return self._blocks(self.context(state), "control_counts", "control_groups")
        return self._blocks(self.context(state), "control_counts")
