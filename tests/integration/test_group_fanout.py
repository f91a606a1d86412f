"""Group work on a real server: group fan-out over real websockets, moving a phone, and
privacy (a phone cannot read or write another group's list or another phone's notes)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.browser.conftest import LiveServer
from tests.live_helpers import (
    PhoneClient,
    close_clients,
    csrf_of,
    facilitator_client,
    join,
    live_session,
)

AGENDA = """samling_agenda = 1

[[item]]
title = "Kommune 3.0"
duration = 30
kind = "exercise"
exercise = "group_work"

[item.settings]
task = "Hva betyr samskaping for oss?"
questions = ["Hva legger dere i begrepet?"]
phases = [
    { name = "Alene", minutes = 3, mode = "individual", instructions = "Tenk selv." },
    { name = "Gruppe", minutes = 15, mode = "group", instructions = "Del i gruppa." },
    { name = "Plenum", minutes = 10, mode = "plenary", instructions = "" },
]
roles = [
    { name = "Leder", rule = "den laveste", keeps_list = false },
    { name = "Sekretær", rule = "den med nyest bukse", keeps_list = true },
]
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("gw") / "samling.db").start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


def _groups_of(db: Path, session_id: int) -> dict[int, int | None]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT id, group_id FROM participants WHERE session_id = ?", (session_id,)
        ).fetchall()
    finally:
        conn.close()
    return {int(r[0]): r[1] for r in rows}


def _participant_id(phone: PhoneClient, server: LiveServer, session_id: int) -> int:
    conn = sqlite3.connect(server.db_path)
    try:
        rows = conn.execute(
            "SELECT id FROM participants WHERE session_id = ? ORDER BY id", (session_id,)
        ).fetchall()
    finally:
        conn.close()
    return int(rows[PHONES.index(phone)][0])


PHONES: list[PhoneClient] = []


class Listener:
    """A phone's socket, collecting every message it gets."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.messages: list[str] = []
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.socket:
                self.messages.append(str(message))
        except Exception:  # noqa: BLE001, S110  # the test closes it
            pass

    def seen(self, text: str) -> bool:
        return any(text in m for m in self.messages)

    async def wait_for(self, text: str, seconds: float = 5.0) -> bool:
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            if self.seen(text):
                return True
            await asyncio.sleep(0.05)
        return False


def _post(phone: PhoneClient, path: str, data: dict[str, str]) -> int:
    body = {"csrf_token": phone.token, **data}
    return phone.client.post(path, data=body, headers={"HX-Request": "true"}).status_code


def test_group_fan_out_moving_and_privacy(server: LiveServer, tmp_path: Path) -> None:
    fac = facilitator_client(server, "gw-a", "gw password 1")
    live = live_session(server, fac, tmp_path, AGENDA)
    csrf = csrf_of(fac)
    PHONES.clear()
    PHONES.extend(join(server, live.code, f"Phone {n}") for n in range(4))
    ids = [_participant_id(p, server, live.id) for p in PHONES]
    url = server.url.replace("http://", "ws://") + f"/s/{live.code}/ws"

    async def scenario() -> None:
        sockets = [
            await connect(url, additional_headers={"Origin": server.url, "Cookie": p.cookie})
            for p in PHONES
        ]
        listeners = [Listener(s) for s in sockets]
        try:
            # The full state comes once a socket is subscribed: all four are "present".
            for listener in listeners:
                assert await listener.wait_for('id="stage"')
            formed = await asyncio.to_thread(
                fac.post,
                f"/sessions/{live.id}/live/groups",
                data={"how": "count", "number": "2", "csrf_token": csrf},
            )
            assert formed.status_code in (204, 303), formed.text
            groups = _groups_of(server.db_path, live.id)
            first = groups[ids[0]]
            assert first is not None
            mates = [i for i, pid in enumerate(ids) if groups[pid] == first]
            others = [i for i, pid in enumerate(ids) if groups[pid] != first]
            assert len(mates) == 2 and len(others) == 2
            # Every phone got its group's area once the groups were formed.
            for listener in listeners:
                assert await listener.wait_for('id="group-name"')
            # Into the group round.
            for action in ("start", "skip"):
                done = await asyncio.to_thread(
                    fac.post,
                    f"/sessions/{live.id}/live/timer",
                    data={"action": action, "csrf_token": csrf},
                )
                assert done.status_code in (204, 303)
            for listener in listeners:
                assert await listener.wait_for('id="point-form"')

            author = PHONES[mates[0]]
            status = await asyncio.to_thread(
                _post,
                author,
                f"/s/{live.code}/items/{live.item_ids[0]}/points",
                {"text": "Ekte brukermedvirkning", "idem_key": "key-0000001"},
            )
            assert status == 200
            for i in mates:
                assert await listeners[i].wait_for("Ekte brukermedvirkning")
            await asyncio.sleep(0.6)  # more than a push interval
            for i in others:
                assert not listeners[i].seen("Ekte brukermedvirkning")

            # A phone moved into the group gets its list at once, and what follows.
            moved = others[0]
            done = await asyncio.to_thread(
                fac.post,
                f"/sessions/{live.id}/live/phones/{ids[moved]}/group",
                data={"group_id": str(first), "csrf_token": csrf},
            )
            assert done.status_code in (204, 303)
            assert await listeners[moved].wait_for("Ekte brukermedvirkning")
            status = await asyncio.to_thread(
                _post,
                author,
                f"/s/{live.code}/items/{live.item_ids[0]}/points",
                {"text": "Sette felles mål", "idem_key": "key-0000002"},
            )
            assert status == 200
            assert await listeners[moved].wait_for("Sette felles mål")
            await asyncio.sleep(0.6)
            assert not listeners[others[1]].seen("Sette felles mål")
        finally:
            for socket in sockets:
                await socket.close()
            for listener in listeners:
                listener.task.cancel()

    asyncio.run(scenario())

    # Privacy, by forged requests: the outsider is the phone still in the other group.
    groups = _groups_of(server.db_path, live.id)
    outsider = next(p for p, pid in zip(PHONES, ids, strict=True) if groups[pid] != groups[ids[0]])
    page = outsider.client.get(f"/s/{live.code}").text
    assert "Ekte brukermedvirkning" not in page
    conn = sqlite3.connect(server.db_path)
    try:
        point_id, text = conn.execute(
            "SELECT id, value FROM responses WHERE value LIKE '%Ekte%'"
        ).fetchone()
    finally:
        conn.close()
    for path, data in (
        (f"/s/{live.code}/points/{point_id}", {"text": "Overwritten"}),
        (f"/s/{live.code}/points/{point_id}/delete", {}),
        (f"/s/{live.code}/points/{point_id}/move", {"by": "1"}),
    ):
        assert _post(outsider, path, data) in (403, 404)
    conn = sqlite3.connect(server.db_path)
    try:
        assert (
            conn.execute("SELECT value FROM responses WHERE id = ?", (point_id,)).fetchone()[0]
            == text
        )
    finally:
        conn.close()
    # A forged group field is ignored: the point lands on the outsider's own list.
    status = _post(
        outsider,
        f"/s/{live.code}/items/{live.item_ids[0]}/points",
        {"text": "Mitt eget punkt", "idem_key": "key-0000003", "group_id": str(groups[ids[0]])},
    )
    assert status == 200
    conn = sqlite3.connect(server.db_path)
    try:
        landed = conn.execute(
            "SELECT group_id FROM responses WHERE value LIKE '%Mitt eget%'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert landed == groups[ids[PHONES.index(outsider)]]

    # Notes: only their author ever gets them back.
    writer = PHONES[0]
    assert (
        _post(writer, f"/s/{live.code}/items/{live.item_ids[0]}/note", {"text": "Hemmelig tanke"})
        == 200
    )
    assert "Hemmelig tanke" in writer.client.get(f"/s/{live.code}").text
    for phone in PHONES[1:]:
        assert "Hemmelig tanke" not in phone.client.get(f"/s/{live.code}").text
    control = fac.get(f"/sessions/{live.id}/control").text
    assert "Hemmelig tanke" not in control


def test_changing_the_programme_groups_reaches_a_live_session(
    server: LiveServer, tmp_path: Path
) -> None:
    """A group made on the programme page shows on the control panel at once; a phone
    in a group that is deleted is told it is in none, at once."""
    fac = facilitator_client(server, "gw-b", "gw password 1")
    live = live_session(server, fac, tmp_path, AGENDA)
    csrf = csrf_of(fac)
    PHONES.clear()
    PHONES.append(join(server, live.code, "Kari"))
    phone_id = _participant_id(PHONES[0], server, live.id)
    conn = sqlite3.connect(server.db_path)
    try:
        programme = conn.execute(
            "SELECT programme_id FROM sessions WHERE id = ?", (live.id,)
        ).fetchone()[0]
    finally:
        conn.close()
    url = server.url.replace("http://", "ws://")
    phone_headers = {"Origin": server.url, "Cookie": PHONES[0].cookie}
    control_headers = {
        "Origin": server.url,
        "Cookie": "; ".join(f"{k}={v}" for k, v in fac.cookies.items()),
    }

    async def scenario() -> None:
        async with (
            connect(f"{url}/s/{live.code}/ws", additional_headers=phone_headers) as phone_socket,
            connect(
                f"{url}/sessions/{live.id}/ws?view=control", additional_headers=control_headers
            ) as control_socket,
        ):
            phone, control = Listener(phone_socket), Listener(control_socket)
            assert await phone.wait_for('id="no-group"')
            made = await asyncio.to_thread(
                fac.post,
                f"/programmes/{programme}/groups",
                data={"name": "Stjernelaget", "members": "Kari", "csrf_token": csrf},
            )
            assert made.status_code == 303
            assert await control.wait_for("Stjernelaget")
            conn = sqlite3.connect(server.db_path)
            try:
                found = conn.execute("SELECT id FROM groups WHERE name = 'Stjernelaget'")
                group = found.fetchone()[0]
            finally:
                conn.close()
            moved = await asyncio.to_thread(
                fac.post,
                f"/sessions/{live.id}/live/phones/{phone_id}/group",
                data={"group_id": str(group), "csrf_token": csrf},
            )
            assert moved.status_code in (204, 303)
            assert await phone.wait_for('id="group-name"')
            phone.messages.clear()
            deleted = await asyncio.to_thread(
                fac.post,
                f"/programmes/{programme}/groups/{group}/delete",
                data={"csrf_token": csrf},
            )
            assert deleted.status_code == 303
            assert await phone.wait_for('id="no-group"')
            phone.task.cancel()
            control.task.cancel()

    asyncio.run(scenario())
