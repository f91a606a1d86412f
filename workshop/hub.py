"""The hub: fans server-rendered fragments out to the websockets of a session.

Each audience of a session (all phones, one group, the presenter, the
facilitators) is a channel. A fragment is rendered once per audience and
offered to every subscriber of the channel without waiting: each subscriber
has a small bounded queue of its own, drained by its socket's writer task.
A fragment may name a *slot* ("stage", "timer", ...): a newer fragment for
the same slot replaces the queued one (the newest state wins). A subscriber
whose queue is full anyway has fallen behind and is dropped; it reconnects
and gets the full state, so one slow phone never delays the others.

Subscribe with ``async with hub.subscribe(session_id, audience) as sub`` and
read with ``await sub.next()``; cleanup is in ``finally``. A subscriber can be
attached to more channels (a phone to its group's as well as to all phones'),
and moved from one to another: it gets every channel's fragments in one queue,
in the order they were published.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

PHONES = "phones"
PRESENTER = "presenter"
FACILITATORS = "facilitators"


def group_audience(group_id: int) -> str:
    return f"group:{group_id}"


@dataclass(frozen=True)
class Fragment:
    """HTML for one audience; ``slot`` lets a newer state replace a queued one."""

    html: str
    slot: str | None = None


class Subscriber:
    """One socket's view of a channel: a bounded queue, newest state per slot."""

    def __init__(self, limit: int, key: int | None) -> None:
        self.limit = limit
        self.key = key
        self.dropped = False
        #: Every channel it is attached to (its own first).
        self.channels: list[Channel] = []
        self._items: deque[Fragment] = deque()
        self._ready = asyncio.Event()

    def offer(self, fragment: Fragment) -> bool:
        """Queue a fragment without waiting; False when this subscriber was dropped."""
        if self.dropped:
            return False
        if fragment.slot is not None:
            for queued in self._items:
                if queued.slot == fragment.slot:
                    # Keep order: the newer state goes after what was queued since.
                    self._items.remove(queued)
                    break
        if len(self._items) >= self.limit:
            self.dropped = True
            self._items.clear()
        else:
            self._items.append(fragment)
        self._ready.set()
        return not self.dropped

    async def next(self) -> str | None:
        """The next fragment's HTML, or None once this subscriber was dropped."""
        while not self._items:
            if self.dropped:
                return None
            self._ready.clear()
            await self._ready.wait()
        if self.dropped:
            return None
        return self._items.popleft().html


Channel = tuple[int, str]
Render = Callable[[], Awaitable[list[Fragment]]]


class Hub:
    """Channels of subscribers, and coalesced publishing."""

    def __init__(self, queue_limit: int = 32, min_interval: float = 0.25) -> None:
        self.queue_limit = queue_limit
        self.min_interval = min_interval  # at most 4 coalesced pushes a second
        self._channels: dict[Channel, set[Subscriber]] = {}
        self._pending: dict[tuple[Channel, str], bool] = {}
        self._last: dict[tuple[Channel, str], float] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.on_change: Callable[[int, str], None] | None = None

    @asynccontextmanager
    async def subscribe(
        self, session_id: int, audience: str, key: int | None = None
    ) -> AsyncIterator[Subscriber]:
        subscriber = Subscriber(self.queue_limit, key)
        self.attach(session_id, audience, subscriber)
        try:
            yield subscriber
        finally:
            for channel in list(subscriber.channels):
                self.detach(channel[0], channel[1], subscriber)

    def attach(self, session_id: int, audience: str, subscriber: Subscriber) -> None:
        """Let a subscriber get an audience's fragments as well."""
        channel = (session_id, audience)
        if channel in subscriber.channels:
            return
        subscriber.channels.append(channel)
        self._channels.setdefault(channel, set()).add(subscriber)
        self._changed(session_id, audience)

    def detach(self, session_id: int, audience: str, subscriber: Subscriber) -> None:
        channel = (session_id, audience)
        if channel in subscriber.channels:
            subscriber.channels.remove(channel)
        members = self._channels.get(channel)
        if members is not None and subscriber in members:
            members.discard(subscriber)
            if not members:
                del self._channels[channel]
            self._changed(session_id, audience)

    def keyed(self, session_id: int, audience: str, key: int) -> list[Subscriber]:
        """The subscribers of an audience with one key (one phone's sockets)."""
        return [s for s in self._channels.get((session_id, audience), ()) if s.key == key]

    def keys(self, session_id: int, audience: str) -> set[int]:
        """The keys (phones) with a subscriber in an audience."""
        return {s.key for s in self._channels.get((session_id, audience), ()) if s.key is not None}

    def _changed(self, session_id: int, audience: str) -> None:
        if self.on_change is not None:
            self.on_change(session_id, audience)

    def count(self, session_id: int, audience: str) -> int:
        return len(self._channels.get((session_id, audience), ()))

    def publish(self, session_id: int, audience: str, fragments: list[Fragment]) -> None:
        """Offer fragments to every subscriber of one audience, now."""
        for subscriber in list(self._channels.get((session_id, audience), ())):
            for fragment in fragments:
                if not subscriber.offer(fragment):
                    break

    def send(self, session_id: int, audience: str, key: int, fragments: list[Fragment]) -> None:
        """Offer fragments to the subscribers of an audience with one key (one phone)."""
        for subscriber in list(self._channels.get((session_id, audience), ())):
            if subscriber.key == key:
                for fragment in fragments:
                    subscriber.offer(fragment)

    def publish_soon(self, session_id: int, audience: str, topic: str, render: Render) -> None:
        """Publish ``render()``'s fragments, coalescing bursts to one push per interval.

        A call while a push of the same topic is waiting does nothing more: the
        push renders the state as it is when it runs.
        """
        key = ((session_id, audience), topic)
        if key in self._pending:
            self._pending[key] = True
            return
        self._pending[key] = True
        task = asyncio.get_running_loop().create_task(
            self._flush(key, session_id, audience, render)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(
        self, key: tuple[Channel, str], session_id: int, audience: str, render: Render
    ) -> None:
        try:
            while self._pending.get(key):
                wait = self._last.get(key, 0.0) + self.min_interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._pending[key] = False
                self._last[key] = time.monotonic()
                if self.count(session_id, audience):
                    self.publish(session_id, audience, await render())
        finally:
            self._pending.pop(key, None)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for subscribers in self._channels.values():
            for subscriber in subscribers:
                subscriber.dropped = True
                subscriber._ready.set()
