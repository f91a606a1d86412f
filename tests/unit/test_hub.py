"""The hub: who listens to a session, messages sent at once or queued (newest per slot),
slow sockets dropped, coalesced jobs. Real asyncio; a sink stands in for a socket."""

from __future__ import annotations

import asyncio
import contextlib
import time

from workshop.hub import FACILITATORS, FULL, PHONES, PRESENTER, Hub, Subscriber


class Sink:
    """A socket: takes messages at once unless it is ``backed_up``; ``send`` waits while it
    is, as a socket whose connection is full would."""

    def __init__(self) -> None:
        self.got: list[str] = []
        self.backed_up = False
        self.closed: int | None = None
        self.drained = asyncio.Event()
        self.drained.set()

    def send_now(self, text: str) -> bool:
        if self.backed_up:
            return False
        self.got.append(text)
        return True

    async def send(self, text: str) -> bool:
        await self.drained.wait()
        self.got.append(text)
        return True

    async def close(self, code: int) -> None:
        self.closed = code

    def back_up(self) -> None:
        self.backed_up = True
        self.drained.clear()

    def drain(self) -> None:
        self.backed_up = False
        self.drained.set()


async def settle() -> None:
    """Let the writers started by the hub run until they wait again."""
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_ready_socket_gets_a_message_at_once_with_no_task_woken() -> None:
    hub = Hub()
    sink = Sink()
    async with hub.subscribe(1, PHONES, "nb", sink, key=7) as sub:
        sub.start()
        sub.offer("<p id=a>stage</p>", FULL)
        # No await: the message is already written.
        assert sink.got == ["<p id=a>stage</p>"]


async def test_messages_offered_before_the_first_follow_it_in_order() -> None:
    hub = Hub()
    sink = Sink()
    async with hub.subscribe(1, PHONES, "nb", sink, key=7) as sub:
        sub.offer("one", None)
        sub.offer("two", None)
        assert sink.got == []
        sink.got.append("the full state")  # what the socket sends first
        sub.start()
        await settle()
        assert sink.got == ["the full state", "one", "two"]


async def test_a_backed_up_socket_queues_and_the_newest_state_per_slot_wins() -> None:
    hub = Hub()
    sink = Sink()
    async with hub.subscribe(1, PHONES, "nb", sink, key=7) as sub:
        sub.start()
        sink.back_up()
        sub.offer("results 1", "results")
        sub.offer("an append", None)
        sub.offer("results 2", "results")
        sink.drain()
        await settle()
        assert sink.got == ["an append", "results 2"]


async def test_a_full_state_replaces_everything_queued_before_it() -> None:
    hub = Hub()
    sink = Sink()
    async with hub.subscribe(1, PHONES, "nb", sink, key=7) as sub:
        sub.start()
        sink.back_up()
        for message in ("results", "append", "counts"):
            sub.offer(message, message)
        sub.offer("everything", FULL)
        sub.offer("after", None)
        sink.drain()
        await settle()
        assert sink.got == ["everything", "after"]


async def test_a_socket_that_falls_behind_is_closed_and_the_others_go_on() -> None:
    hub = Hub(queue_limit=4)
    slow, quick = Sink(), Sink()
    async with (
        hub.subscribe(1, PHONES, "nb", slow, key=1) as slow_sub,
        hub.subscribe(1, PHONES, "nb", quick, key=2) as quick_sub,
    ):
        for sub in (slow_sub, quick_sub):
            sub.start()
        slow.back_up()
        for n in range(10):
            for sub in hub.phones(1):
                sub.offer(f"append {n}", None)
        await settle()
        assert slow_sub.dropped and slow.closed == 1013
        assert quick.got == [f"append {n}" for n in range(10)]


async def test_phones_are_found_by_session_group_and_phone() -> None:
    hub = Hub()
    async with (
        hub.subscribe(1, PHONES, "nb", Sink(), key=1, group=10),
        hub.subscribe(1, PHONES, "en", Sink(), key=2, group=10),
        hub.subscribe(1, PHONES, "nb", Sink(), key=3),
        hub.subscribe(2, PHONES, "nb", Sink(), key=4, group=10),
        hub.subscribe(1, PRESENTER, "nb", Sink()),
    ):
        assert {s.key for s in hub.phones(1)} == {1, 2, 3}
        assert {s.key for s in hub.phones(1, 10)} == {1, 2}
        assert {s.key for s in hub.phones(1, None)} == {3}
        assert hub.online(1) == {1, 2, 3}
        assert hub.languages(1, PHONES) == {"nb", "en"}
        assert hub.count(1, PRESENTER) == 1
        hub.move(1, 1, None)
        assert {s.key for s in hub.phones(1, 10)} == {2}
        assert {s.key for s in hub.phones(1, None)} == {1, 3}


async def test_leaving_unsubscribes_and_the_online_phones_follow() -> None:
    hub = Hub()
    before = hub.online_version(1)
    async with hub.subscribe(1, PHONES, "nb", Sink(), key=5):
        assert hub.online(1) == {5}
        assert hub.online_version(1) != before
        async with hub.subscribe(1, PHONES, "nb", Sink(), key=5):
            assert hub.online(1) == {5}
        assert hub.online(1) == {5}  # its other socket is still open
    assert hub.online(1) == frozenset()
    assert hub.count(1, PHONES) == 0


async def test_soon_coalesces_a_burst_into_few_runs_that_see_the_latest_state() -> None:
    hub = Hub(min_interval=0.05)
    state = {"n": 0}
    seen: list[int] = []
    latest = asyncio.Event()

    def job() -> None:
        seen.append(state["n"])
        if state["n"] == 50:
            latest.set()

    started = time.monotonic()
    for n in range(1, 51):
        state["n"] = n
        hub.soon(1, "results", job)
        await asyncio.sleep(0.001)
    await asyncio.wait_for(latest.wait(), 10)
    # At most one run per interval (and one at the start), whatever the machine's speed.
    assert len(seen) <= 2 + (time.monotonic() - started) / 0.05


async def test_forget_drops_a_sessions_waiting_jobs() -> None:
    hub = Hub(min_interval=10)
    ran: list[str] = []
    hub.soon(1, "results", lambda: ran.append("first"))
    await asyncio.sleep(0)
    hub.soon(1, "results", lambda: ran.append("second"))
    hub.forget(1)
    await asyncio.sleep(0.01)
    assert ran == ["first"]
    assert not hub._pending and not hub._tasks and not hub._last


async def test_a_subscriber_stopped_takes_nothing_more() -> None:
    sink = Sink()
    sub = Subscriber(sink, 4, audience=PHONES, language="nb")
    sub.start()
    await sub.stop()
    sub.offer("late", None)
    assert sink.got == []


async def test_a_fan_out_writes_in_slices_and_keeps_each_sockets_order() -> None:
    hub = Hub()
    sinks = [Sink() for _ in range(3000)]
    async with contextlib.AsyncExitStack() as stack:
        subs = [
            await stack.enter_async_context(hub.subscribe(1, PHONES, "nb", sink, key=n))
            for n, sink in enumerate(sinks)
        ]
        for sub in subs:
            sub.start()
        slow = sinks[10]

        def slow_send(text: str) -> bool:
            time.sleep(0.011)  # longer than a slice: the rest waits for the loop's turn
            slow.got.append(text)
            return True

        slow.send_now = slow_send  # type: ignore[method-assign]
        hub.fan_out(((sub, "move") for sub in subs), FULL)
        assert sinks[0].got == ["move"] and slow.got == ["move"]
        assert sinks[-1].got == []  # not yet: the loop had a turn first
        subs[-1].offer("after", None)  # queued behind its move, not sent before it
        assert sinks[-1].got == []
        assert hub._sender is not None
        await hub._sender  # the rest of the slices
        assert all(s.got[:1] == ["move"] for s in sinks)
        assert sinks[-1].got == ["move", "after"]


async def test_only_the_sockets_that_follow_the_participants_language_speak_a_new_one() -> None:
    hub = Hub()
    async with (
        hub.subscribe(1, PHONES, "nb", Sink(), key=1, follows=True) as following,
        hub.subscribe(1, PHONES, "nn", Sink(), key=2) as chose,
        hub.subscribe(1, PRESENTER, "nb", Sink(), follows=True) as presenter,
        hub.subscribe(1, FACILITATORS, "en", Sink()) as control,
        hub.subscribe(2, PHONES, "nb", Sink(), key=3, follows=True) as elsewhere,
    ):
        changed = hub.speak(1, "da")
        assert set(changed) == {following, presenter}
        assert (following.language, presenter.language) == ("da", "da")
        assert (chose.language, control.language, elsewhere.language) == ("nn", "en", "nb")
        assert hub.languages(1, PHONES) == {"da", "nn"}
        assert hub.speak(1, "da") == []  # already
        assert hub.speak(9, "da") == []  # no such session
