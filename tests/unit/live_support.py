"""Helpers for the live core's unit tests: recording views, fake sockets, and a live core on
a temporary SQLite file, driven in-process (no server, no sockets)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop import agenda_toml
from workshop.app import kind_registry
from workshop.hub import FACILITATORS, PHONES, PRESENTER, Hub, Subscriber
from workshop.kinds import KindRegistry, ResponseRecord
from workshop.live import Live, LiveState, PhoneState
from workshop.models import Group, Session
from workshop.phones import PhoneId
from workshop.store import Store

KINDS: KindRegistry = kind_registry(("exercises",))

OPEN_TEXT = """samling_agenda = 1

[[item]]
title = "First question"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters?"
answers_per_phone = 2
max_length = 200

[[item]]
title = "Second question"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What next?"
answers_per_phone = 1
max_length = 200
"""

QA = """samling_agenda = 1

[[item]]
title = "Questions"
duration = 10
kind = "exercise"
exercise = "qa"

[item.settings]
question = "Ask us"
questions_per_phone = 3
"""

#: An open question first (phones join and connect), then group work whose first phase is
#: the group round (points can be added without starting the timer).
GROUP_WORK = """samling_agenda = 1

[[item]]
title = "Warm-up"
duration = 5
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "Who are you?"

[[item]]
title = "Kommune 3.0"
duration = 30
kind = "exercise"
exercise = "group_work"

[item.settings]
task = "Hva betyr samskaping for oss?"
phases = [
    { name = "Gruppe", minutes = 15, mode = "group", instructions = "" },
    { name = "Plenum", minutes = 10, mode = "plenary", instructions = "" },
]
roles = [
    { name = "Leder", rule = "den laveste", keeps_list = false },
    { name = "Sekretær", rule = "den med nyest bukse", keeps_list = true },
]
"""


class RecordingPhones:
    """A PhonesView whose renders name what they rendered, and record what they got."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.states: list[LiveState | PhoneState] = []

    def _title(self, state: LiveState | PhoneState) -> str:
        return state.item.title if state.item is not None else "-"

    def stage(self, state: LiveState) -> str:
        self.calls["stage"] += 1
        self.states.append(state)
        return f"<stage item={self._title(state)!r} v={state.version}>"

    def shared(self, state: LiveState) -> str:
        self.calls["shared"] += 1
        self.states.append(state)
        return f"<shared n={len(state.shown)}>"

    def group(self, state: LiveState, group: Group | None) -> str:
        self.calls["group"] += 1
        self.states.append(state)
        gid = group.id if group is not None else None
        return f"<group {gid} n={len(state.group_responses(gid))}>"

    def own(self, phone: PhoneState) -> str:
        self.calls["own"] += 1
        self.states.append(phone)
        # Kept per distinct content, not per phone: what it shows is made of that content.
        texts = ",".join(str(r.value.get("text")) for r in phone.own)
        role = phone.role.name if phone.role is not None else "-"
        return f"<own [{texts}] role={role} keeps={phone.keeps_list}>"

    def region(self, phone: PhoneState, name: str, **extra: Any) -> str:
        self.calls["region"] += 1
        self.states.append(phone)
        return f"<region {name}>"


class RecordingScreen:
    """A ScreenView whose renders name what they rendered, and record what they got."""

    def __init__(self, audience: str) -> None:
        self.audience = audience
        self.calls: Counter[str] = Counter()
        self.states: list[LiveState] = []
        #: Every render in order: its name and the state it got.
        self.log: list[tuple[str, LiveState]] = []
        self.added: list[list[int]] = []

    def full(self, state: LiveState) -> str:
        self.calls["full"] += 1
        self.states.append(state)
        self.log.append(("full", state))
        title = state.item.title if state.item is not None else "-"
        return f"<{self.audience} full item={title!r} n={len(state.responses)}>"

    def results(self, state: LiveState, added: Sequence[ResponseRecord]) -> str:
        self.calls["results"] += 1
        self.states.append(state)
        self.log.append(("results", state))
        self.added.append([r.id for r in added])
        return f"<{self.audience} results n={len(state.responses)}>"

    def counts(self, state: LiveState, changed: Collection[int]) -> str:
        self.calls["counts"] += 1
        self.states.append(state)
        self.log.append(("counts", state))
        return f"<{self.audience} counts joined={len(state.participants)}>"


class Sink:
    """A socket that takes every message at once; ``arrived`` is set on each message."""

    def __init__(self) -> None:
        self.got: list[str] = []
        self.closed: int | None = None
        self.arrived = asyncio.Event()

    def send_now(self, text: str) -> bool:
        self.got.append(text)
        self.arrived.set()
        return True

    async def send(self, text: str) -> bool:
        return self.send_now(text)

    async def close(self, code: int) -> None:
        self.closed = code

    async def next(self) -> str:
        """The next message (waits on an event; the timeout only guards a hang)."""
        count = len(self.got)
        while len(self.got) <= count:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), 5)
        return self.got[-1]


@dataclass
class World:
    """A live core on a temporary SQLite file, and what the tests build through it."""

    store: Store
    hub: Hub
    live: Live
    phones_view: RecordingPhones
    presenter: RecordingScreen
    control: RecordingScreen
    stack: AsyncExitStack
    owner_id: int = 0
    _counter: int = 0
    sinks: dict[int, Sink] = field(default_factory=dict)
    kinds: KindRegistry = KINDS

    async def session(self, agenda: str, *, blocklist: Sequence[str] = ()) -> Session:
        """A started session with this agenda, in a programme of its own."""
        self._counter += 1
        programme = await self.store.programmes.create(
            self.owner_id, f"Programme {self._counter}", "Client", blocklist
        )
        session = await self.store.programmes.create_session(programme.id, "Day", None, "Here")
        await self.store.agenda.replace(session.id, agenda_toml.load(agenda, self.kinds))
        await self.live.facilitator.start(session.id)
        started = await self.store.live.session(session.id)
        assert started is not None and started.join_code
        return started

    async def join(self, session: Session, name: str = "", picked: str = "") -> PhoneId:
        participant = await self.live.phone.join(session, name, picked)
        return PhoneId(participant.id, session.id)

    async def connect(
        self,
        session: Session,
        phone: PhoneId | None = None,
        *,
        audience: str = PHONES,
        language: str = "en",
    ) -> tuple[Sink, Subscriber]:
        """A started subscriber of the hub (a phone's socket when ``phone`` is given)."""
        sink = Sink()
        group = None
        if phone is not None:
            room = self.live.core.rooms.cached(session.id)
            found = room.group_of(phone.participant_id) if room is not None else None
            group = found.id if found is not None else None
        sub = await self.stack.enter_async_context(
            self.hub.subscribe(
                session.id,
                audience,
                language,
                sink,
                key=phone.participant_id if phone is not None else None,
                group=group,
            )
        )
        sub.start()
        return sink, sub

    async def current_item(self, session_id: int) -> int:
        found = await self.store.live.session(session_id)
        assert found is not None and found.current_item_id is not None
        return found.current_item_id

    async def items(self, session_id: int) -> list[int]:
        return [i.id for i in await self.store.agenda.items(session_id)]

    async def rows(self, item_id: int) -> list[ResponseRecord]:
        """The item's responses as stored."""
        return await self.store.responses.for_item(item_id)


@asynccontextmanager
async def world(
    tmp_path: Path, *, min_interval: float = 0.0, kinds: KindRegistry = KINDS
) -> AsyncIterator[World]:
    store = Store(tmp_path / "samling.db")
    await store.open()
    hub = Hub(min_interval=min_interval)
    phones = RecordingPhones()
    presenter, control = RecordingScreen(PRESENTER), RecordingScreen(FACILITATORS)
    live = Live(store, hub, kinds, phones, {PRESENTER: presenter, FACILITATORS: control})
    owner = await store.accounts.create("kari", "Kari", "not-a-hash", "en")
    async with AsyncExitStack() as stack:
        here = World(store, hub, live, phones, presenter, control, stack, owner.id, kinds=kinds)
        try:
            yield here
        finally:
            await stack.aclose()
            await live.shutdown()
            jobs = list(hub._tasks.values())
            await hub.close()
            await asyncio.gather(*jobs, return_exceptions=True)
            await store.close()
