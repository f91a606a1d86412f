"""The live loop's actions: each writes through the store, then publishes, from here.

Facilitator actions (start, move, timer, switches, marks) and phone actions
(respond, edit, delete) change the store first; only after the commit does
the loop render the new state once per audience and hand it to the hub. How
an audience looks is not known here: the facilitator and participant packages
register an :class:`AudienceView` per audience, and the app factory wires
them in (see ``workshop/app.py``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from workshop import blocklist, phases
from workshop import hub as audiences
from workshop.clock import Timer, TimerAction, apply, now
from workshop.hub import Fragment, Hub
from workshop.i18n import LANGUAGES, Message, language
from workshop.kinds import (
    Curated,
    Curation,
    Drawn,
    ExerciseKind,
    InGroups,
    KindRegistry,
    ResponseRecord,
    Role,
    ShowsText,
    Value,
    Voted,
)
from workshop.models import AgendaItem, Group, Participant, Session, Theme
from workshop.phases import PhaseNow
from workshop.store import Store
from workshop.workers import Workers


@dataclass(frozen=True)
class LiveState:
    """Everything an audience needs to render the session as it is now."""

    session: Session
    items: list[AgendaItem]
    item: AgendaItem | None
    kind: ExerciseKind | None
    responses: list[ResponseRecord]
    themes: list[Theme]
    phones: int
    answered: int
    server_now: dt.datetime = field(default_factory=now)
    #: The facilitator's curation of the current item (see ``workshop.kinds.Curated``).
    curation: Curation = field(default_factory=dict)
    #: The newest drawing of the current item's result, for ``Drawn`` kinds.
    drawing: Any = None
    #: The session's groups, and (when it has groups) its phones.
    groups: list[Group] = field(default_factory=list)
    members: list[Participant] = field(default_factory=list)
    #: The phones connected now.
    online: frozenset[int] = frozenset()
    #: Exercises in phases: the phase now, and each phone's role (index into the roles).
    phase: PhaseNow | None = None
    roles: dict[int, int] = field(default_factory=dict)
    #: The result, once computed: every audience's render of this state shares it.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def result(self) -> Any:
        """The current item's live result (what its kind's ``summarise`` returns)."""
        if self.item is None or self.kind is None:
            return None
        if "result" not in self._memo:
            approved = [r for r in self.responses if not r.pending]
            self._memo["result"] = self.kind.summarise(self.item.settings, approved, self.curation)
        return self._memo["result"]

    def refreshed(self, phones: int, drawing: Any, online: frozenset[int]) -> LiveState:
        """The same state (responses, curation: so the same result) at this moment."""
        fresh = replace(self, phones=phones, drawing=drawing, online=online, server_now=now())
        object.__setattr__(fresh, "_memo", self._memo)
        return fresh

    @property
    def shown(self) -> list[ResponseRecord]:
        """The responses the room may see: approved and not hidden."""
        return [r for r in self.responses if not r.pending and not r.hidden]

    @property
    def pending(self) -> list[ResponseRecord]:
        """Responses waiting for a facilitator's approval (not hidden)."""
        return [r for r in self.responses if r.pending and not r.hidden]

    @property
    def position(self) -> int:
        ids = [i.id for i in self.items]
        return ids.index(self.item.id) if self.item is not None and self.item.id in ids else -1

    # -- groups ------------------------------------------------------------------

    def group(self, group_id: int | None) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def in_group(self, group_id: int | None) -> list[Participant]:
        """The phones of a group (None: the phones in no group)."""
        known = {g.id for g in self.groups}
        if group_id is None:
            return [p for p in self.members if p.group_id not in known]
        return [p for p in self.members if p.group_id == group_id]

    def points(self, group_id: int | None) -> list[ResponseRecord]:
        """A group's list (group work), in its order."""
        found = [r for r in self.responses if r.group_id == group_id and group_id is not None]
        return sorted(found, key=lambda r: (r.position or 0, r.id))

    def role_of(self, participant_id: int) -> Role | None:
        if not isinstance(self.kind, InGroups) or self.item is None:
            return None
        index = self.roles.get(participant_id)
        if "roles" not in self._memo:
            self._memo["roles"] = self.kind.roles(self.item.settings)
        roles = self._memo["roles"]
        return roles[index] if index is not None and 0 <= index < len(roles) else None

    def keepers(self, group_id: int | None) -> set[int]:
        """The phones of a group that keep its list (edit and order its points)."""
        keepers = set()
        for pid in (p.id for p in self.in_group(group_id)):
            role = self.role_of(pid)
            if role is not None and role.keeps_list:
                keepers.add(pid)
        return keepers

    def may_keep_list(self, participant_id: int, group_id: int | None) -> bool:
        """The list keeper may edit and order; in a group without one, everyone may."""
        keepers = self.keepers(group_id)
        return not keepers or participant_id in keepers


class AudienceView(Protocol):
    """How one audience sees the session; rendered once per audience."""

    def full(self, state: LiveState) -> list[Fragment]:
        """Everything, for a (re)connecting socket and after a change of item."""
        ...

    def results(self, state: LiveState) -> list[Fragment]:
        """The current item's results (coalesced bursts of responses)."""
        ...

    def added(self, state: LiveState, responses: list[ResponseRecord]) -> list[Fragment]:
        """New responses since the last push (appended, not re-rendered)."""
        ...

    def counts(self, state: LiveState) -> list[Fragment]:
        """Phones connected and answered."""
        ...


class PhoneView(AudienceView, Protocol):
    def own(
        self, state: LiveState, participant_id: int, own: list[ResponseRecord]
    ) -> list[Fragment]:
        """One phone's own responses to the current item."""
        ...


_SCREENS = (audiences.PRESENTER, audiences.FACILITATORS)


def _newest(state: LiveState) -> int:
    return max((r.id for r in state.responses), default=0)


class LiveLoop:
    #: Seconds between two drawings (word-cloud layouts) of one session.
    DRAW_INTERVAL = 2.0

    def __init__(
        self, store: Store, hub: Hub, kinds: KindRegistry, workers: Workers | None = None
    ) -> None:
        self.store = store
        self.hub = hub
        self.kinds = kinds
        self.workers = workers
        #: Per item: the newest drawing and the signature of the result it drew.
        self._drawings: dict[int, tuple[str, Any]] = {}
        self._drawn_sessions: set[int] = set()
        #: Sessions whose current item's responses the phones see (and vote for).
        self._voted_sessions: set[int] = set()
        self._redraw_wanted: set[int] = set()
        self._draw_tasks: dict[int, asyncio.Task[None]] = {}
        #: Per programme: its blocklist as a test (read once, dropped when it changes).
        self._blocklists: dict[int, Callable[[str], bool]] = {}
        self._last_draw: dict[int, float] = {}
        self.views: dict[str, AudienceView] = {}
        #: Per (session, channel): the newest response id that channel was sent.
        self._sent_upto: dict[tuple[int, str], int] = {}
        #: Per session: the last state read, with the generation it was read at. Every
        #: change through the loop starts a new generation; a burst of pushes to several
        #: audiences reads the store and groups the responses once.
        self._states: dict[int, tuple[int, float, LiveState]] = {}
        self._generation: dict[int, int] = {}
        self._reading: dict[int, tuple[int, asyncio.Task[LiveState | None]]] = {}
        #: Per session: when the running phase ends, and the wake-up then.
        self._phase_wakes: dict[int, tuple[dt.datetime, asyncio.TimerHandle]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        #: Per session: the item in groups whose roles and notepads the phones were sent.
        self._mine_sent: dict[int, int] = {}
        hub.on_change = self._connections_changed

    def register(self, audience: str, view: AudienceView) -> None:
        self.views[audience] = view

    # -- reading ---------------------------------------------------------------

    #: Seconds a state read may serve before it is read again, even without a change
    #: through the loop (a change made elsewhere shows within this).
    STATE_TTL = 1.0

    def changed(self, session_id: int) -> None:
        """Something of the session changed: the next ``state`` reads the store."""
        self._generation[session_id] = self._generation.get(session_id, 0) + 1

    async def state(self, session_id: int) -> LiveState | None:
        """The session's whole live state (shared by the screens' pushes)."""
        generation = self._generation.get(session_id, 0)
        known = self._states.get(session_id)
        if known and known[0] == generation and time.monotonic() - known[1] < self.STATE_TTL:
            base = known[2]
            drawing = self._drawings.get(base.item.id, ("", None))[1] if base.item else None
            phones = self.connected(session_id, audiences.PHONES)
            return base.refreshed(
                phones,
                drawing if session_id in self._drawn_sessions else None,
                self.online(session_id),
            )
        # Screens pushed at the same moment share one read.
        reading = self._reading.get(session_id)
        if reading is None or reading[0] != generation:
            task = asyncio.get_running_loop().create_task(self._read_state(session_id))
            reading = (generation, task)
            self._reading[session_id] = reading
            task.add_done_callback(lambda _t: self._read_done(session_id, reading))
        return await asyncio.shield(reading[1])

    def _read_done(
        self, session_id: int, reading: tuple[int, asyncio.Task[LiveState | None]]
    ) -> None:
        if self._reading.get(session_id) is reading:
            del self._reading[session_id]
        generation, task = reading
        if task.cancelled() or task.exception() is not None:
            return
        read = task.result()
        if read is None:
            self._states.pop(session_id, None)
        else:
            self._states[session_id] = (generation, time.monotonic(), read)

    async def _read_state(self, session_id: int) -> LiveState | None:
        session = await self.store.live.session(session_id)
        if session is None:
            return None
        items = await self.store.agenda.items(session_id)
        item = next((i for i in items if i.id == session.current_item_id), None)
        kind = self.kinds.get(item.exercise_kind or "") if item else None
        responses = await self.store.responses.for_item(item.id) if item and kind else []
        themes = await self.store.responses.themes(item.id) if item and kind else []
        curation = await self.store.responses.curation(item.id) if item and kind else {}
        answered = len({r.participant_id for r in responses})
        groups = await self.store.groups.of_session(session_id)
        members = await self.store.groups.participants(session_id) if groups else []
        item, phase = self._phased(item, kind)
        roles = await self.store.groups.roles(item.id) if item and phase else {}
        self._wake_at_phase_end(session_id, phase)
        drawn = item is not None and isinstance(kind, Drawn)
        if drawn:
            self._drawn_sessions.add(session_id)
        else:
            self._drawn_sessions.discard(session_id)
        if isinstance(kind, Voted):
            self._voted_sessions.add(session_id)
        else:
            self._voted_sessions.discard(session_id)
        state = LiveState(
            session,
            items,
            item,
            kind,
            responses,
            themes,
            self.connected(session_id, audiences.PHONES),
            answered,
            curation=curation,
            drawing=self._drawings.get(item.id, ("", None))[1] if drawn and item else None,
            groups=groups,
            members=members,
            online=self.online(session_id),
            phase=phase,
            roles=roles,
        )
        if len(responses) > 500:
            # Group many responses in a slice of the loop of their own, not in the
            # middle of the first render.
            await asyncio.sleep(0)
            state.result()
        return state

    async def phone_state(self, session_id: int | Session, participant_id: int) -> LiveState | None:
        """The state as one phone needs it: the current item and only its own responses.

        Phones never see the others' answers (except for ``Voted`` kinds, whose
        questions every phone sees), so a phone's request or connection costs
        the same with five answers in the room as with five thousand.
        ``items`` holds only the current item, and ``themes``/``answered`` are empty.
        Pass the session itself when it was just read.
        """
        session = (
            session_id
            if isinstance(session_id, Session)
            else await self.store.live.session(session_id)
        )
        if session is None:
            return None
        item_id = session.current_item_id
        item = await self.store.agenda.item(session.id, item_id) if item_id else None
        kind = self.kinds.get(item.exercise_kind or "") if item else None
        curation: Curation = {}
        item, phase = self._phased(item, kind)
        if item and phase is not None:
            # Group work: the phone's group, its list and its phones' roles. (After a
            # restart a phone may be the first to read: it sets the wake-up too.)
            self._wake_at_phase_end(session.id, phase)
            participant = await self.store.responses.participant(participant_id)
            groups = await self.store.groups.of_session(session.id)
            group_id = participant.group_id if participant else None
            if group_id not in {g.id for g in groups}:
                group_id = None
            members = await self.store.groups.members(session.id, group_id) if group_id else []
            points = await self.store.groups.points(item.id, group_id) if group_id else []
            roles = await self.store.groups.roles(item.id)
            return LiveState(
                session,
                [item],
                item,
                kind,
                points,
                [],
                self.connected(session.id, audiences.PHONES),
                0,
                groups=groups,
                members=members or ([participant] if participant else []),
                phase=phase,
                roles={p.id: roles[p.id] for p in members if p.id in roles}
                | ({participant_id: roles[participant_id]} if participant_id in roles else {}),
            )
        if item and isinstance(kind, Voted):
            # The phones see the others' questions: every response, then.
            own = await self.store.responses.for_item(item.id)
            curation = await self.store.responses.curation(item.id)
        else:
            own = await self.store.responses.own(item.id, participant_id) if item and kind else []
        return LiveState(
            session,
            [item] if item else [],
            item,
            kind,
            own,
            [],
            self.connected(session.id, audiences.PHONES),
            0,
            curation=curation,
        )

    async def with_own(self, state: LiveState, participant_id: int) -> LiveState:
        """A phone's state with its own responses read again (after it changed them)."""
        if state.item is None or state.kind is None:
            return state
        own = await self.store.responses.own(state.item.id, participant_id)
        return replace(state, responses=own)

    async def voted(self, state: LiveState, participant_id: int) -> list[int]:
        """The current item's responses a phone voted for (``Voted`` kinds; else none)."""
        if state.item is None or not isinstance(state.kind, Voted):
            return []
        return await self.store.responses.voted(state.item.id, participant_id)

    async def own(self, state: LiveState, participant_id: int) -> list[ResponseRecord]:
        if state.item is None or state.kind is None:
            return []
        return [r for r in state.responses if r.participant_id == participant_id]

    def _phased(
        self, item: AgendaItem | None, kind: ExerciseKind | None
    ) -> tuple[AgendaItem | None, PhaseNow | None]:
        """An item in phases as it is now: its timer and phase rolled to this moment."""
        if item is None or not isinstance(kind, InGroups):
            return item, None
        steps = kind.phases(item.settings)
        if not steps:
            return item, None
        phase = phases.roll(
            item.phase, Timer(item.timer_ends_at, item.timer_paused_ms), steps, now()
        )
        rolled = replace(
            item,
            phase=phase.index,
            timer_ends_at=phase.timer.ends_at,
            timer_paused_ms=phase.timer.paused_ms,
        )
        return rolled, phase

    def _wake_at_phase_end(self, session_id: int, phase: PhaseNow | None) -> None:
        """Push every screen again when the running phase ends (the next one begins)."""
        ends = phases.next_end(phase) if phase is not None else None
        known = self._phase_wakes.get(session_id)
        if known is not None and known[0] == ends:
            return
        if known is not None:
            known[1].cancel()
            del self._phase_wakes[session_id]
        if ends is None:
            return
        delay = max(0.0, (ends - now()).total_seconds()) + 0.05
        loop = asyncio.get_running_loop()

        def wake() -> None:
            self._phase_wakes.pop(session_id, None)
            task = loop.create_task(self.publish_all(session_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        self._phase_wakes[session_id] = (ends, loop.call_later(delay, wake))

    # -- publishing ------------------------------------------------------------
    # A hub channel is "<audience>:<language>": each audience is rendered once
    # per language that one of its sockets speaks, never once per socket.

    def channel(self, audience: str, language: str) -> str:
        return f"{audience}:{language}"

    def connected(self, session_id: int, audience: str) -> int:
        return sum(self.hub.count(session_id, self.channel(audience, lang)) for lang in LANGUAGES)

    def online(self, session_id: int) -> frozenset[int]:
        """The phones (participant ids) with a socket open now."""
        found: set[int] = set()
        for lang in LANGUAGES:
            found |= self.hub.keys(session_id, self.channel(audiences.PHONES, lang))
        return frozenset(found)

    def group_channel(self, group_id: int | None, language: str) -> str:
        """A group's phones, in one language (group 0: the phones in no group)."""
        return self.channel(audiences.group_audience(group_id or 0), language)

    def _publish_groups(self, state: LiveState, only: set[int | None] | None = None) -> None:
        """Each group's area to its own phones (group work), rendered once per group."""
        view = self.views.get(audiences.PHONES)
        if view is None or state.phase is None:
            return
        session_id = state.session.id
        for group in [*state.groups, None]:
            group_id = group.id if group else None
            if only is not None and group_id not in only:
                continue
            for lang in LANGUAGES:
                channel = self.group_channel(group_id, lang)
                if not self.hub.count(session_id, channel):
                    continue
                with language(lang):
                    fragments = view.group(state, group, state.points(group_id))  # type: ignore[attr-defined]
                self.hub.publish(session_id, channel, fragments)

    def _send_mine(
        self, state: LiveState, notes: Mapping[int, str], only: set[int] | None = None
    ) -> None:
        """Each phone's role and notepad (group work): one render for the phones without
        either, one per phone for the others."""
        view = self.views.get(audiences.PHONES)
        if view is None or state.phase is None:
            return
        session_id = state.session.id
        special = (set(state.roles) | set(notes)) if only is None else only
        for channel, lang in self._channels(session_id, audiences.PHONES):
            with language(lang):
                if only is None:
                    self.hub.publish(session_id, channel, view.mine(state, None, ""))  # type: ignore[attr-defined]
                for pid in special:
                    fragments = view.mine(state, pid, notes.get(pid, ""))  # type: ignore[attr-defined]
                    self.hub.send(session_id, channel, pid, fragments)

    def _channels(self, session_id: int, audience: str) -> list[tuple[str, str]]:
        return [
            (self.channel(audience, lang), lang)
            for lang in LANGUAGES
            if self.hub.count(session_id, self.channel(audience, lang))
        ]

    async def publish_all(
        self, session_id: int, only: tuple[str, ...] | None = None, *, changed: bool = True
    ) -> None:
        """The whole state to every audience (after a change of item or switch);
        ``changed=False`` when the store did not change (a new drawing)."""
        if changed:
            self.changed(session_id)
        state = await self.state(session_id)
        if state is None:
            return
        for audience, view in self.views.items():
            if only is not None and audience not in only:
                continue
            for channel, lang in self._channels(session_id, audience):
                self._sent_upto[(session_id, channel)] = _newest(state)
                with language(lang):
                    self.hub.publish(session_id, channel, view.full(state))
        to_phones = only is None or audiences.PHONES in only
        if to_phones and state.phase is not None and state.item is not None:
            self._publish_groups(state)
            if self._mine_sent.get(session_id) != state.item.id:
                # A new item in groups: every phone's role and notepad, once.
                self._mine_sent[session_id] = state.item.id
                self._send_mine(state, await self.store.groups.notes(state.item.id))
        elif to_phones and state.responses:
            self._send_own(state)
        if only is None and state.drawing is None:
            self.redraw_soon(session_id)  # a new item: its first drawing

    def _send_own(self, state: LiveState, only: set[int] | None = None) -> None:
        """Phones with responses to the current item (or ``only`` these) get their own
        list as well."""
        phone_view = self.views.get(audiences.PHONES)
        if phone_view is None:
            return
        by_phone: dict[int, list[ResponseRecord]] = {}
        for record in state.responses:
            if only is not None and record.participant_id not in only:
                continue
            by_phone.setdefault(record.participant_id, []).append(record)
        for channel, lang in self._channels(state.session.id, audiences.PHONES):
            with language(lang):
                for participant_id, own in by_phone.items():
                    fragments = phone_view.own(state, participant_id, own)  # type: ignore[attr-defined]
                    self.hub.send(state.session.id, channel, participant_id, fragments)

    def publish_results(self, session_id: int, only: tuple[str, ...] | None = None) -> None:
        """Coalesced: new responses appended, results and counts, to every audience.

        At most one push per interval per channel, however many answers arrive;
        each push appends every response that channel has not been sent yet.
        Phones get a push only when they see the others' responses (``Voted``).
        """
        for audience, view in self.views.items():
            if only is not None and audience not in only:
                continue
            if audience == audiences.PHONES and session_id not in self._voted_sessions:
                continue
            for channel, lang in self._channels(session_id, audience):

                async def render(
                    view: AudienceView = view, lang: str = lang, channel: str = channel
                ) -> list[Fragment]:
                    state = await self.state(session_id)
                    if state is None:
                        return []
                    upto = self._sent_upto.get((session_id, channel), 0)
                    new = [r for r in state.responses if r.id > upto and not r.hidden]
                    self._sent_upto[(session_id, channel)] = max(upto, _newest(state))
                    with language(lang):
                        return view.added(state, new) + view.results(state) + view.counts(state)

                self.hub.publish_soon(session_id, channel, "results", render)

    def publish_phone_results(self, session_id: int) -> None:
        """Coalesced: what the phones see of the others' responses (``Voted`` kinds)."""
        self.publish_results(session_id, only=(audiences.PHONES,))

    def _connections_changed(self, session_id: int, channel: str) -> None:
        if not channel.startswith(audiences.PHONES + ":"):
            return
        for audience in (audiences.FACILITATORS, audiences.PRESENTER):
            view = self.views.get(audience)
            if view is None:
                continue
            for name, lang in self._channels(session_id, audience):

                async def render(view: AudienceView = view, lang: str = lang) -> list[Fragment]:
                    state = await self.state(session_id)
                    if state is None:
                        return []
                    with language(lang):
                        return view.counts(state)

                self.hub.publish_soon(session_id, name, "counts", render)

    # -- facilitator actions ---------------------------------------------------

    async def start(self, session_id: int) -> None:
        await self.store.live.start(session_id)
        await self.publish_all(session_id)

    async def close(self, session_id: int) -> None:
        await self.store.live.close(session_id)
        await self.publish_all(session_id)

    async def go_to(self, session_id: int, item_id: int) -> bool:
        if not await self.store.live.go_to(session_id, item_id):
            return False
        self.changed(session_id)
        state = await self.state(session_id)
        if state is not None and state.phase is not None and not state.roles:
            await self.draw_roles(session_id, publish=False)
        await self.publish_all(session_id)
        return True

    async def step(self, session_id: int, by: int) -> None:
        state = await self.state(session_id)
        if state is None or not state.items:
            return
        target = max(0, min(len(state.items) - 1, state.position + by))
        if target != state.position:
            await self.go_to(session_id, state.items[target].id)

    async def timer(self, session_id: int, action: TimerAction | str) -> None:
        state = await self.state(session_id)
        if state is None or state.item is None:
            return
        item = state.item
        if state.phase is not None:
            phase = phases.act(action, state.phase, now())
            await self.store.live.set_timer(session_id, item.id, phase.timer, phase.index)
        else:
            current = Timer(item.timer_ends_at, item.timer_paused_ms)
            timer_action: TimerAction = "end" if action == "skip" else action  # type: ignore[assignment]
            await self.store.live.set_timer(
                session_id, item.id, apply(timer_action, current, item.duration_min, now())
            )
        await self.publish_all(session_id)

    async def switch(
        self,
        session_id: int,
        *,
        results_visible: bool | None = None,
        responses_locked: bool | None = None,
    ) -> None:
        await self.store.live.set_switches(
            session_id, results_visible=results_visible, responses_locked=responses_locked
        )
        await self.publish_all(session_id)

    async def mark(
        self, session_id: int, item_id: int, response_id: int, changes: Mapping[str, object]
    ) -> None:
        """Approve, hide, highlight or theme a response: the screens change; its
        author's phone too when it was approved (it no longer says "waiting")."""
        await self.store.responses.mark(item_id, response_id, **changes)  # type: ignore[arg-type]
        record = await self.store.responses.get(item_id, response_id)
        authors = {record.participant_id} if record and "pending" in changes else set()
        await self._after_moderation(session_id, authors)

    async def approve_all(self, session_id: int, item_id: int) -> None:
        """Approve every response of the item waiting for approval."""
        state = await self.state(session_id)
        authors = {r.participant_id for r in state.pending} if state else set()
        await self.store.responses.approve_all(item_id)
        await self._after_moderation(session_id, authors)

    async def _after_moderation(self, session_id: int, authors: set[int]) -> None:
        await self.publish_all(session_id, only=_SCREENS)
        if authors:
            state = await self.state(session_id)
            if state is not None:
                self._send_own(state, authors)
        self.publish_phone_results(session_id)
        self.redraw_soon(session_id)

    async def add_theme(self, session_id: int, item_id: int, name: str) -> None:
        await self.store.responses.add_theme(item_id, name)
        await self.publish_all(session_id, only=_SCREENS)

    async def delete_theme(self, session_id: int, item_id: int, theme_id: int) -> None:
        await self.store.responses.delete_theme(item_id, theme_id)
        await self.publish_all(session_id, only=_SCREENS)

    # -- groups ------------------------------------------------------------------

    async def draw_roles(self, session_id: int, *, publish: bool = True) -> None:
        """Hand out the roles inside every group among its connected phones, at random;
        a group smaller than the role list gets the first roles of the list."""
        state = await self.state(session_id)
        if state is None or state.item is None or not isinstance(state.kind, InGroups):
            return
        roles = state.kind.roles(state.item.settings)
        drawn: dict[int, int] = {}
        for group in state.groups:
            here = [p.id for p in state.in_group(group.id) if p.id in state.online]
            random.shuffle(here)
            for index, pid in enumerate(here[: len(roles)]):
                drawn[pid] = index
        await self.store.groups.set_roles(state.item.id, drawn)
        self.changed(session_id)
        if not publish:
            return
        state = await self.state(session_id)
        if state is None or state.item is None:
            return
        notes = await self.store.groups.notes(state.item.id)
        self._send_mine(state, notes)
        self._publish_groups(state)
        await self.publish_all(session_id, only=_SCREENS)

    async def move_phone(self, session_id: int, participant_id: int, group_id: int | None) -> bool:
        """Put a phone in another group: from now on it gets that group's pushes."""
        if not await self.store.groups.move(session_id, participant_id, group_id):
            return False
        self.changed(session_id)
        self._regroup(session_id, {participant_id: group_id})
        state = await self.state(session_id)
        view = self.views.get(audiences.PHONES)
        if state is not None and state.phase is not None and view is not None:
            # Only the moved phone needs its new group's area now; the rest is as it was.
            group = state.group(group_id)
            points = state.points(group.id if group else None)
            for channel, lang in self._channels(session_id, audiences.PHONES):
                with language(lang):
                    fragments = view.group(state, group, points)  # type: ignore[attr-defined]
                self.hub.send(session_id, channel, participant_id, fragments)
        await self.publish_all(session_id, only=_SCREENS)
        return True

    async def groups_changed(self, session_id: int) -> None:
        """The session's groups changed outside the loop (the programme page): every open
        socket follows its phone's group as it is now, and every screen shows them."""
        self.changed(session_id)
        state = await self.state(session_id)
        if state is None:
            return
        known = {g.id for g in state.groups}
        moves = {p.id: (p.group_id if p.group_id in known else None) for p in state.members}
        if not state.groups:
            moves = {pid: None for pid in state.online}
        self._regroup(session_id, moves)
        # The sockets are in their groups' channels now: one render per group reaches them.
        await self.publish_all(session_id)

    def _regroup(self, session_id: int, moves: Mapping[int, int | None]) -> None:
        """Move the phones' open sockets from their group's channel to the new one."""
        for lang in LANGUAGES:
            for pid, group_id in moves.items():
                phones_channel = self.channel(audiences.PHONES, lang)
                for sub in self.hub.keyed(session_id, phones_channel, pid):
                    for channel in list(sub.channels):
                        if channel[1].startswith("group:"):
                            self.hub.detach(channel[0], channel[1], sub)
                    self.hub.attach(session_id, self.group_channel(group_id, lang), sub)

    #: Names for groups formed on the spot (translated; "Group 13" after the last).
    GROUP_NAMES = (
        Message("Birch"),
        Message("Rowan"),
        Message("Juniper"),
        Message("Heather"),
        Message("Bluebell"),
        Message("Cloudberry"),
        Message("Lingonberry"),
        Message("Pine"),
        Message("Aspen"),
        Message("Willow"),
        Message("Clover"),
        Message("Fern"),
    )

    async def form_groups(
        self, session_id: int, *, count: int | None = None, size: int | None = None
    ) -> int:
        """Groups formed on the spot among the phones connected now, at random and
        balanced in size (N groups, or groups of about K); forming again replaces
        them. Returns how many groups were formed (0: no phone is connected)."""
        state = await self.state(session_id)
        if state is None:
            return 0
        present = sorted(self.online(session_id))
        if not present:
            return 0
        random.shuffle(present)
        wanted = count if count else math.ceil(len(present) / max(1, size or 1))
        wanted = max(1, min(wanted, len(present)))
        dealt: list[list[int]] = [[] for _ in range(wanted)]
        for index, pid in enumerate(present):
            dealt[index % wanted].append(pid)
        names = [
            str(self.GROUP_NAMES[i])
            if i < len(self.GROUP_NAMES)
            else str(Message("Group %(num)d", num=i + 1))
            for i in range(wanted)
        ]
        await self.store.groups.form(
            session_id, state.session.programme_id, list(zip(names, dealt, strict=True))
        )
        self.changed(session_id)
        fresh = await self.state(session_id)
        if fresh is not None:
            self._regroup(session_id, {p.id: p.group_id for p in fresh.members})
        if fresh is not None and fresh.phase is not None:
            await self.draw_roles(session_id, publish=False)
        # The sockets are in their new groups' channels: one render per group reaches them.
        await self.publish_all(session_id)
        fresh = await self.state(session_id)
        if fresh is not None and fresh.phase is not None and fresh.item is not None:
            # New groups, new roles: every phone's role card.
            self._send_mine(fresh, await self.store.groups.notes(fresh.item.id))
        return wanted

    async def rename_group(self, session_id: int, group_id: int, name: str) -> bool:
        if not await self.store.groups.rename(session_id, group_id, name):
            return False
        await self.publish_all(session_id)
        return True

    # -- phone actions ---------------------------------------------------------

    async def held_back(self, state: LiveState, value: Value) -> bool:
        """Whether a response must wait for approval: the item asks for it, or the
        text holds a word on the programme's blocklist."""
        if state.item is None or not isinstance(state.kind, ShowsText):
            return False
        if state.item.settings.get("approve"):
            return True
        programme_id = state.session.programme_id
        blocked = self._blocklists.get(programme_id)
        if blocked is None:
            blocked = blocklist.matcher(await self.store.programmes.blocklist(programme_id))
            self._blocklists[programme_id] = blocked
        return blocked(state.kind.shown_text(value))

    def blocklist_changed(self, programme_id: int) -> None:
        self._blocklists.pop(programme_id, None)

    async def responded(self, session_id: int) -> None:
        """After a response was committed: the screens get it within a push interval."""
        self.changed(session_id)
        self.publish_results(session_id)
        self.redraw_soon(session_id)

    async def changed_own(self, session_id: int) -> None:
        """After a phone edited or deleted a response: the screens re-render."""
        await self.publish_all(session_id, only=_SCREENS)
        self.publish_phone_results(session_id)
        self.redraw_soon(session_id)

    async def point_added(self, session_id: int, group_id: int) -> None:
        """After a point was added to (or changed on) a group's list: that group's phones
        and the screens get it within a push interval; no other group's phone does."""
        self.changed(session_id)
        self.publish_results(session_id, only=_SCREENS)
        view = self.views.get(audiences.PHONES)
        if view is None:
            return
        for lang in LANGUAGES:
            channel = self.group_channel(group_id, lang)
            if not self.hub.count(session_id, channel):
                continue

            async def render(lang: str = lang) -> list[Fragment]:
                state = await self.state(session_id)
                if state is None or state.phase is None:
                    return []
                with language(lang):
                    return view.points(state, state.group(group_id), state.points(group_id))  # type: ignore[attr-defined, no-any-return]

            self.hub.publish_soon(session_id, channel, "points", render)

    async def vote(self, state: LiveState, participant_id: int, response_id: int, up: bool) -> bool:
        """A phone's vote for a response of the current item (``Voted`` kinds)."""
        if state.item is None or not isinstance(state.kind, Voted):
            return False
        if not await self.store.responses.vote(state.item.id, response_id, participant_id, up):
            return False
        self.changed(state.session.id)
        self.publish_results(state.session.id)
        return True

    async def curate(self, session_id: int, item_id: int, raw: Mapping[str, object]) -> bool:
        """A facilitator's curation of the current item (raises ``Invalid``); False if none."""
        state = await self.state(session_id)
        if state is None or state.item is None or state.item.id != item_id:
            return False
        if not isinstance(state.kind, Curated):
            return False
        curation = state.kind.curate(state.item.settings, state.curation, raw)
        await self.store.responses.set_curation(item_id, curation)
        await self.publish_all(session_id, only=_SCREENS)
        self.publish_phone_results(session_id)
        self.redraw_soon(session_id)
        return True

    # -- drawings (CPU work in a worker process) ----------------------------------

    def redraw_soon(self, session_id: int) -> None:
        """Draw the current result again if it changed: at most every DRAW_INTERVAL."""
        if self.workers is None or session_id not in self._drawn_sessions:
            return
        self._redraw_wanted.add(session_id)
        if session_id not in self._draw_tasks:
            task = asyncio.get_running_loop().create_task(self._draw(session_id))
            self._draw_tasks[session_id] = task

    async def _draw(self, session_id: int) -> None:
        try:
            while session_id in self._redraw_wanted:
                wait = self._last_draw.get(session_id, 0.0) + self.DRAW_INTERVAL - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._redraw_wanted.discard(session_id)
                state = await self.state(session_id)
                if state is None or state.item is None or not isinstance(state.kind, Drawn):
                    continue
                signature, job, args = state.kind.drawing_job(state.result())
                known = self._drawings.get(state.item.id)
                if known is not None and known[0] == signature:
                    continue
                self._last_draw[session_id] = time.monotonic()
                assert self.workers is not None
                drawing = await self.workers.run(job, *args)
                self._drawings[state.item.id] = (signature, drawing)
                await self.publish_all(session_id, only=_SCREENS, changed=False)
        finally:
            self._draw_tasks.pop(session_id, None)

    async def shutdown(self) -> None:
        """Stop drawing and waking up for phases (the app is shutting down)."""
        for task in [*self._draw_tasks.values(), *self._tasks]:
            task.cancel()
        for _ends, handle in self._phase_wakes.values():
            handle.cancel()
        self._phase_wakes.clear()
