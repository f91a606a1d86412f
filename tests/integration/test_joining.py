"""Joining that one bad actor cannot block or mine: the right code always gets in, wrong
codes are slowed per address on every way in, no page shows pasted member names before
joining, a nested agenda file is refused, and a forged Host does not open a websocket."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.browser.conftest import LiveServer
from tests.conftest import CSRF_INPUT, Facilitator, browser_of
from tests.integration.db import rows, snapshot
from tests.live_helpers import CSRF, cookie_header, facilitator_client, join, live_session
from workshop.guesses import WrongCodes

ROOT = Path(__file__).resolve().parents[2]
EN = {"Accept-Language": "en"}
WRONG = "No session has that code. Check the code on the screen."
SLOWED = "wrong codes are now answered slowly"
TOO_DEEP = "Lists, tables or keys are nested too deeply (at most 20 levels)."
MEMBERS = ("Kari Nordmann", "Ola Hansen", "Åse Ødegård")


@pytest.fixture
def holds(app_client: TestClient) -> Iterator[list[float]]:
    """The app's wrong-code counter, holding slowed answers for no real time: the seconds
    each would have been held, in order."""
    held: list[float] = []

    async def hold(seconds: float) -> None:
        held.append(seconds)

    app_client.app.state.services.wrong_codes = WrongCodes(sleep=hold)  # type: ignore[attr-defined]
    yield held


def _live(facilitator: Facilitator, title: str = "Samling 1") -> tuple[int, int, str]:
    """A started session (its programme, id and code)."""
    programme = facilitator.create_programme()
    session = facilitator.create_session(programme, title)
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    control = facilitator.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code
    return programme, session, code[1] + code[2]


def _wrong(code: str, n: int) -> str:
    """The n-th code that is not ``code``."""
    return f"{(int(code) + 1 + n) % 100_000_000:08d}"


def _phone(app_client: TestClient) -> tuple[TestClient, str]:
    """Another phone behind the same address, with the join form's token."""
    phone = browser_of(app_client, headers=EN)
    token = CSRF_INPUT.search(phone.get("/").text)
    assert token
    return phone, token[1]


def _post(phone: TestClient, token: str, code: str, **extra: str):  # type: ignore[no-untyped-def]
    data = {"code": code, "csrf_token": token, **extra}
    return phone.post("/join", data=data, follow_redirects=False)


def _assert_slowed(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.status_code
    assert 1 <= int(response.headers["retry-after"]) <= WrongCodes.WINDOW
    assert 'id="join-error"' in response.text and SLOWED in response.text
    assert "the right code always gets in" in response.text


# --- the right code always gets in --------------------------------------------------------


def test_wrong_codes_are_slowed_but_the_right_code_still_gets_in(
    facilitator: Facilitator, app_client: TestClient, holds: list[float], db_path: Path
) -> None:
    _programme, _session, code = _live(facilitator)
    guesser, token = _phone(app_client)
    for n in range(WrongCodes.FREE):
        answer = _post(guesser, token, _wrong(code, n))
        assert answer.status_code == 404 and WRONG in answer.text
    assert holds == []  # within the budget: answered at once
    _assert_slowed(_post(guesser, token, _wrong(code, 99)))
    assert holds == [WrongCodes.HOLD]  # past it: answered late
    # The right code from the very same address (the guesser's own browser, too) gets in
    # at once, and so does every other phone behind it, while the guessing goes on.
    for _ in range(5):
        phone, phone_token = _phone(app_client)
        joined = _post(phone, phone_token, f"{code[:4]} {code[4:]}")
        assert joined.status_code == 303 and joined.headers["location"] == f"/s/{code}"
        _assert_slowed(_post(guesser, token, _wrong(code, 100)))
    joined = _post(guesser, token, code)
    assert joined.status_code == 303 and joined.headers["location"] == f"/s/{code}"
    assert len(holds) == 6  # only the wrong codes were held
    assert rows(db_path, "SELECT count(*) FROM participants") == [(6,)]


def test_the_slowed_message_is_translated(
    facilitator: Facilitator, app_client: TestClient, holds: list[float]
) -> None:
    _programme, _session, code = _live(facilitator)
    guesser = browser_of(app_client, headers={"Accept-Language": "nb"})
    token = CSRF_INPUT.search(guesser.get("/").text)
    assert token
    for n in range(WrongCodes.FREE):
        assert _post(guesser, token[1], _wrong(code, n)).status_code == 404
    slowed = _post(guesser, token[1], _wrong(code, 99))
    assert slowed.status_code == 429
    assert "feil koder besvares nå sakte" in slowed.text
    assert "riktig kode slipper alltid inn" in slowed.text


async def test_three_hundred_phones_get_in_while_their_address_sends_wrong_codes(
    server: LiveServer,
) -> None:
    """A room behind one NAT, with someone on it guessing a wrong code every half second
    (past the budget from the start): every phone gets in, within a minute."""
    fac = facilitator_client(server, "room", "room password 1")
    live = live_session(server, fac)
    async with httpx2.AsyncClient(base_url=server.url, timeout=30, headers=EN) as guesser:
        token = CSRF.search((await guesser.get("/")).text)
        assert token

        async def guess(n: int) -> httpx2.Response:
            return await guesser.post(
                "/join", data={"code": _wrong(live.code, n), "csrf_token": token[1]}
            )

        for n in range(WrongCodes.FREE):
            assert (await guess(n)).status_code == 404
        _assert_slowed(await guess(WrongCodes.FREE))

        guesses: list[asyncio.Task[httpx2.Response]] = []
        stop = asyncio.Event()

        async def keep_guessing() -> None:
            n = 1000
            while not stop.is_set():
                guesses.append(asyncio.create_task(guess(n)))
                n += 1
                try:
                    await asyncio.wait_for(stop.wait(), 0.5)
                except TimeoutError:
                    pass

        gate = asyncio.Semaphore(25)

        async def one_phone(n: int) -> int:
            async with (
                gate,
                httpx2.AsyncClient(base_url=server.url, timeout=30, headers=EN) as phone,
            ):
                page = await phone.get("/")
                found = CSRF.search(page.text)
                assert found
                joined = await phone.post(
                    "/join",
                    data={"code": live.code, "name": f"Phone {n}", "csrf_token": found[1]},
                )
                assert joined.headers.get("location") == f"/s/{live.code}", joined.status_code
                return joined.status_code

        guessing = asyncio.create_task(keep_guessing())
        started = time.monotonic()
        statuses = await asyncio.gather(*(one_phone(n) for n in range(300)))
        took = time.monotonic() - started
        stop.set()
        await guessing
        answers = await asyncio.gather(*guesses)
    assert statuses == [303] * 300
    assert took < 60, f"300 joins took {took:.1f} s"
    joined = rows(server.db_path, "SELECT count(*) FROM participants WHERE session_id = ?", live.id)
    assert joined == [(300,)]
    # The guessing went on the whole time, and every guess was slowed.
    assert len(answers) >= 2
    for answer in answers:
        _assert_slowed(answer)


# --- /j/<code> and /s/<code> tell no more than the join form -----------------------------


@pytest.mark.parametrize("way", ["form", "link", "live page", "all three"])
def test_every_way_in_shares_the_join_forms_budget(
    facilitator: Facilitator, app_client: TestClient, holds: list[float], way: str
) -> None:
    _programme, _session, code = _live(facilitator, "Strategisamling")
    guesser, token = _phone(app_client)

    def guess(n: int, how: str):  # type: ignore[no-untyped-def]
        wrong = _wrong(code, n)
        if how == "form":
            return _post(guesser, token, wrong)
        if how == "link":
            return guesser.get(f"/j/{wrong}")
        # The live page sends a phone that has not joined to the link, whatever the code.
        sent = guesser.get(f"/s/{wrong}", follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == f"/j/{wrong}"
        return guesser.get(sent.headers["location"])

    ways = ["form", "link", "live page"] if way == "all three" else [way]
    for n in range(WrongCodes.FREE):
        answer = guess(n, ways[n % len(ways)])
        assert answer.status_code == 404 and WRONG in answer.text
    for n, how in enumerate(("form", "link", "live page")):
        _assert_slowed(guess(100 + n, how))
    assert holds == [WrongCodes.HOLD] * 3
    # The right code passes every way in, slowed address or not.
    page = guesser.get(f"/j/{code}")
    assert page.status_code == 200 and "Strategisamling" in page.text
    sent = guesser.get(f"/s/{code}", follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == f"/j/{code}"
    joined = _post(guesser, token, code)
    assert joined.status_code == 303 and joined.headers["location"] == f"/s/{code}"
    assert len(holds) == 3


def test_the_live_page_answers_a_right_and_a_wrong_code_alike(
    facilitator: Facilitator, app_client: TestClient, holds: list[float]
) -> None:
    """Without a phone cookie, /s/<code> checks no code: it cannot be asked which is live."""
    _programme, _session, code = _live(facilitator)
    stranger, _token = _phone(app_client)
    for target in (code, _wrong(code, 1), "x" * 32):
        for path in (f"/s/{target}", f"/s/{target}/items/1/own/1"):
            sent = stranger.get(path, follow_redirects=False)
            assert sent.status_code == 303, path
            assert sent.headers["location"] == f"/j/{target}"
            assert sent.content == b""
    assert holds == []  # and counts nothing: the link it sends to does


def test_no_page_before_joining_shows_the_names_pasted_in_groups(
    facilitator: Facilitator, app_client: TestClient, holds: list[float], db_path: Path
) -> None:
    programme, _session, code = _live(facilitator)
    for name, members in (("Gygrene", MEMBERS[:2]), ("Blåveis", MEMBERS[2:])):
        made = facilitator.post(
            f"/programmes/{programme}/groups", {"name": name, "members": "\n".join(members)}
        )
        assert made.status_code == 303
    phone, token = _phone(app_client)
    typed = _post(phone, token, code, name="Kari Nordmann")
    assert typed.status_code == 303  # on to the group step
    pages = {
        "the QR link": phone.get(f"/j/{code}"),
        "the group step": phone.get(typed.headers["location"]),
        "a typed name's step": phone.get(f"/j/{code}?step=group&name=Ola+Hansen"),
        "the live page": phone.get(f"/s/{code}"),
        "a wrong code": phone.get(f"/j/{_wrong(code, 1)}"),
        "the front page": phone.get("/"),
    }
    for where, page in pages.items():
        assert page.status_code in (200, 404), where
        # What the phone typed itself comes back in its name field; nothing else may.
        text = re.sub(r'id="name" name="name" value="[^"]*"', "", page.text)
        for member in (*MEMBERS, "Kari", "Nordmann", "Ola", "Hansen", "Ødegård"):
            assert member not in text, f"{where} shows {member}"
        assert "<datalist" not in text and " selected>" not in text, where
    step = pages["the group step"].text
    assert "Gygrene" in step and "Blåveis" in step and 'id="names-listed"' in step
    # A name typed as it was pasted still lands in its group when the phone joins.
    joined = _post(phone, token, code, name="kari nordmann", group="", group_step="1")
    assert joined.status_code == 303 and joined.headers["location"] == f"/s/{code}"
    assert rows(
        db_path,
        "SELECT g.name FROM participants p JOIN groups g ON g.id = p.group_id"
        " WHERE p.name = 'kari nordmann'",
    ) == [("Gygrene",)]


# --- nested TOML agendas -------------------------------------------------------------------


NESTED = {
    "a list 5,000 deep": "samling_agenda = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n",
    "inline tables 3,000 deep": "samling_agenda = 1\nx = " + "{a = " * 3000 + "1" + "}" * 3000,
    "a key of 20,000 parts": "samling_agenda = 1\n" + ".".join(["a"] * 20_000) + " = 1\n",
    "deep in an item's settings": (
        'samling_agenda = 1\n\n[[item]]\ntitle = "T"\nduration = 5\nkind = "exercise"\n'
        'exercise = "open_text"\n\n[item.settings]\nquestion = ' + "[" * 900 + "]" * 900 + "\n"
    ),
}
#: The line each file's nesting is on.
NESTED_LINE = {"deep in an item's settings": 10}


@pytest.fixture
def agenda(facilitator: Facilitator) -> int:
    """A session with an agenda of two items, to be left as it is."""
    programme = facilitator.create_programme()
    session = facilitator.create_session(programme)
    for title in ("Velkommen", "Pause"):
        added = facilitator.post(f"/sessions/{session}/items", {"title": title, "duration": "5"})
        assert added.status_code == 303
    return session


@pytest.mark.parametrize("name", NESTED)
def test_a_nested_agenda_file_is_refused_in_the_editor(
    facilitator: Facilitator, agenda: int, db_path: Path, name: str
) -> None:
    before = snapshot(db_path)
    files = {"file": ("agenda.toml", NESTED[name].encode(), "application/toml")}
    started = time.monotonic()
    response = facilitator.post(f"/sessions/{agenda}/import", files=files)
    assert time.monotonic() - started < 5  # refused, not worked through
    assert response.status_code == 422
    error = re.search(r'id="import-error">([^<]*)<', response.text)
    assert error, response.text[-2000:]
    assert error[1] == f"Line {NESTED_LINE.get(name, 2)}: {TOO_DEEP}"
    assert snapshot(db_path) == before


@pytest.mark.parametrize("name", ["a list 5,000 deep", "inline tables 3,000 deep"])
def test_a_nested_agenda_file_is_refused_on_the_command_line(
    facilitator: Facilitator, agenda: int, db_path: Path, tmp_path: Path, name: str
) -> None:
    path = tmp_path / "nested.toml"
    path.write_text(NESTED[name], encoding="utf-8")
    before = snapshot(db_path)
    env = {**os.environ, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "agenda", "import", str(path)]
        + ["--session", str(agenda), "--db", str(db_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"{path}: Line 2: {TOO_DEEP}"
    assert "Traceback" not in done.stderr
    assert snapshot(db_path) == before


# --- websockets: only the server's own origins, whatever the Host says --------------------


def _handshake(server: LiveServer, path: str, host: str, origin: str, cookie: str) -> int:
    """The HTTP status a websocket handshake with these headers gets (101: accepted)."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\nCookie: {cookie}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(request.encode())
        status_line = conn.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_a_forged_host_with_a_matching_origin_is_refused(server: LiveServer) -> None:
    fac = facilitator_client(server, "origins", "origins password 1")
    live = live_session(server, fac)
    phone = join(server, live.code)
    own = f"127.0.0.1:{server.port}"
    sockets = {
        f"/s/{live.code}/ws": phone.cookie,
        f"/sessions/{live.id}/ws?view=control": cookie_header(fac),
        f"/sessions/{live.id}/ws?view=present": cookie_header(fac),
    }
    for path, cookie in sockets.items():
        assert _handshake(server, path, own, server.url, cookie) == 101, path
        assert _handshake(server, path, own, f"http://localhost:{server.port}", cookie) == 101
        for host in ("evil.example", f"evil.example:{server.port}", "10.6.6.6:8000"):
            status = _handshake(server, path, host, f"http://{host}", cookie)
            assert status == 403, (path, host, status)
        # The page's own origin with a forged Host passes: the Host is not what is judged.
        assert _handshake(server, path, "evil.example", server.url, cookie) == 101, path
        for origin in (f"https://127.0.0.1:{server.port}", "http://127.0.0.1", "null"):
            assert _handshake(server, path, own, origin, cookie) == 403, (path, origin)


def test_the_test_client_is_refused_a_forged_host_too(
    facilitator: Facilitator, app_client: TestClient
) -> None:
    _programme, session, _code = _live(facilitator)
    url = f"/sessions/{session}/ws?view=control"
    forged = {"Host": "evil.example", "Origin": "http://evil.example"}
    with (
        pytest.raises(WebSocketDisconnect),
        facilitator.client.websocket_connect(url, headers=forged),
    ):
        pass
    with facilitator.client.websocket_connect(url, headers={"Origin": "http://testserver"}) as ok:
        assert "id=" in ok.receive_text()
