"""Login throttling: slow for guessers, never a lock-out for the real user."""

from __future__ import annotations

from workshop.auth import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_first_attempts_are_free_then_waits_double() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(Throttle.FREE):
        assert throttle.wait("anna", "1.2.3.4") == 0
        throttle.failed("anna", "1.2.3.4")
    assert throttle.wait("anna", "1.2.3.4") == 1.0
    clock.now += 1.0
    throttle.failed("anna", "1.2.3.4")
    assert throttle.wait("anna", "1.2.3.4") == 2.0
    clock.now += 2.0
    throttle.failed("anna", "1.2.3.4")
    assert throttle.wait("anna", "1.2.3.4") == 4.0


def test_the_wait_is_capped() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(40):
        clock.now += throttle.wait("anna", "a") + 0.01
        throttle.failed("anna", "a")
    assert throttle.wait("anna", "a") <= Throttle.CAP


def test_an_attacker_elsewhere_does_not_lock_the_user_out() -> None:
    throttle = Throttle(Clock())
    for _ in range(20):
        throttle.failed("anna", "6.6.6.6")
    assert throttle.wait("anna", "6.6.6.6") > 0
    assert throttle.wait("anna", "10.0.0.2") == 0


def test_one_address_guessing_many_names_is_slowed() -> None:
    throttle = Throttle(Clock())
    for n in range(Throttle.FREE_PER_ADDRESS):
        throttle.failed(f"user{n}", "6.6.6.6")
    assert throttle.wait("someone-new", "6.6.6.6") > 0


def test_names_are_compared_without_case_and_success_clears() -> None:
    throttle = Throttle(Clock())
    for _ in range(Throttle.FREE):
        throttle.failed("Anna", "a")
    assert throttle.wait("anna", "a") > 0
    throttle.succeeded("ANNA", "a")
    assert throttle.wait("anna", "a") == 0


def test_failures_are_forgotten_after_a_while() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    for _ in range(10):
        throttle.failed("anna", "a")
    clock.now += Throttle.FORGET_AFTER + 1
    assert throttle.wait("anna", "a") == 0
