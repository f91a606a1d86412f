"""The rooms cache: one read for concurrent askers, changes made during a read replayed on
the fresh room, an older read never replacing a newer one, and dropping forgets. The reads
are the real ``load_room`` on a real store, counted and held back on events we control."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.unit.live_support import OPEN_TEXT, World, world
from workshop.kinds import KindRegistry
from workshop.live import cache
from workshop.live.loading import load_room
from workshop.live.room import Room
from workshop.models import Participant
from workshop.store import Store


class Reads:
    """``load_room`` counted; while ``hold`` is set, the n-th read (from 0) waits after it
    read until ``gate(n)`` is set, and ``read(n)`` tells that it has read."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget the reads so far (the session's start made one)."""
        self.count = 0
        self.hold = False
        self._gates: dict[int, asyncio.Event] = {}
        self._read: dict[int, asyncio.Event] = {}

    def gate(self, n: int) -> asyncio.Event:
        return self._gates.setdefault(n, asyncio.Event())

    def read(self, n: int) -> asyncio.Event:
        return self._read.setdefault(n, asyncio.Event())

    async def __call__(self, store: Store, kinds: KindRegistry, session_id: int) -> Room | None:
        n, held = self.count, self.hold
        self.count += 1
        found = await load_room(store, kinds, session_id)
        self.read(n).set()
        if held:
            await self.gate(n).wait()
        return found


@pytest.fixture
async def w(tmp_path: Path) -> AsyncIterator[World]:
    async with world(tmp_path) as here:
        yield here


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    counted = Reads()
    monkeypatch.setattr(cache, "load_room", counted)
    return counted


async def test_concurrent_askers_share_one_read(w: World, reads: Reads) -> None:
    session = await w.session(OPEN_TEXT)
    reads.reset()
    rooms = cache.Rooms(w.store, w.live.core.kinds)
    found = await asyncio.gather(*(rooms.get(session.id) for _ in range(20)))
    assert reads.count == 1
    assert all(r is found[0] for r in found) and found[0] is not None
    assert found[0].session.id == session.id
    assert await rooms.get(session.id) is found[0] and reads.count == 1


async def test_a_change_applied_during_a_read_is_replayed_on_the_fresh_room(
    w: World, reads: Reads
) -> None:
    session = await w.session(OPEN_TEXT)
    reads.reset()
    rooms = cache.Rooms(w.store, w.live.core.kinds)
    reads.hold = True
    reading = asyncio.ensure_future(rooms.get(session.id))
    await reads.read(0).wait()  # the read is over: it cannot have seen what follows
    newcomer = Participant(999, session.id, "Late", None)
    assert rooms.apply(session.id, lambda r: r.put_participant(newcomer)) is None
    reads.gate(0).set()
    fresh = await reading
    assert fresh is not None and fresh.participants[999] == newcomer
    assert rooms.cached(session.id) is fresh


async def test_a_change_during_a_reload_reaches_the_old_room_and_the_fresh_one(
    w: World, reads: Reads
) -> None:
    session = await w.session(OPEN_TEXT)
    reads.reset()
    rooms = cache.Rooms(w.store, w.live.core.kinds)
    older = await rooms.get(session.id)
    assert older is not None
    reads.hold = True
    reloading = asyncio.ensure_future(rooms.reload(session.id))
    await reads.read(1).wait()
    newcomer = Participant(999, session.id, "Late", None)
    assert rooms.apply(session.id, lambda r: r.put_participant(newcomer)) is older
    assert 999 in older.participants  # served at once, before the read ends
    reads.gate(1).set()
    fresh = await reloading
    assert fresh is not None and fresh is not older and 999 in fresh.participants
    assert fresh.stage > older.stage


async def test_an_older_read_finishing_after_a_newer_one_never_replaces_it(
    w: World, reads: Reads
) -> None:
    session = await w.session(OPEN_TEXT)
    reads.reset()
    rooms = cache.Rooms(w.store, w.live.core.kinds)
    reads.hold = True
    first = asyncio.ensure_future(rooms.reload(session.id))
    await reads.read(0).wait()
    await w.store.programmes.update_session(session.id, "Renamed", None, "Here")
    second = asyncio.ensure_future(rooms.reload(session.id))
    await reads.read(1).wait()
    reads.gate(1).set()
    newer = await second
    assert newer is not None and newer.session.title == "Renamed"
    reads.gate(0).set()
    assert await first is newer  # its caller gets the newest room too
    cached = rooms.cached(session.id)
    assert cached is newer and cached.session.title == "Renamed"


async def test_drop_forgets_the_room_and_the_next_ask_reads_again(w: World, reads: Reads) -> None:
    session = await w.session(OPEN_TEXT)
    reads.reset()
    rooms = cache.Rooms(w.store, w.live.core.kinds)
    kept = await rooms.get(session.id)
    assert rooms.sessions() == [session.id]
    rooms.drop(session.id)
    assert rooms.cached(session.id) is None and rooms.sessions() == []
    again = await rooms.get(session.id)
    assert reads.count == 2 and again is not None and again is not kept


async def test_a_room_dropped_while_it_is_read_is_not_installed(w: World, reads: Reads) -> None:
    session = await w.session(OPEN_TEXT)
    reads.reset()
    rooms = cache.Rooms(w.store, w.live.core.kinds)
    reads.hold = True
    reading = asyncio.ensure_future(rooms.get(session.id))
    await reads.read(0).wait()
    rooms.drop(session.id)
    assert await reading is None
    assert rooms.cached(session.id) is None
    reads.hold = False
    assert await rooms.get(session.id) is not None and reads.count == 2


async def test_a_session_that_is_not_there_has_no_room(w: World, reads: Reads) -> None:
    rooms = cache.Rooms(w.store, w.live.core.kinds)
    assert await rooms.get(12345) is None
    assert rooms.cached(12345) is None
