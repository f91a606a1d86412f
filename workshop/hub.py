"""The hub: who is listening to a session, and getting messages to them.

Every socket of a session is a :class:`Subscriber` of one audience (phones,
the presenter, the facilitators), in one language; a phone's subscriber also
knows its phone (``key``) and its group. The live core renders a message once
per audience (and language, and group) and offers it to each subscriber: a
socket that can take it now gets it at once, with no task woken for it; a
socket that cannot (its connection is backed up) keeps it in a small queue of
its own, drained by a writer started just for that. A message may name a
*slot*: a newer message for the same slot replaces a queued one, and a full
state (slot ``FULL``) replaces everything queued. A subscriber whose queue
is full anyway has fallen behind and is closed; it reconnects and gets the
full state, so one slow phone never delays the others.

Subscribe with ``async with hub.subscribe(...) as sub``; cleanup is in
``finally``. The hub never calls back into the live core.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Protocol

PHONES = "phones"
PRESENTER = "presenter"
FACILITATORS = "facilitators"
#: The slot of a full state: it replaces everything queued before it.
FULL = "full"
#: Closing codes: fallen behind, try again (the page reconnects at once).
TRY_AGAIN_LATER = 1013
#: A fan-out writes its sockets for this long at a time, then gives the event loop a
#: turn: thousands of sockets never hold the loop up for long (other phones' answers).
SLICE = 0.010


class Sink(Protocol):
    """One socket, as the hub writes to it (see ``workshop.sockets``)."""

    def send_now(self, text: str) -> bool:
        """Send without waiting if the socket takes it now; False when it would wait."""
        ...

    async def send(self, text: str) -> bool:
        """Send, waiting as long as it takes; False when the socket may not get it."""
        ...

    async def close(self, code: int) -> None: ...


class Subscriber:
    """One socket of a session: its audience, language, phone and group, and its queue."""

    def __init__(
        self,
        sink: Sink,
        limit: int,
        *,
        audience: str,
        language: str,
        key: int | None = None,
        group: int | None = None,
        eager: bool = True,
        follows: bool = False,
    ) -> None:
        self.sink = sink
        self.limit = limit
        self.audience = audience
        self.language = language
        self.key = key
        self.group = group
        #: May be written at once from a publish (a screen checks its login first: no).
        self.eager = eager
        #: Speaks the session's participants' language, and a change of it (the presenter,
        #: a phone that has not chosen its own).
        self.follows = follows
        self.dropped = False
        self._ready = False
        self._queue: deque[tuple[str, str | None]] = deque()
        self._writer: asyncio.Task[None] | None = None

    def offer(self, text: str, slot: str | None = None, *, later: bool = False) -> None:
        """Send a message now if the socket can take it, else queue it (newest per slot);
        ``later``: queue it in any case, for the hub to send (``Hub.fan_out``)."""
        if self.dropped:
            return
        if not later and self._ready and self.eager and self._writer is None and not self._queue:
            if self.sink.send_now(text):
                return
        if slot == FULL:
            self._queue.clear()
        elif slot is not None:
            for queued in self._queue:
                if queued[1] == slot:
                    self._queue.remove(queued)
                    break
        if len(self._queue) >= self.limit:
            self._drop()
            return
        self._queue.append((text, slot))
        if self._ready and not (later and self.eager):
            self._start_writer()

    @property
    def waiting(self) -> bool:
        """It has messages queued for the hub to send (it takes them without a writer)."""
        return bool(self._queue) and self._ready and self.eager and self._writer is None

    def flush(self) -> None:
        """Send what is queued while the socket takes it at once; a writer for the rest."""
        while self._queue and self._writer is None and not self.dropped:
            if not self.sink.send_now(self._queue[0][0]):
                self._start_writer()
                return
            self._queue.popleft()

    def start(self) -> None:
        """The socket has its first message: what was offered meanwhile follows it."""
        self._ready = True
        if self._queue:
            self._start_writer()

    def _start_writer(self) -> None:
        if self._writer is None and not self.dropped:
            self._writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        try:
            while self._queue and not self.dropped:
                text, _slot = self._queue.popleft()
                if not await self.sink.send(text):
                    self.dropped = True
        finally:
            self._writer = None

    def _drop(self) -> None:
        self.dropped = True
        self._queue.clear()
        task = asyncio.get_running_loop().create_task(self.sink.close(TRY_AGAIN_LATER))
        _background.add(task)
        task.add_done_callback(_background.discard)

    async def stop(self) -> None:
        self.dropped = True
        self._queue.clear()
        if self._writer is not None:
            self._writer.cancel()


_background: set[asyncio.Task[None]] = set()


class _Session:
    """The subscribers of one session, indexed the ways the fan-out needs them."""

    def __init__(self) -> None:
        self.screens: dict[str, set[Subscriber]] = {}
        self.phones: set[Subscriber] = set()
        self.by_group: dict[int | None, set[Subscriber]] = {}
        self.by_key: dict[int, set[Subscriber]] = {}
        self.online_version = 0


class Hub:
    """The sessions' subscribers, and coalesced jobs."""

    def __init__(self, queue_limit: int = 32, min_interval: float = 0.25) -> None:
        self.queue_limit = queue_limit
        self.min_interval = min_interval  # at most 4 coalesced pushes a second
        self._sessions: dict[int, _Session] = {}
        self._pending: dict[tuple[int, str], bool] = {}
        self._last: dict[tuple[int, str], float] = {}
        self._tasks: dict[tuple[int, str], asyncio.Task[None]] = {}
        self._unsent: deque[Subscriber] = deque()
        self._sender: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def subscribe(
        self,
        session_id: int,
        audience: str,
        language: str,
        sink: Sink,
        *,
        key: int | None = None,
        group: int | None = None,
        eager: bool = True,
        follows: bool = False,
    ) -> AsyncIterator[Subscriber]:
        sub = Subscriber(
            sink,
            self.queue_limit,
            audience=audience,
            language=language,
            key=key,
            group=group,
            eager=eager,
            follows=follows,
        )
        here = self._sessions.setdefault(session_id, _Session())
        if audience == PHONES:
            here.phones.add(sub)
            here.by_group.setdefault(group, set()).add(sub)
            if key is not None:
                here.by_key.setdefault(key, set()).add(sub)
                here.online_version += 1
        else:
            here.screens.setdefault(audience, set()).add(sub)
        try:
            yield sub
        finally:
            await sub.stop()
            self._remove(session_id, sub)

    def _remove(self, session_id: int, sub: Subscriber) -> None:
        here = self._sessions.get(session_id)
        if here is None:
            return
        if sub.audience == PHONES:
            here.phones.discard(sub)
            here.by_group.get(sub.group, set()).discard(sub)
            if sub.key is not None:
                mine = here.by_key.get(sub.key, set())
                mine.discard(sub)
                if not mine:
                    here.by_key.pop(sub.key, None)
                here.online_version += 1
        else:
            here.screens.get(sub.audience, set()).discard(sub)
        if not here.phones and not any(here.screens.values()):
            del self._sessions[session_id]

    # -- who is listening ----------------------------------------------------------------

    def phones(self, session_id: int, group: int | None | str = "all") -> Iterable[Subscriber]:
        """The phones' subscribers of a session (of one group, when given)."""
        here = self._sessions.get(session_id)
        if here is None:
            return ()
        if group == "all":
            return list(here.phones)
        return list(here.by_group.get(group if not isinstance(group, str) else None, ()))

    def sockets_of(self, session_id: int, key: int) -> Iterable[Subscriber]:
        """One phone's subscribers (it may have the page open twice)."""
        here = self._sessions.get(session_id)
        return list(here.by_key.get(key, ())) if here else ()

    def screens(self, session_id: int, audience: str) -> Iterable[Subscriber]:
        here = self._sessions.get(session_id)
        return list(here.screens.get(audience, ())) if here else ()

    def online(self, session_id: int) -> frozenset[int]:
        """The phones (participant ids) with a socket open now."""
        here = self._sessions.get(session_id)
        return frozenset(here.by_key) if here else frozenset()

    def online_version(self, session_id: int) -> int:
        """Changes whenever a phone connects or disconnects."""
        here = self._sessions.get(session_id)
        return here.online_version if here else 0

    def count(self, session_id: int, audience: str) -> int:
        here = self._sessions.get(session_id)
        if here is None:
            return 0
        return len(here.phones) if audience == PHONES else len(here.screens.get(audience, ()))

    def languages(self, session_id: int, audience: str) -> set[str]:
        subs = self.phones(session_id) if audience == PHONES else self.screens(session_id, audience)
        return {s.language for s in subs}

    def speak(self, session_id: int, language: str) -> list[Subscriber]:
        """The sockets that follow the participants' language speak this one from now on;
        those that changed."""
        here = self._sessions.get(session_id)
        if here is None:
            return []
        changed = []
        for sub in [*here.phones, *(s for subs in here.screens.values() for s in subs)]:
            if sub.follows and sub.language != language:
                sub.language = language
                changed.append(sub)
        return changed

    def move(self, session_id: int, key: int, group: int | None) -> None:
        """A phone is in another group now: its sockets get that group's messages."""
        here = self._sessions.get(session_id)
        if here is None:
            return
        for sub in here.by_key.get(key, ()):
            here.by_group.get(sub.group, set()).discard(sub)
            sub.group = group
            here.by_group.setdefault(group, set()).add(sub)

    # -- sending to many -----------------------------------------------------------------

    def fan_out(self, messages: Iterable[tuple[Subscriber, str]], slot: str | None) -> None:
        """Offer each subscriber its message; the sockets are written a slice at a time
        (the first slice at once), in the order offered, each socket's messages in order."""
        for sub, text in messages:
            sub.offer(text, slot, later=True)
            if sub.waiting:
                self._unsent.append(sub)
        self._send_slice()
        if self._unsent and self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._send_rest())

    def _send_slice(self) -> None:
        ends = time.monotonic() + SLICE
        while self._unsent:
            self._unsent.popleft().flush()
            if time.monotonic() > ends:
                return

    async def _send_rest(self) -> None:
        try:
            while self._unsent:
                await asyncio.sleep(0)  # the loop's turn: answers, other sockets
                self._send_slice()
        finally:
            self._sender = None

    # -- coalesced jobs ------------------------------------------------------------------

    def soon(self, session_id: int, topic: str, job: Callable[[], None]) -> None:
        """Run ``job`` at most once per interval for this topic, however often asked.

        A call while a run is waiting does nothing more: the run does the work
        as things are when it runs.
        """
        key = (session_id, topic)
        if key in self._pending:
            self._pending[key] = True
            return
        self._pending[key] = True
        task = asyncio.get_running_loop().create_task(self._run(key, job))
        self._tasks[key] = task

    async def _run(self, key: tuple[int, str], job: Callable[[], None]) -> None:
        try:
            while self._pending.get(key):
                wait = self._last.get(key, 0.0) + self.min_interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._pending[key] = False
                self._last[key] = time.monotonic()
                job()
        finally:
            self._pending.pop(key, None)
            self._tasks.pop(key, None)

    def forget(self, session_id: int) -> None:
        """Drop a session's waiting jobs and their timing (the session closed)."""
        for key in [k for k in self._tasks if k[0] == session_id]:
            self._tasks.pop(key).cancel()
        for table in (self._pending, self._last):
            for key in [k for k in table if k[0] == session_id]:
                del table[key]

    async def close(self) -> None:
        for task in [*self._tasks.values(), *([self._sender] if self._sender else [])]:
            task.cancel()
        self._unsent.clear()
        for here in self._sessions.values():
            for sub in [*here.phones, *(s for subs in here.screens.values() for s in subs)]:
                await sub.stop()
