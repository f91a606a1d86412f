"""Helpers for tests that drive a real server over HTTP: a facilitator, a live session, phones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx2

from tests.browser.conftest import LiveServer
from tests.browser.rooms import import_agenda

#: Clients made here; the tests' fixture closes them (close_clients).
OPEN: list[httpx2.Client] = []


def _client(server: LiveServer) -> httpx2.Client:
    client = httpx2.Client(base_url=server.url, timeout=30)
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


@dataclass
class LiveSession:
    id: int
    code: str
    item_ids: list[int]


def live_session(
    server: LiveServer, client: httpx2.Client, tmp_path: Path, agenda: str = AGENDA
) -> LiveSession:
    """A programme, a session with the agenda, started; the current item is the first."""
    csrf = csrf_of(client)
    made = client.post("/programmes", data={"title": "P", "csrf_token": csrf})
    programme = int(made.headers["location"].rsplit("/", 1)[1])
    made = client.post(f"/programmes/{programme}/sessions", data={"title": "S", "csrf_token": csrf})
    session = int(made.headers["location"].rsplit("/", 1)[1])
    import_agenda(server, session, agenda, tmp_path)
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

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())


def join(server: LiveServer, code: str, name: str = "") -> PhoneClient:
    """A phone that joined with the code (cookies kept in its client)."""
    client = _client(server)
    page = client.get("/")
    token = CSRF.search(page.text)
    assert token
    joined = client.post("/join", data={"code": code, "name": name, "csrf_token": token[1]})
    assert joined.status_code == 303, joined.text
    live = client.get(f"/s/{code}")
    phone_token = TOKEN.search(live.text)
    assert phone_token, live.text[:500]
    return PhoneClient(client, phone_token[1])
