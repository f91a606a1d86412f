"""Fixtures the integration tests share: a real server per module, clients closed after
each test, and cheap password hashes for the tests about who may do what."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from tests.browser.conftest import LiveServer
from tests.live_helpers import close_clients
from workshop import auth


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A `run.py serve` process on a fresh database, shared by the tests of one module."""
    live = LiveServer(tmp_path_factory.mktemp("server") / "samling.db").start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """The HTTP clients ``tests.live_helpers`` made for a test are closed after it."""
    yield
    close_clients()


@pytest.fixture
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Cheap argon2 parameters, for tests about who may do what rather than hash cost."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
    auth._dummy_hash.cache_clear()
    yield
    auth._dummy_hash.cache_clear()  # later tests get one of the real cost again
