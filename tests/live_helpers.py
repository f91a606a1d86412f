"""Helpers for tests that drive a real server over HTTP: a facilitator, a live session,
phones and their actions, and sockets that collect what they are pushed."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

import httpx2
from websockets.asyncio.client import ClientConnection, connect

from tests.browser.conftest import LiveServer

#: Clients made here; the tests' fixture closes them (close_clients).
OPEN: list[httpx2.Client] = []
HTMX = {"HX-Request": "true"}


def _client(server: LiveServer, headers: dict[str, str] | None = None) -> httpx2.Client:
    client = httpx2.Client(base_url=server.url, timeout=30, headers=headers)
    OPEN.append(client)
    return client


def close_clients() -> None:
    while OPEN:
        OPEN.pop().close()


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TOKEN = re.compile(r'data-token="([^"]+)"')

AGENDA = """samling_agenda = 1

[[item]]
title = "Question one"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters?"
answers_per_phone = 20
max_length = 200

[[item]]
title = "Question two"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What next?"
answers_per_phone = 1
max_length = 200
"""


def facilitator_client(server: LiveServer, username: str, password: str) -> httpx2.Client:
    """An HTTP client logged in as a (new) facilitator."""
    server.add_facilitator(username, password)
    client = _client(server)
    page = client.get("/login")
    token = CSRF.search(page.text)
    assert token
    done = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": token[1],
            "next": "/programmes",
        },
    )
    assert done.status_code in (200, 303), done.text
    return client


def csrf_of(client: httpx2.Client) -> str:
    found = CSRF.search(client.get("/programmes").text)
    assert found
    return found[1]


def cookie_header(client: httpx2.Client) -> str:
    """The client's cookies as one Cookie header (for a websocket's handshake)."""
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def new_session(client: httpx2.Client) -> tuple[int, str]:
    """A programme and a session in it (not started); the session's id and a CSRF token."""
    csrf = csrf_of(client)
    made = client.post("/programmes", data={"title": "P", "csrf_token": csrf})
    programme = made.headers["location"].rsplit("/", 1)[1]
    made = client.post(f"/programmes/{programme}/sessions", data={"title": "S", "csrf_token": csrf})
    return int(made.headers["location"].rsplit("/", 1)[1]), csrf


@dataclass
class LiveSession:
    id: int
    code: str
    item_ids: list[int]


def live_session(
    server: LiveServer,
    client: httpx2.Client,
    _folder: object = None,
    agenda: str = AGENDA,
) -> LiveSession:
    """A programme, a session with the agenda, started; the current item is the first.

    (``_folder`` is not used: the agenda goes straight into the store. It stays for the
    callers that still pass a folder.)"""
    session, csrf = new_session(client)
    server.import_agenda(session, agenda)
    started = client.post(f"/sessions/{session}/live/start", data={"csrf_token": csrf})
    assert started.status_code in (204, 303)
    control = client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code
    items = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control)]
    return LiveSession(session, code[1] + code[2], items)


@dataclass
class PhoneClient:
    client: httpx2.Client
    token: str
    code: str = ""

    @property
    def cookie(self) -> str:
        return cookie_header(self.client)

    def do(
        self, item_id: int, action: str, data: dict[str, str] | None = None, *, htmx: bool = True
    ) -> httpx2.Response:
        """One of the item's phone actions, posted as the phone's page posts it."""
        return self.client.post(
            f"/s/{self.code}/items/{item_id}/do/{action}",
            data={"csrf_token": self.token, **(data or {})},
            headers=HTMX if htmx else {},
        )


def join(server: LiveServer, code: str, name: str = "") -> PhoneClient:
    """A phone that joined with the code (cookies kept in its client), in English."""
    client = _client(server, {"Accept-Language": "en"})
    page = client.get("/")
    token = CSRF.search(page.text)
    assert token
    joined = client.post("/join", data={"code": code, "name": name, "csrf_token": token[1]})
    assert joined.status_code == 303, joined.text
    live = client.get(f"/s/{code}")
    phone_token = TOKEN.search(live.text)
    assert phone_token, live.text[:500]
    return PhoneClient(client, phone_token[1], code)


def ws_url(server: LiveServer, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


@dataclass
class Listener:
    """A socket, collecting every message it is pushed (read in a task of its own)."""

    socket: ClientConnection
    messages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._arrived = asyncio.Event()
        self.task = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, server: LiveServer, path: str, cookie: str) -> Listener:
        socket = await connect(
            ws_url(server, path),
            additional_headers={"Origin": server.url, "Cookie": cookie},
            open_timeout=10,
        )
        return cls(socket)

    async def _read(self) -> None:
        try:
            async for message in self.socket:
                self.messages.append(str(message))
                self._arrived.set()
        except Exception:  # noqa: BLE001, S110  # the test closes it
            pass

    def seen(self, text: str) -> bool:
        return any(text in m for m in self.messages)

    async def wait_for(self, text: str, *, after: int = 0, seconds: float = 10.0) -> str:
        """The first message holding the text (of those from number ``after`` on, counting
        from 0); fails when none comes."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            self._arrived.clear()
            found = next((m for m in self.messages[after:] if text in m), None)
            if found is not None:
                return found
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0 or self.task.done():
                raise AssertionError(f"no message with {text!r}; got {len(self.messages)}")
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except TimeoutError:
                pass

    async def close(self) -> None:
        await self.socket.close()
        self.task.cancel()


def add_item(client: httpx2.Client, session_id: int, csrf: str, **fields: str) -> httpx2.Response:
    """An exercise added in the agenda editor's form (as htmx posts it)."""
    data = {"csrf_token": csrf, "duration": "10", "kind": "exercise", **fields}
    return client.post(f"/sessions/{session_id}/items", data=data, headers=HTMX)
