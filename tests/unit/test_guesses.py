"""Wrong join codes: counted per address, answered late past the budget, forgotten in time."""

from __future__ import annotations

import pytest

from workshop.guesses import WrongCodes, address_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.held: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.held.append(seconds)
        self.now += seconds


def _codes(clock: Clock) -> WrongCodes:
    return WrongCodes(clock=clock, sleep=clock.sleep)


async def test_the_free_codes_are_answered_at_once_then_late() -> None:
    clock = Clock()
    codes = _codes(clock)
    for _ in range(WrongCodes.FREE):
        assert await codes.wrong("10.0.0.1") is None
        clock.now += 0.5
    assert clock.held == []
    retry = await codes.wrong("10.0.0.1")
    assert clock.held == [WrongCodes.HOLD]
    # The first wrong code leaves the window a minute after it came: then one is free.
    assert retry == pytest.approx(WrongCodes.WINDOW - 0.5 * WrongCodes.FREE, abs=1)


async def test_an_address_that_keeps_guessing_stays_slowed() -> None:
    clock = Clock()
    codes = _codes(clock)
    for _ in range(WrongCodes.FREE):
        await codes.wrong("10.0.0.1")
    for _ in range(100):
        clock.now += 0.5
        assert await codes.wrong("10.0.0.1") is not None


async def test_after_a_quiet_minute_wrong_codes_are_free_again() -> None:
    clock = Clock()
    codes = _codes(clock)
    for _ in range(WrongCodes.FREE + 3):
        await codes.wrong("10.0.0.1")
    clock.now += WrongCodes.WINDOW + 0.1
    assert await codes.wrong("10.0.0.1") is None


async def test_other_addresses_are_not_slowed() -> None:
    clock = Clock()
    codes = _codes(clock)
    for _ in range(WrongCodes.FREE + 1):
        await codes.wrong("10.0.0.1")
    assert await codes.wrong("10.0.0.2") is None


async def test_an_ipv6_network_is_one_address() -> None:
    clock = Clock()
    codes = _codes(clock)
    for n in range(WrongCodes.FREE):
        assert await codes.wrong(f"2001:db8:1:2::{n + 1:x}") is None
    assert await codes.wrong("2001:db8:1:2:ffff::1") is not None
    assert await codes.wrong("2001:db8:1:3::1") is None


def test_address_keys() -> None:
    assert address_key("10.0.0.1") == "10.0.0.1"
    assert address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert address_key("::ffff:10.0.0.1") == "10.0.0.1"
    assert address_key("testclient") == "testclient"


async def test_a_flood_holds_no_more_than_its_share() -> None:
    """Past HELD_MAX held at once, a wrong code is answered at once (still slowed)."""
    clock = Clock()
    codes = _codes(clock)
    codes.HELD_MAX = 0
    for _ in range(WrongCodes.FREE):
        await codes.wrong("10.0.0.1")
    assert await codes.wrong("10.0.0.1") is not None
    assert clock.held == []


async def test_memory_is_bounded_by_forgetting_the_least_recent_address() -> None:
    clock = Clock()
    codes = _codes(clock)
    codes.ADDRESSES_MAX = 3
    for _ in range(WrongCodes.FREE):
        await codes.wrong("10.0.0.1")
    for n in range(2, 5):
        await codes.wrong(f"10.0.0.{n}")
    assert await codes.wrong("10.0.0.1") is None  # forgotten: free again
    for _ in range(WrongCodes.FREE):
        await codes.wrong("10.0.0.9")
    await codes.wrong("10.0.0.2")  # the least recent now is .4, not .9
    assert await codes.wrong("10.0.0.9") is not None
