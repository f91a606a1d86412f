"""The hub: fan-out per session and audience, newest state wins, slow phones dropped,
coalesced pushes. Real asyncio, no sockets: a subscriber is what a socket's writer reads."""

from __future__ import annotations

import asyncio
import time

from workshop.hub import Fragment, Hub, Subscriber


async def drain(sub: Subscriber) -> list[str]:
    """Everything queued for a subscriber right now (without waiting for more)."""
    got: list[str] = []
    while True:
        try:
            html = await asyncio.wait_for(sub.next(), 0.01)
        except TimeoutError:
            return got
        if html is None:
            return got
        got.append(html)


async def test_a_fragment_reaches_every_subscriber_of_its_channel_only() -> None:
    hub = Hub()
    async with (
        hub.subscribe(1, "phones:nb") as phone_a,
        hub.subscribe(1, "phones:nb") as phone_b,
        hub.subscribe(1, "phones:en") as english,
        hub.subscribe(2, "phones:nb") as other_session,
        hub.subscribe(1, "presenter:nb") as presenter,
    ):
        hub.publish(1, "phones:nb", [Fragment("<p id=a>stage</p>", "stage")])
        assert await drain(phone_a) == ["<p id=a>stage</p>"]
        assert await drain(phone_b) == ["<p id=a>stage</p>"]
        for elsewhere in (english, other_session, presenter):
            assert await drain(elsewhere) == []


async def test_send_reaches_only_the_phone_with_that_key() -> None:
    hub = Hub()
    async with (
        hub.subscribe(1, "phones:nb", key=7) as mine,
        hub.subscribe(1, "phones:nb", key=8) as theirs,
    ):
        hub.send(1, "phones:nb", 7, [Fragment("<p id=own>mine</p>", "answers")])
        assert await drain(mine) == ["<p id=own>mine</p>"]
        assert await drain(theirs) == []


async def test_leaving_unsubscribes_and_counts_follow() -> None:
    hub = Hub()
    changes: list[tuple[int, str]] = []
    hub.on_change = lambda session, audience: changes.append((session, audience))
    async with hub.subscribe(1, "phones:nb") as sub:
        assert hub.count(1, "phones:nb") == 1
    assert hub.count(1, "phones:nb") == 0
    assert changes == [(1, "phones:nb"), (1, "phones:nb")]
    hub.publish(1, "phones:nb", [Fragment("late")])
    assert await drain(sub) == []


async def test_a_newer_state_replaces_the_queued_one_of_the_same_slot() -> None:
    hub = Hub()
    async with hub.subscribe(1, "phones:nb") as sub:
        hub.publish(1, "phones:nb", [Fragment("stage 1", "stage"), Fragment("timer 1", "timer")])
        hub.publish(1, "phones:nb", [Fragment("stage 2", "stage")])
        hub.publish(1, "phones:nb", [Fragment("no slot"), Fragment("no slot")])
        # The old stage is gone; the newer one comes after what was queued since.
        assert await drain(sub) == ["timer 1", "stage 2", "no slot", "no slot"]


async def test_a_subscriber_that_falls_behind_is_dropped_without_delaying_others() -> None:
    hub = Hub(queue_limit=3)
    async with hub.subscribe(1, "phones:nb") as slow, hub.subscribe(1, "phones:nb") as quick:
        for i in range(5):
            hub.publish(1, "phones:nb", [Fragment(f"answer {i}")])
            assert await quick.next() == f"answer {i}"  # the quick one reads as it comes
        assert slow.dropped
        assert await slow.next() is None  # its socket closes; the phone reconnects
        assert not quick.dropped
        assert slow.offer(Fragment("more")) is False


async def test_a_waiting_reader_wakes_for_a_new_fragment() -> None:
    hub = Hub()
    async with hub.subscribe(1, "phones:nb") as sub:
        reader = asyncio.create_task(sub.next())
        await asyncio.sleep(0)
        assert not reader.done()
        hub.publish(1, "phones:nb", [Fragment("now")])
        assert await asyncio.wait_for(reader, 1) == "now"


async def test_publish_soon_coalesces_a_burst_into_few_pushes_of_the_latest_state() -> None:
    hub = Hub(min_interval=0.1)
    state = {"answers": 0}
    renders: list[float] = []

    async def render() -> list[Fragment]:
        renders.append(time.monotonic())
        return [Fragment(f"{state['answers']} answers", "results")]

    async with hub.subscribe(1, "presenter:nb") as presenter:
        for _ in range(50):  # fifty answers arrive within a moment
            state["answers"] += 1
            hub.publish_soon(1, "presenter:nb", "results", render)
            await asyncio.sleep(0.002)
        await asyncio.sleep(0.25)
        got = await drain(presenter)
    assert 1 <= len(renders) <= 3, renders
    assert got[-1] == "50 answers"
    gaps = [b - a for a, b in zip(renders, renders[1:], strict=False)]
    assert all(gap >= 0.09 for gap in gaps), gaps


async def test_publish_soon_renders_nothing_for_an_empty_channel() -> None:
    hub = Hub(min_interval=0.01)
    renders = 0

    async def render() -> list[Fragment]:
        nonlocal renders
        renders += 1
        return []

    hub.publish_soon(1, "presenter:nb", "results", render)
    await asyncio.sleep(0.05)
    assert renders == 0


async def test_close_wakes_every_reader_with_the_end() -> None:
    hub = Hub()
    async with hub.subscribe(1, "phones:nb") as sub:
        reader = asyncio.create_task(sub.next())
        await asyncio.sleep(0)
        await hub.close()
        assert await asyncio.wait_for(reader, 1) is None
