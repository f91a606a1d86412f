"""Shared fixtures: an app on a temporary SQLite file, clients, and facilitators.

Browser fixtures (a real server process and Chromium) live in
``tests/browser/conftest.py``.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from starlette.testclient import TestClient

from workshop import agenda_toml, auth
from workshop.app import create_app, kind_registry
from workshop.settings import Settings
from workshop.store import Store

PASSWORD = "correct horse battery"


T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion outside the app (its own store connection), in a
    thread of its own: it works beside an event loop that is running (Playwright's)."""
    found: list[T] = []
    failed: list[BaseException] = []

    def go() -> None:
        try:
            found.append(asyncio.run(coro))
        except BaseException as exc:  # noqa: BLE001  # raised again in the caller
            failed.append(exc)

    thread = threading.Thread(target=go)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return found[0]


async def _with_store(db_path: Path, work: Callable[[Store], Awaitable[T]]) -> T:
    store = Store(db_path)
    await store.open()
    try:
        return await work(store)
    finally:
        await store.close()


def make_facilitator(
    db_path: Path, username: str, password: str = PASSWORD, language: str = "en"
) -> int:
    """Create a facilitator straight in the store (beside a running server too); its id."""

    async def create(store: Store) -> int:
        hashed = await auth.hash_password(password)
        return (await store.accounts.create(username, username.title(), hashed, language)).id

    return run(_with_store(db_path, create))


def replace_agenda(
    db_path: Path, session_id: int, agenda: str, plugins: tuple[str, ...] = ("exercises",)
) -> None:
    """A session's agenda from a TOML text, straight in the store (before it is started:
    a live session's room would not know of it)."""
    items = agenda_toml.load(agenda, kind_registry(plugins))

    async def replace(store: Store) -> None:
        await store.agenda.replace(session_id, items)

    run(_with_store(db_path, replace))


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def browser_of(app_client: TestClient, /, **kwargs: Any) -> TestClient:
    """Another browser on the app ``app_client`` serves: cookies of its own, and the
    app's event loop (the store's and the hub's queues belong to the loop of its lifespan;
    a TestClient of its own would run each request in a loop of its own)."""
    kwargs.setdefault("base_url", str(app_client.base_url))
    other = TestClient(app_client.app, **kwargs)
    other.portal = app_client.portal
    return other


def next_message(socket: Any, timeout: float = 10.0) -> dict[str, Any] | None:
    """A TestClient socket's next message (a push, or its close), or None when none
    came in ``timeout`` seconds (the reader gives up instead of hanging the test)."""
    found: list[dict[str, Any]] = []

    def read() -> None:
        try:
            found.append(socket.receive())
        except Exception:  # noqa: BLE001  # closed under the reader when the test ends
            pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return found[0] if found else None


@dataclass
class Facilitator:
    """A test client logged in (or about to be) as one facilitator."""

    client: TestClient
    username: str
    password: str = PASSWORD
    csrf: str = ""

    def login(self) -> Facilitator:
        page = self.client.get("/login")
        token = CSRF_INPUT.search(page.text)
        assert token, "the login page has no CSRF field"
        response = self.client.post(
            "/login",
            data={
                "username": self.username,
                "password": self.password,
                "csrf_token": token[1],
                "next": "/programmes",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        self.refresh_csrf()
        return self

    def refresh_csrf(self) -> str:
        page = self.client.get("/programmes")
        found = CSRF_INPUT.search(page.text)
        assert found
        self.csrf = found[1]
        return self.csrf

    def post(self, url: str, data: dict[str, object] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        body = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(url, data=body, follow_redirects=False, **kwargs)  # type: ignore[arg-type]

    def create_programme(self, title: str = "Leadership programme 2027") -> int:
        response = self.post("/programmes", {"title": title, "client": "Example municipality"})
        assert response.status_code == 303, response.text
        return int(response.headers["location"].rsplit("/", 1)[1])

    def create_session(self, programme_id: int, title: str = "Session 1") -> int:
        response = self.post(
            f"/programmes/{programme_id}/sessions",
            {"title": title, "date": "2027-03-14", "place": "Town hall"},
        )
        assert response.status_code == 303, response.text
        return int(response.headers["location"].rsplit("/", 1)[1])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "samling.db"


@pytest.fixture
def settings(db_path: Path) -> Settings:
    # The test client's pages are at http://testserver: the app is told so, as a real
    # server is by --public-url, and accepts websockets from those pages alone.
    return Settings(db_path=db_path, public_url="http://testserver")


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    """The real app on a temporary SQLite file, lifespan included."""
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def facilitator(app_client: TestClient, db_path: Path) -> Facilitator:
    """A logged-in facilitator "anna"."""
    make_facilitator(db_path, "anna")
    return Facilitator(app_client, "anna").login()


@pytest.fixture
def other_client(settings: Settings, db_path: Path) -> Iterator[Facilitator]:
    """A second facilitator "bjorn" on the same database, with a client of their own."""
    make_facilitator(db_path, "bjorn")
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield Facilitator(client, "bjorn").login()
