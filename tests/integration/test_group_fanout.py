"""Group work on a real server: group fan-out over real websockets, moving a phone, and
privacy (a phone cannot read or write another group's list or another phone's notes)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import httpx2

from tests.browser.conftest import LiveServer
from tests.integration.db import one, rows
from tests.live_helpers import (
    HTMX,
    Listener,
    PhoneClient,
    cookie_header,
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


def _groups_of(db: Path, session_id: int) -> dict[int, int | None]:
    found = rows(db, "SELECT id, group_id FROM participants WHERE session_id = ?", session_id)
    return {int(str(pid)): group for pid, group in found}  # type: ignore[misc]


def _participant_ids(db: Path, session_id: int) -> list[int]:
    """The session's phones in the order they joined."""
    found = rows(db, "SELECT id FROM participants WHERE session_id = ? ORDER BY id", session_id)
    return [int(str(r[0])) for r in found]


def _facilitate(fac: httpx2.Client, path: str, **data: str) -> int:
    """A control panel's button (htmx: the push brings the change, the answer is empty)."""
    done = fac.post(path, data={"csrf_token": csrf_of(fac), **data}, headers=HTMX)
    assert done.status_code == 204, (path, done.status_code, done.text)
    return done.status_code


async def _everyone_saw_a_later_push(
    fac: httpx2.Client, session_id: int, listeners: Sequence[Listener], results: str
) -> None:
    """A change every phone hears of (the results shown or hidden on the screen), and each
    phone got it: what reached one group's phones before it would have reached the others
    by then too."""
    marks = [len(listener.messages) for listener in listeners]
    path = f"/sessions/{session_id}/live/switch"
    await asyncio.to_thread(_facilitate, fac, path, results=results)
    for listener, mark in zip(listeners, marks, strict=True):
        await listener.wait_for('id="stage"', after=mark)


def test_group_fan_out_moving_and_privacy(server: LiveServer) -> None:
    fac = facilitator_client(server, "gw-a", "gw password 1")
    live = live_session(server, fac, agenda=AGENDA)
    item = live.item_ids[0]
    phones = [join(server, live.code, f"Phone {n}") for n in range(4)]
    ids = _participant_ids(server.db_path, live.id)

    async def scenario() -> None:
        listeners = [await Listener.open(server, f"/s/{live.code}/ws", p.cookie) for p in phones]
        try:
            # The full state comes once a socket is subscribed: all four are "present".
            for listener in listeners:
                first = await listener.wait_for('id="stage"')
                assert first.startswith('<i id="server-now"')
                assert 'id="no-group"' in first
            await asyncio.to_thread(
                _facilitate, fac, f"/sessions/{live.id}/live/groups", how="count", number="2"
            )
            groups = _groups_of(server.db_path, live.id)
            first_group = groups[ids[0]]
            assert first_group is not None
            mates = [i for i, pid in enumerate(ids) if groups[pid] == first_group]
            others = [i for i, pid in enumerate(ids) if groups[pid] != first_group]
            assert len(mates) == 2 and len(others) == 2
            # Every phone got its group's area and, two phones for two roles, a role.
            for listener in listeners:
                await listener.wait_for('id="group-name"')
                await listener.wait_for('id="my-role"')
            # Into the group round.
            for action in ("start", "skip"):
                await asyncio.to_thread(
                    _facilitate, fac, f"/sessions/{live.id}/live/timer", action=action
                )
            for listener in listeners:
                await listener.wait_for('id="point-form"')

            author = phones[mates[0]]
            added = await asyncio.to_thread(
                author.do,
                item,
                "point.add",
                {"text": "Ekte brukermedvirkning", "idem_key": "point-key-001"},
            )
            assert added.status_code == 200, added.text
            # The author gets its group's area back at once; its group gets the push.
            assert 'id="shared"' in added.text and "Ekte brukermedvirkning" in added.text
            for i in mates:
                await listeners[i].wait_for("Ekte brukermedvirkning")
            await _everyone_saw_a_later_push(fac, live.id, listeners, "show")
            for i in others:
                assert not listeners[i].seen("Ekte brukermedvirkning")

            # A phone moved into the group gets its list at once, and what follows.
            moved = others[0]
            await asyncio.to_thread(
                _facilitate,
                fac,
                f"/sessions/{live.id}/live/phones/{ids[moved]}/group",
                group_id=str(first_group),
            )
            await listeners[moved].wait_for("Ekte brukermedvirkning")
            added = await asyncio.to_thread(
                author.do,
                item,
                "point.add",
                {"text": "Sette felles mål", "idem_key": "point-key-002"},
            )
            assert added.status_code == 200, added.text
            await listeners[moved].wait_for("Sette felles mål")
            await _everyone_saw_a_later_push(fac, live.id, listeners, "hide")
            assert not listeners[others[1]].seen("Sette felles mål")
        finally:
            for listener in listeners:
                await listener.close()

    asyncio.run(scenario())
    _privacy(server, live.code, item, phones, ids)
    # Notes: only their author ever gets them back.
    writer = phones[0]
    saved = writer.do(item, "note", {"text": "Hemmelig tanke"})
    assert saved.status_code == 200, saved.text
    assert 'id="note-status"' in saved.text and "Saved" in saved.text
    assert "Hemmelig tanke" in writer.client.get(f"/s/{live.code}").text
    for phone in phones[1:]:
        assert "Hemmelig tanke" not in phone.client.get(f"/s/{live.code}").text
    control = fac.get(f"/sessions/{live.id}/control").text
    assert "Hemmelig tanke" not in control
    assert one(server.db_path, "SELECT count(*) FROM responses WHERE value LIKE '%Hemmelig%'") == 0


def _privacy(
    server: LiveServer, code: str, item: int, phones: list[PhoneClient], ids: list[int]
) -> None:
    """Forged requests: the outsider is the phone still in the other group."""
    db = server.db_path
    session_id = int(str(one(db, "SELECT session_id FROM participants WHERE id = ?", ids[0])))
    groups = _groups_of(db, session_id)
    outsider = next(p for p, pid in zip(phones, ids, strict=True) if groups[pid] != groups[ids[0]])
    page = outsider.client.get(f"/s/{code}").text
    assert "Ekte brukermedvirkning" not in page
    point_id, text = rows(db, "SELECT id, value FROM responses WHERE value LIKE '%Ekte%'")[0]
    for action, data in (
        ("point.edit", {"text": "Overwritten"}),
        ("point.delete", {}),
        ("point.move", {"by": "1"}),
    ):
        refused = outsider.do(item, action, {"response": str(point_id), **data})
        assert refused.status_code in (403, 404), (action, refused.status_code)
        assert "Ekte brukermedvirkning" not in refused.text
    assert one(db, "SELECT value FROM responses WHERE id = ?", point_id) == text
    # A forged group field is ignored: the point lands on the outsider's own list.
    added = outsider.do(
        item,
        "point.add",
        {"text": "Mitt eget punkt", "idem_key": "point-key-003", "group_id": str(groups[ids[0]])},
    )
    assert added.status_code == 200, added.text
    landed = one(db, "SELECT group_id FROM responses WHERE value LIKE '%Mitt eget%'")
    assert landed == groups[ids[phones.index(outsider)]]
    assert "Ekte brukermedvirkning" not in added.text


def test_changing_the_programme_groups_reaches_a_live_session(server: LiveServer) -> None:
    """A group made on the programme page shows on the control panel at once; a phone
    in a group that is deleted is told it is in none, at once."""
    fac = facilitator_client(server, "gw-b", "gw password 1")
    live = live_session(server, fac, agenda=AGENDA)
    kari = join(server, live.code, "Kari")
    (phone_id,) = _participant_ids(server.db_path, live.id)
    programme = one(server.db_path, "SELECT programme_id FROM sessions WHERE id = ?", live.id)
    csrf = csrf_of(fac)

    async def scenario() -> None:
        phone = await Listener.open(server, f"/s/{live.code}/ws", kari.cookie)
        control = await Listener.open(
            server, f"/sessions/{live.id}/ws?view=control", cookie_header(fac)
        )
        try:
            await phone.wait_for('id="no-group"')
            made = await asyncio.to_thread(
                fac.post,
                f"/programmes/{programme}/groups",
                data={"name": "Stjernelaget", "members": "Kari", "csrf_token": csrf},
            )
            assert made.status_code == 303
            await control.wait_for("Stjernelaget")
            group = one(server.db_path, "SELECT id FROM groups WHERE name = 'Stjernelaget'")
            await asyncio.to_thread(
                _facilitate,
                fac,
                f"/sessions/{live.id}/live/phones/{phone_id}/group",
                group_id=str(group),
            )
            await phone.wait_for('id="group-name"')
            mark = len(phone.messages)
            deleted = await asyncio.to_thread(
                fac.post,
                f"/programmes/{programme}/groups/{group}/delete",
                data={"csrf_token": csrf},
            )
            assert deleted.status_code == 303
            await phone.wait_for('id="no-group"', after=mark)
        finally:
            await phone.close()
            await control.close()

    asyncio.run(scenario())
