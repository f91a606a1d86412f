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
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from workshop import blocklist
from workshop import hub as audiences
from workshop.clock import Timer, TimerAction, apply, now
from workshop.hub import Fragment, Hub
from workshop.i18n import LANGUAGES, language
from workshop.kinds import (
    Curated,
    Curation,
    Drawn,
    ExerciseKind,
    KindRegistry,
    ResponseRecord,
    ShowsText,
    Value,
    Voted,
)
from workshop.models import AgendaItem, Session, Theme
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

    def refreshed(self, phones: int, drawing: Any) -> LiveState:
        """The same state (responses, curation: so the same result) at this moment."""
        fresh = replace(self, phones=phones, drawing=drawing, server_now=now())
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
        return self.items.index(self.item) if self.item in self.items else -1


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
            return base.refreshed(phones, drawing if session_id in self._drawn_sessions else None)
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

    # -- publishing ------------------------------------------------------------
    # A hub channel is "<audience>:<language>": each audience is rendered once
    # per language that one of its sockets speaks, never once per socket.

    def channel(self, audience: str, language: str) -> str:
        return f"{audience}:{language}"

    def connected(self, session_id: int, audience: str) -> int:
        return sum(self.hub.count(session_id, self.channel(audience, lang)) for lang in LANGUAGES)

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
        if (only is None or audiences.PHONES in only) and state.responses:
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
        await self.publish_all(session_id)
        return True

    async def step(self, session_id: int, by: int) -> None:
        state = await self.state(session_id)
        if state is None or not state.items:
            return
        target = max(0, min(len(state.items) - 1, state.position + by))
        if target != state.position:
            await self.go_to(session_id, state.items[target].id)

    async def timer(self, session_id: int, action: TimerAction) -> None:
        state = await self.state(session_id)
        if state is None or state.item is None:
            return
        item = state.item
        current = Timer(item.timer_ends_at, item.timer_paused_ms)
        await self.store.live.set_timer(
            session_id, item.id, apply(action, current, item.duration_min, now())
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
        """Stop drawing (the app is shutting down)."""
        for task in list(self._draw_tasks.values()):
            task.cancel()
