"""The live loop's known bugs, each shown fixed against a real server and a real SQLite file.

Each test is one bug that the old loop had (issue 10 names them): a phone sent back to
the join form right after joining, a Groups card that missed phones, group work left on
the phones after its item, a second participant after *back*, a reconnect without an
acknowledged answer, a retry refused after the facilitator moved on, a reconnect storm
that grew with the room, and a worker pool that leaked semaphores on stopping.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import uuid
from pathlib import Path

import httpx2
import pytest

from tests.browser.conftest import LiveServer
from tests.live_helpers import (
    CSRF,
    TOKEN,
    Listener,
    cookie_header,
    csrf_of,
    facilitator_client,
    join,
    live_session,
    new_session,
)

HTMX = {"HX-Request": "true"}
OPEN_TEXT = """samling_agenda = 1

[[item]]
title = "First question"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters?"
answers_per_phone = 3
max_length = 200

[[item]]
title = "Second question"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What next?"
answers_per_phone = 3
max_length = 200
"""
GROUP_WORK = """samling_agenda = 1

[[item]]
title = "Samskaping"
duration = 10
kind = "exercise"
exercise = "group_work"

[item.settings]
task = "What does co-creation mean for us?"
phases = [{ name = "Talk", minutes = 5, mode = "group" }]
roles = [{ name = "Secretary", rule = "the newest trousers", keeps_list = true }]

[[item]]
title = "Afterwards"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "How was it?"
"""


def _rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


async def _join(client: httpx2.AsyncClient, code: str, name: str, group: str = "") -> str:
    """Join as a phone does (the form, then the live page); the phone's form token."""
    page = await client.get("/")
    anon = CSRF.search(page.text)
    assert anon
    data = {"code": code, "name": name, "csrf_token": anon[1]}
    if group:
        data.update(group=group, group_step="1")
    joined = await client.post("/join", data=data)
    assert joined.status_code == 303, joined.text[:300]
    live = await client.get(f"/s/{code}")
    token = TOKEN.search(live.text)
    assert live.status_code == 200 and token, (live.status_code, live.url, live.text[:200])
    return token[1]


async def test_thirty_phones_joining_at_once_each_find_their_live_page(
    server: LiveServer,
) -> None:
    """Bug: a phone that had just joined was sometimes sent back to the join form by its
    live page (a stale read), had to join again and left a ghost behind."""
    fac = facilitator_client(server, "joiner", "joiner password 1")
    live = live_session(server, fac, agenda=OPEN_TEXT)
    clients = [httpx2.AsyncClient(base_url=server.url, timeout=30) for _ in range(30)]
    try:
        tokens = await asyncio.gather(
            *(_join(c, live.code, f"Phone {n}") for n, c in enumerate(clients))
        )
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    assert len(set(tokens)) == 30
    stored = _rows(
        server.db_path, "SELECT count(*) FROM participants WHERE session_id = ?", live.id
    )
    assert stored == [(30,)]


def _columns(messages: list[str]) -> dict[str, str]:
    """The latest html of every Groups column the control panel was sent."""
    latest: dict[str, str] = {}
    pattern = re.compile(
        r'<section class="group-column" id="control-group-(\w+)".*?</section>', re.S
    )
    for message in messages:
        for found in pattern.finditer(message):
            latest[found[1]] = found[0]
    return latest


async def test_the_groups_card_shows_every_phone_that_joined_at_once(server: LiveServer) -> None:
    """Bug: after about 27 joins within a second the Groups card listed 1/1/1/0/0/0 phones
    while its header counted 30, until the facilitator's next action."""
    fac = facilitator_client(server, "counter", "counter password 1")
    session, csrf = new_session(fac)
    page = fac.get(f"/sessions/{session}")
    programme = re.search(r'href="/programmes/(\d+)"', page.text)
    assert programme
    for n in range(6):
        made = fac.post(
            f"/programmes/{programme[1]}/groups",
            data={"name": f"Group {n}", "members": "", "csrf_token": csrf},
        )
        assert made.status_code == 303, made.text[:300]
    server.import_agenda(session, OPEN_TEXT)
    fac.post(f"/sessions/{session}/live/start", data={"csrf_token": csrf})
    panel = fac.get(f"/sessions/{session}/control").text
    code = "".join(re.search(r'id="control-code">(\d{4}) (\d{4})<', panel).groups())  # type: ignore[union-attr]
    groups = re.findall(r'id="control-group-(\d+)"', panel)
    assert len(groups) == 6
    control = await Listener.open(
        server, f"/sessions/{session}/ws?view=control", cookie_header(fac)
    )
    await control.wait_for('id="control"')
    clients = [httpx2.AsyncClient(base_url=server.url, timeout=30) for _ in range(30)]
    phones: list[Listener] = []
    try:
        await asyncio.gather(
            *(_join(c, code, f"P{n}", groups[n % 6]) for n, c in enumerate(clients))
        )
        phones = await asyncio.gather(
            *(
                Listener.open(
                    server, f"/s/{code}/ws", "; ".join(f"{k}={v}" for k, v in c.cookies.items())
                )
                for c in clients
            )
        )
        await control.wait_for("30 phones connected")
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            columns = _columns(control.messages)
            counts = sorted(columns.get(g, "").count('<li id="phone-') for g in groups)
            online = sorted(columns.get(g, "").count('class="online"') for g in groups)
            if counts == [5] * 6 and online == [5] * 6:
                break
            assert asyncio.get_running_loop().time() < deadline, (counts, online)
            await control.wait_for("control-group-", after=len(control.messages))
    finally:
        for phone in phones:
            await phone.close()
        await control.close()
        await asyncio.gather(*(c.aclose() for c in clients))


async def test_a_later_item_takes_group_work_off_the_phones(server: LiveServer) -> None:
    """Bug: after a group-work item the phones kept its role card, the group's list with
    its buttons and the notepad on every later item until they reloaded, and tapping
    *Delete* on that stale list got a 403 and emptied it silently."""
    fac = facilitator_client(server, "grouper", "grouper password 1")
    live = live_session(server, fac, agenda=GROUP_WORK)
    csrf = csrf_of(fac)
    phones = [join(server, live.code, f"Phone {n}") for n in range(2)]
    sockets = [await Listener.open(server, f"/s/{live.code}/ws", p.cookie) for p in phones]
    try:
        for socket in sockets:
            await socket.wait_for('id="stage"')
        formed = fac.post(
            f"/sessions/{live.id}/live/groups",
            data={"how": "count", "number": "1", "csrf_token": csrf},
        )
        assert formed.status_code == 303
        for socket in sockets:
            await socket.wait_for('id="group-name"')
        # One role for the group of two: the secretary, who keeps its list.
        keepers = [p for p, s in zip(phones, sockets, strict=True) if s.seen('id="my-role"')]
        assert len(keepers) == 1
        keeper = keepers[0]
        added = keeper.do(
            live.item_ids[0], "point.add", {"text": "A point", "idem_key": uuid.uuid4().hex}
        )
        assert added.status_code == 200 and "A point" in added.text
        point = re.search(r'id="point-(\d+)"', added.text)
        assert point
        before = [len(s.messages) for s in sockets]
        fac.post(f"/sessions/{live.id}/live/step", data={"by": "1", "csrf_token": csrf})
        for socket, after in zip(sockets, before, strict=True):
            message = await socket.wait_for("Afterwards", after=after)
            mine = re.search(r'<section id="mine".*?</section>', message, re.S)
            shared = re.search(r'<section id="shared".*?</section>', message, re.S)
            assert mine and shared
            for gone in ("my-role", "notepad", "group-area", "group-points"):
                assert gone not in mine[0] + shared[0], gone
        stale = keeper.do(live.item_ids[0], "point.delete", {"response": point[1]})
        assert stale.status_code == 409
        assert "moved on" in stale.text
        assert _rows(
            server.db_path, "SELECT count(*) FROM responses WHERE id = ?", int(point[1])
        ) == [(1,)]
    finally:
        for socket in sockets:
            await socket.close()


def test_joining_again_after_back_goes_to_the_same_phone(server: LiveServer) -> None:
    """Bug: *back* after joining, then joining again, made a second participant with the
    same name (its answers lost to the phone, the per-phone limit passed)."""
    fac = facilitator_client(server, "backer", "backer password 1")
    live = live_session(server, fac, agenda=OPEN_TEXT)
    phone = join(server, live.code, "Kari")
    count = "SELECT count(*) FROM participants WHERE session_id = ?"
    assert _rows(server.db_path, count, live.id) == [(1,)]
    # Back to the QR link's page: the phone goes straight to its live page.
    link = phone.client.get(f"/j/{live.code}", follow_redirects=False)
    assert link.status_code == 303 and link.headers["location"] == f"/s/{live.code}"
    # The front page, and its form sent again: the same phone, no second participant.
    front = phone.client.get("/")
    assert front.headers["cache-control"] == "no-store"
    anon = CSRF.search(front.text)
    assert anon
    again = phone.client.post(
        "/join",
        data={"code": live.code, "name": "Kari", "csrf_token": anon[1]},
        follow_redirects=False,
    )
    assert again.status_code == 303 and again.headers["location"] == f"/s/{live.code}"
    assert _rows(server.db_path, count, live.id) == [(1,)]
    answered = phone.do(
        live.item_ids[0], "answer", {"text": "Still me", "idem_key": uuid.uuid4().hex}
    )
    assert answered.status_code == 200 and "Still me" in answered.text


def test_the_group_step_after_a_typed_code_is_a_page_of_its_own(server: LiveServer) -> None:
    """The join form answers with a redirect, the group step too: *back* never offers to
    send a form again."""
    fac = facilitator_client(server, "stepper", "stepper password 1")
    session, csrf = new_session(fac)
    page = fac.get(f"/sessions/{session}").text
    programme = re.search(r'href="/programmes/(\d+)"', page)
    assert programme
    fac.post(
        f"/programmes/{programme[1]}/groups",
        data={"name": "Gygrene", "members": "Kari Nordmann", "csrf_token": csrf},
    )
    server.import_agenda(session, OPEN_TEXT)
    fac.post(f"/sessions/{session}/live/start", data={"csrf_token": csrf})
    panel = fac.get(f"/sessions/{session}/control").text
    code = "".join(re.search(r'id="control-code">(\d{4}) (\d{4})<', panel).groups())  # type: ignore[union-attr]
    client = httpx2.Client(base_url=server.url, timeout=10)
    try:
        anon = CSRF.search(client.get("/").text)
        assert anon
        typed = client.post(
            "/join",
            data={"code": code, "name": "Kari Nordmann", "csrf_token": anon[1]},
            follow_redirects=False,
        )
        assert typed.status_code == 303
        step = client.get(typed.headers["location"])
        assert 'id="group-step"' in step.text and "Gygrene" in step.text
        assert _rows(
            server.db_path, "SELECT count(*) FROM participants WHERE session_id = ?", session
        ) == [(0,)]
    finally:
        client.close()


async def test_a_reconnecting_phone_sees_every_answer_it_had_acknowledged(
    server: LiveServer,
) -> None:
    """Bug: a reconnect sometimes got a full state without an answer it already had
    acknowledged (the store's reader served a snapshot from before the commit)."""
    fac = facilitator_client(server, "reconnector", "reconnector password 1")
    live = live_session(server, fac, agenda=OPEN_TEXT)
    phones = [join(server, live.code, f"P{n}") for n in range(20)]
    item = live.item_ids[0]

    async def answer_then_reconnect(n: int) -> list[str]:
        phone = phones[n]
        missing = []
        async with httpx2.AsyncClient(
            base_url=server.url, cookies=dict(phone.client.cookies), timeout=30
        ) as client:
            for round_ in range(3):
                done = await client.post(
                    f"/s/{live.code}/items/{item}/do/answer",
                    data={
                        "text": f"P{n} r{round_}",
                        "csrf_token": phone.token,
                        "idem_key": uuid.uuid4().hex,
                    },
                    headers=HTMX,
                )
                assert done.status_code == 200, done.text[:300]
                acked = set(re.findall(r'id="own-(\d+)"', done.text))
                socket = await Listener.open(server, f"/s/{live.code}/ws", phone.cookie)
                first = await socket.wait_for('id="stage"')
                await socket.close()
                missing += [rid for rid in acked if f'id="own-{rid}"' not in first]
        return missing

    found = await asyncio.gather(*(answer_then_reconnect(n) for n in range(20)))
    assert [m for m in found if m] == []


async def test_a_retry_after_the_facilitator_moved_on_gets_the_first_acknowledgement(
    server: LiveServer,
) -> None:
    """Bug: a retried answer whose first try was stored but whose acknowledgement was lost
    got 409 "moved on" once the facilitator had moved on."""
    fac = facilitator_client(server, "retrier", "retrier password 1")
    live = live_session(server, fac, agenda=OPEN_TEXT)
    phone = join(server, live.code, "Kari")
    key = uuid.uuid4().hex
    first = phone.do(live.item_ids[0], "answer", {"text": "Said once", "idem_key": key})
    assert first.status_code == 200
    fac.post(f"/sessions/{live.id}/live/step", data={"by": "1", "csrf_token": csrf_of(fac)})
    retry = phone.do(live.item_ids[0], "answer", {"text": "Said once", "idem_key": key})
    assert retry.status_code == 200, retry.text[:300]
    assert "moved on" not in retry.text
    assert _rows(server.db_path, "SELECT count(*) FROM responses WHERE idem_key = ?", key) == [(1,)]
    # Without the key's first try, the same late answer is refused.
    late = phone.do(live.item_ids[0], "answer", {"text": "Too late", "idem_key": uuid.uuid4().hex})
    assert late.status_code == 409 and "moved on" in late.text


QA = """samling_agenda = 1

[[item]]
title = "Questions"
duration = 10
kind = "exercise"
exercise = "qa"

[item.settings]
question = "Ask us"
questions_per_phone = 5
"""


async def test_on_a_big_qa_item_a_phones_state_and_a_connection_change_stay_small(
    server: LiveServer,
) -> None:
    """Bug: a reconnect storm on a Q&A item of a few hundred questions stalled the server:
    each phone's message held the whole list (370 KiB) and every connection change
    re-rendered the Groups card of every phone. Both are bounded now."""
    fac = facilitator_client(server, "asker", "asker password 1")
    live = live_session(server, fac, agenda=QA)
    askers = [join(server, live.code, f"A{n}") for n in range(60)]
    for n, phone in enumerate(askers):
        for q in range(5):
            done = phone.do(
                live.item_ids[0],
                "answer",
                {"text": f"Question {n}-{q}: " + "why " * 40, "idem_key": uuid.uuid4().hex},
            )
            assert done.status_code == 200
    control = await Listener.open(
        server, f"/sessions/{live.id}/ws?view=control", cookie_header(fac)
    )
    await control.wait_for('id="control"')
    newcomer = join(server, live.code, "New")
    socket = await Listener.open(server, f"/s/{live.code}/ws", newcomer.cookie)
    try:
        first = await socket.wait_for('id="stage"')
        assert first.count('class="vote-form"') == 40  # of 300 questions
        assert re.search(r'id="questions-more">[^<]*\b260\b', first)
        assert len(first.encode()) < 60_000
        # The newcomer's connection: the counts alone (the other messages are results).
        while True:
            counts = await control.wait_for("1 phone connected", after=1)
            if 'id="control-kind"' not in counts:
                break
            control.messages.remove(counts)
        assert len(counts.encode()) < 5_000
    finally:
        await socket.close()
        await control.close()


WORD_CLOUD = """samling_agenda = 1

[[item]]
title = "Cloud"
duration = 10
kind = "exercise"
exercise = "word_cloud"

[item.settings]
question = "One word"
"""


async def test_stopping_after_a_word_cloud_layout_leaks_no_semaphores(tmp_path: Path) -> None:
    """Bug: stopping the server after a layout logged "resource_tracker: There appear to
    be 5 leaked semaphore objects": the worker pool now shuts down cleanly."""
    own = LiveServer(tmp_path / "cloud.db").start()
    try:
        fac = facilitator_client(own, "drawer", "drawer password 1")
        live = live_session(own, fac, agenda=WORD_CLOUD)
        presenter = await Listener.open(
            own, f"/sessions/{live.id}/ws?view=present", cookie_header(fac)
        )
        phone = join(own, live.code, "Kari")
        assert (
            phone.do(
                live.item_ids[0], "answer", {"text": "tillit", "idem_key": uuid.uuid4().hex}
            ).status_code
            == 200
        )
        await presenter.wait_for('<svg class="cloud"', seconds=60)
        await presenter.close()
    finally:
        own.stop()
    log = "".join(own.log)
    assert "Application shutdown complete" in log
    assert "leaked semaphore" not in log


@pytest.mark.parametrize("flags", [["--port"], ["serve", "--port"]], ids=["flags alone", "serve"])
def test_run_py_serves_with_serves_flags_and_links_to_the_address_served(
    tmp_path: Path, flags: list[str]
) -> None:
    """Bug: the README's own `make run ARGS="--port 9000"` failed (serve's flags without
    the subcommand), and with --host 127.0.0.1 the join link showed the LAN address."""
    own = LiveServer(tmp_path / "own.db")
    own.start_with([*flags, str(own.port), "--host", "127.0.0.1", "--db", str(own.db_path)])
    try:
        assert any(f"Samling is at http://127.0.0.1:{own.port}/" in line for line in own.log)
        fac = facilitator_client(own, "linker", "linker password 1")
        live = live_session(own, fac, agenda=OPEN_TEXT)
        panel = fac.get(f"/sessions/{live.id}/control").text
        assert f"http://127.0.0.1:{own.port}/j/{live.code}" in panel
    finally:
        own.stop()
