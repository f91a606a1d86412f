"""Handing memory back after a wave of closed sockets: one trim, once they have settled."""

from __future__ import annotations

import asyncio

from workshop.memory import Trimmer


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


class Trim:
    def __init__(self) -> None:
        self.calls: list[int] = []
        self.done = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    def __call__(self, pad: int) -> int:
        # Runs in the executor's thread, as malloc_trim does.
        self.calls.append(pad)
        self._loop.call_soon_threadsafe(self.done.set)
        return 1


async def test_a_wave_of_closes_trims_once_when_quiet() -> None:
    trim = Trim()
    trimmer = Trimmer(after=3, quiet=0.0, trim=trim)
    for _ in range(5):
        trimmer.closed()
    await asyncio.wait_for(trim.done.wait(), 10)
    assert trim.calls == [0]
    assert trimmer.trims == 1


async def test_a_few_closes_never_trim() -> None:
    trim = Trim()
    trimmer = Trimmer(after=3, quiet=0.0, trim=trim, clock=Clock())
    trimmer.closed()
    trimmer.closed()
    assert trimmer._handle is None
    trimmer.cancel()
    assert trim.calls == []


async def test_sockets_still_coming_back_put_the_trim_off_until_they_settle() -> None:
    trim = Trim()
    clock = Clock()
    trimmer = Trimmer(after=2, quiet=1.0, longest=10.0, trim=trim, clock=clock)
    trimmer.closed()
    trimmer.closed()
    assert trimmer._handle is not None
    clock.now += 0.9
    trimmer.opened()
    clock.now += 0.2
    trimmer._due()
    assert trimmer.trims == 0, "a phone reconnected 0.2 s ago"
    clock.now += 1.0
    trimmer._due()
    assert trimmer.trims == 1
    await asyncio.wait_for(trim.done.wait(), 10)
    trimmer.cancel()


async def test_a_wave_that_never_settles_is_trimmed_after_the_longest_wait() -> None:
    trim = Trim()
    clock = Clock()
    trimmer = Trimmer(after=1, quiet=1.0, longest=5.0, trim=trim, clock=clock)
    trimmer.closed()
    for _ in range(6):
        clock.now += 0.9
        trimmer.opened()
        trimmer._due()
    assert trimmer.trims == 1
    await asyncio.wait_for(trim.done.wait(), 10)
    trimmer.cancel()


async def test_without_malloc_trim_nothing_is_scheduled() -> None:
    trimmer = Trimmer(after=1, trim=None)
    trimmer.closed()
    trimmer.closed()
    assert trimmer._handle is None
    assert trimmer.trims == 0


def test_this_system_has_a_trimmer() -> None:
    # glibc has malloc_trim; any other C library gets a trimmer that never trims.
    assert isinstance(Trimmer.of_this_system(), Trimmer)
