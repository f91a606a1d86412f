"""The purpose poster on a real server: phones of one group editing at the same moment
(no edit lost; the same point twice gives the later writer both texts), versions saved,
compared and gone back to, dots in the plenary, the facilitator's common poster, a later
session continuing the thread, and privacy (a phone cannot read or write another group's
draft before the plenary, however it forges its requests)."""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2

from tests import poster_days as days
from tests.browser.conftest import LiveServer
from tests.integration.db import item_settings, one, rows
from tests.live_helpers import (
    CSRF,
    HTMX,
    TOKEN,
    Listener,
    PhoneClient,
    _client,
    add_item,
    csrf_of,
    facilitator_client,
    new_session,
)
from tests.poster_days import GROUPS, PREAMBLE, Day, post


def _facilitate(fac: httpx2.Client, day: Day, action: str, **data: str) -> httpx2.Response:
    done = fac.post(
        f"/sessions/{day.live.id}/live/items/{day.item}/do/{action}",
        data={"csrf_token": csrf_of(fac), **data},
        headers=HTMX,
    )
    return done


def _points(db: Path, item: int, group: int) -> list[tuple[int, int, dict[str, object]]]:
    """A group's draft as stored: (id, version, value) in list order."""
    found = rows(
        db,
        "SELECT id, version, value FROM responses WHERE item_id = ? AND group_id = ?"
        " ORDER BY position, id",
        item,
        group,
    )
    return [(int(str(i)), int(str(v)), json.loads(str(value))) for i, v, value in found]


def _edit(phone: PhoneClient, item: int, point: int, version: int, text: str) -> httpx2.Response:
    """An edit as the phone's script sends it: again on the same copy after a 409 (another
    phone's edit of the point won the moment), so the server keeps it beside the point."""
    data = {"response": str(point), "version": str(version), "text": text}
    for _ in range(4):
        answer = phone.do(item, "point.edit", data)
        if answer.status_code != 409:
            return answer
    return answer


def _join(server: LiveServer, day: Day, name: str) -> PhoneClient:
    """A phone that joined with a member's name, into that member's group (another name:
    in no group)."""
    client = _client(server, {"Accept-Language": "en"})
    token = CSRF.search(client.get("/").text)
    assert token
    group = next((g for g, members in GROUPS.items() if name in members), None)
    data = {"code": day.live.code, "name": name, "csrf_token": token[1], "group_step": "1"}
    joined = client.post("/join", data={**data, "group": str(day.groups[group]) if group else ""})
    assert joined.status_code == 303, joined.text
    found = TOKEN.search(client.get(f"/s/{day.live.code}").text)
    assert found
    return PhoneClient(client, found[1], day.live.code)


def _key(n: int) -> str:
    return f"poster-key-{n:06d}"


def test_two_phones_of_a_group_edit_at_once_and_nothing_is_lost(server: LiveServer) -> None:
    fac = facilitator_client(server, "poster-a", "poster password 1")
    programme, groups = days.programme(fac)
    day = days.day(server, fac, programme, groups, "Samling 1")
    db, item, blue = server.db_path, day.item, groups["Blåveis"]
    ada, bo = _join(server, day, "Ada Blå"), _join(server, day, "Bo Blå")
    for n, (phone, text) in enumerate(((ada, "Anerkjenne kompetanse"), (bo, "Gi trygghet"))):
        added = phone.do(item, "point.add", {"text": text, "idem_key": _key(n)})
        assert added.status_code == 200, added.text
    (first, _v1, _t1), (second, _v2, _t2) = _points(db, item, blue)

    # Different points at the same moment, again and again: both edits always stay.
    with ThreadPoolExecutor(2) as pool:
        for round_ in range(25):
            versions = {p: v for p, v, _ in _points(db, item, blue)}
            mine = pool.submit(_edit, ada, item, first, versions[first], f"Ada {round_}")
            theirs = pool.submit(_edit, bo, item, second, versions[second], f"Bo {round_}")
            assert mine.result().status_code == 200, mine.result().text
            assert theirs.result().status_code == 200, theirs.result().text
            texts = [value["text"] for _p, _v, value in _points(db, item, blue)]
            assert texts == [f"Ada {round_}", f"Bo {round_}"]
    assert all("others" not in value for _p, _v, value in _points(db, item, blue))

    # The same point at the same moment: one text wins the point, the other is kept beside
    # it, and the later writer is shown both to choose or combine.
    version = dict((p, v) for p, v, _ in _points(db, item, blue))[first]
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda args: _edit(*args),
                [
                    (ada, item, first, version, "Tydelig retning"),
                    (bo, item, first, version, "Felles retning"),
                ],
            )
        )
    assert [a.status_code for a in answers] == [200, 200]
    value = dict((p, v) for p, _x, v in _points(db, item, blue))[first]
    assert sorted([value["text"], *value["others"]]) == ["Felles retning", "Tydelig retning"]  # type: ignore[list-item]
    later = next(a for a in answers if f'id="conflict-{first}"' in a.text)
    assert "Felles retning" in later.text and "Tydelig retning" in later.text
    # Every phone of the group sees the choice; an edit on a stale copy keeps it too.
    assert f'id="conflict-{first}"' in ada.client.get(f"/s/{day.live.code}").text
    stale = _edit(ada, item, first, version, "Retning og mening")
    assert stale.status_code == 200 and "Retning og mening" in stale.text
    value = dict((p, v) for p, _x, v in _points(db, item, blue))[first]
    assert len(value["others"]) == 2  # type: ignore[arg-type]
    # The group settles it: one text, no choice left.
    now = dict((p, v) for p, v, _ in _points(db, item, blue))[first]
    settled = bo.do(
        item,
        "point.edit",
        {"response": str(first), "version": str(now), "text": "Gi retning", "settle": "1"},
    )
    assert settled.status_code == 200, settled.text
    assert f'id="conflict-{first}"' not in settled.text
    assert dict((p, v) for p, _x, v in _points(db, item, blue))[first] == {"text": "Gi retning"}


def test_versions_dots_the_common_poster_and_a_later_session(server: LiveServer) -> None:
    fac = facilitator_client(server, "poster-b", "poster password 2")
    programme, groups = days.programme(fac)
    day = days.day(server, fac, programme, groups, "Samling 1")
    db, item, blue, fox = server.db_path, day.item, groups["Blåveis"], groups["Fjellreven"]
    ada, cy = _join(server, day, "Ada Blå"), _join(server, day, "Cy Fjell")
    di = _join(server, day, "Di Fjell")
    for n, text in enumerate(("Anerkjenne kompetanse", "Gi trygghet og tillit")):
        assert (
            ada.do(item, "point.add", {"text": text, "idem_key": _key(10 + n)}).status_code == 200
        )
    assert (
        cy.do(
            item, "point.add", {"text": "Spille hverandre gode", "idem_key": _key(20)}
        ).status_code
        == 200
    )

    saved = ada.do(item, "draft.save", {"name": "Utkast 1", "idem_key": _key(60)})
    assert saved.status_code == 200, saved.text
    assert "Utkast 1" in saved.text and "Samling 1" in saved.text
    point, version, _v = _points(db, item, blue)[1]
    ada.do(
        item,
        "point.edit",
        {"response": str(point), "version": str(version), "text": "Gi trygghet og mot"},
    )
    assert (
        ada.do(item, "draft.save", {"name": "", "idem_key": _key(61)}).status_code == 200
    )  # named "Draft 2"
    names = rows(db, "SELECT name, group_id FROM drafts ORDER BY id")
    assert names == [("Utkast 1", blue), ("Draft 2", blue)]
    first, second = (int(str(i)) for (i,) in rows(db, "SELECT id FROM drafts ORDER BY id"))
    # Compared word by word: the phone's own part shows the words removed and added.
    compared = ada.do(item, "draft.compare", {"old": str(first), "new": str(second)})
    assert compared.status_code == 200, compared.text
    assert "<del>tillit</del>" in compared.text and "<ins>mot</ins>" in compared.text
    assert 'id="phone-diff"' in ada.client.get(f"/s/{day.live.code}").text
    # Back to the first version: the draft is its points again, kept as a new version.
    back = ada.do(item, "draft.restore", {"draft": str(first), "idem_key": _key(30)})
    assert back.status_code == 200, back.text
    assert [v["text"] for _p, _x, v in _points(db, item, blue)] == [
        "Anerkjenne kompetanse",
        "Gi trygghet og tillit",
    ]
    assert one(db, "SELECT name FROM drafts ORDER BY id DESC") == "Back to Utkast 1"

    # No dots before the plenary.
    blue_points = [p for p, _x, _v in _points(db, item, blue)]
    early = cy.do(item, "dot", {"response": str(blue_points[0]), "up": "1"})
    assert early.status_code == 409
    for action in ("start", "skip"):
        assert post(fac, f"/sessions/{day.live.id}/live/timer", action=action).status_code in (
            204,
            303,
        )
    # The drafting is over: the draft stays as it is.
    late = ada.do(item, "point.add", {"text": "For sent", "idem_key": _key(31)})
    assert late.status_code == 409
    for rid in blue_points[::-1]:
        assert cy.do(item, "dot", {"response": str(rid), "up": "1"}).status_code == 200
        assert di.do(item, "dot", {"response": str(rid), "up": "1"}).status_code == 200
    own = rows(db, "SELECT id FROM responses WHERE item_id = ? AND group_id = ?", item, fox)
    refused = cy.do(item, "dot", {"response": str(own[0][0]), "up": "1"})
    assert refused.status_code == 409  # a phone gives its dots to the others' points
    assert di.do(item, "dot", {"response": str(own[0][0]), "up": "1"}).status_code == 200
    fourth = di.do(item, "dot", {"response": str(blue_points[0]), "up": "0"})
    assert fourth.status_code == 200 and "Dots left: 1 of 3" in fourth.text
    # The presenter orders each group's points by dots: the second has two, the first one.
    present = fac.get(f"/sessions/{day.live.id}/present").text
    listed = re.search(rf'id="present-points-{blue}"[^>]*>(.*?)</ol>', present, re.S)
    assert listed, present[-2000:]
    assert listed[1].index("Gi trygghet og tillit") < listed[1].index("Anerkjenne kompetanse")
    assert PREAMBLE in present

    # The common poster, built on the control panel and saved as a version.
    for rid in blue_points:
        assert _facilitate(fac, day, "common.pick", response=str(rid)).status_code == 204
    assert _facilitate(fac, day, "common.pick", response=str(own[0][0])).status_code == 204
    assert _facilitate(fac, day, "common.add", text="Være en rollemodell").status_code == 204
    curation = json.loads(str(one(db, "SELECT data FROM item_curation WHERE item_id = ?", item)))
    entries = curation["common"]
    assert [e["from"] for e in entries] == [["Blåveis"], ["Blåveis"], ["Fjellreven"], []]
    merged = _facilitate(fac, day, "common.merge", entry=str(entries[1]["id"]))
    assert merged.status_code == 204
    moved = _facilitate(fac, day, "common.move", entry=str(entries[3]["id"]), by="-1")
    assert moved.status_code == 204
    edited = _facilitate(
        fac, day, "common.edit", entry=str(entries[2]["id"]), text="Spille hverandre gode"
    )
    assert edited.status_code == 204
    assert _facilitate(fac, day, "common.save", name="Felles utkast 1").status_code == 204
    control = fac.get(f"/sessions/{day.live.id}/control").text
    assert "Anerkjenne kompetanse – Gi trygghet og tillit" in control
    assert 'id="history-' in control and "Felles utkast 1" in control
    common = json.loads(str(one(db, "SELECT content FROM drafts WHERE common = 1")))
    assert [c["text"] for c in common] == [
        "Anerkjenne kompetanse – Gi trygghet og tillit",
        "Være en rollemodell",
        "Spille hverandre gode",
    ]

    # The final poster, for the facilitator only: a page to print, an SVG and a PDF.
    files = f"/sessions/{day.live.id}/items/{item}/files"
    assert f'href="{files}/poster.pdf"' in control
    page = fac.get(f"{files}/poster.html")
    assert page.status_code == 200 and "Være en rollemodell" in page.text
    drawing = fac.get(f"{files}/poster.svg")
    assert drawing.status_code == 200 and drawing.text.lstrip().startswith(("<?xml", "<svg"))
    printed = fac.get(f"{files}/poster.pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    assert "Være en rollemodell" not in ada.client.get(f"{files}/poster.html").text

    # The record of the day: the common poster, each group's draft, the versions.
    record = fac.get(f"/sessions/{day.live.id}/summary").text
    for shown in ("The common poster", "Felles utkast 1", "Back to Utkast 1", "Fjellreven"):
        assert shown in record, shown
    assert "Anerkjenne kompetanse – Gi trygghet og tillit" in record

    # A later session of the programme continues the poster: the group starts from its
    # latest version, the control panel from the latest common one, the history shows both.
    later = days.day(server, fac, programme, groups, "Samling 2")
    bo = _join(server, later, "Bo Blå")
    page = bo.client.get(f"/s/{later.live.code}").text
    latest = int(str(one(db, "SELECT max(id) FROM drafts WHERE group_id = ?", blue)))
    assert f'id="continue-{latest}"' in page and "Back to Utkast 1" in page
    carried = bo.do(later.item, "draft.continue", {"draft": str(latest), "idem_key": _key(40)})
    assert carried.status_code == 200, carried.text
    assert [v["text"] for _p, _x, v in _points(db, later.item, blue)] == [
        "Anerkjenne kompetanse",
        "Gi trygghet og tillit",
    ]
    assert (
        bo.do(later.item, "draft.save", {"name": "Utkast 3", "idem_key": _key(62)}).status_code
        == 200
    )
    panel = fac.get(f"/sessions/{later.live.id}/control").text
    assert "Være en rollemodell" in panel  # the common poster starts from its latest version
    history = re.search(r'id="poster-history"(.*?)</section>', panel, re.S)
    assert history
    assert "Samling 1" in history[1] and "Samling 2" in history[1]
    programme_record = fac.get(f"/programmes/{programme}/summary").text
    assert "Utkast 3" in programme_record and "Felles utkast 1" in programme_record


def test_a_phone_cannot_read_or_write_another_groups_draft(server: LiveServer) -> None:
    fac = facilitator_client(server, "poster-c", "poster password 3")
    programme, groups = days.programme(fac)
    day = days.day(server, fac, programme, groups, "Samling 1")
    db, item, blue = server.db_path, day.item, groups["Blåveis"]
    ada, cy = _join(server, day, "Ada Blå"), _join(server, day, "Cy Fjell")
    secret = "Hemmelig blått punkt"
    assert ada.do(item, "point.add", {"text": secret, "idem_key": _key(50)}).status_code == 200
    assert (
        ada.do(item, "draft.save", {"name": "Blått utkast", "idem_key": _key(63)}).status_code
        == 200
    )
    point, version, value = _points(db, item, blue)[0]
    draft = int(str(one(db, "SELECT id FROM drafts WHERE group_id = ?", blue)))

    async def listen() -> list[str]:
        listener = await Listener.open(server, f"/s/{day.live.code}/ws", cy.cookie)
        try:
            await listener.wait_for('id="poster-area"')
            # A change in the other group, then one every phone hears of.
            ada.do(item, "point.add", {"text": secret + " 2", "idem_key": _key(51)})
            mark = len(listener.messages)
            post(fac, f"/sessions/{day.live.id}/live/switch", results="hide")
            await listener.wait_for('id="stage"', after=mark)
            return list(listener.messages)
        finally:
            await listener.close()

    heard = asyncio.run(listen())
    # A phone in no group sees no draft and adds to none.
    loner = _join(server, day, "Ola Ingen")
    alone = loner.client.get(f"/s/{day.live.code}").text
    assert 'id="no-group"' in alone and secret not in alone
    nowhere = loner.do(item, "point.add", {"text": "Mitt eget", "idem_key": _key(54)})
    assert nowhere.status_code == 409 and secret not in nowhere.text
    assert not any(secret in m or "Blått utkast" in m for m in heard)
    page = cy.client.get(f"/s/{day.live.code}").text
    assert secret not in page and "Blått utkast" not in page
    for action, data in (
        ("point.edit", {"response": str(point), "version": str(version), "text": "Overskrevet"}),
        ("point.edit", {"response": str(point), "text": "Overskrevet", "settle": "1"}),
        ("point.delete", {"response": str(point)}),
        ("point.move", {"response": str(point), "by": "1"}),
        ("draft.restore", {"draft": str(draft), "idem_key": _key(52)}),
        ("draft.continue", {"draft": str(draft), "idem_key": _key(53)}),
        ("draft.compare", {"old": str(draft), "new": "0"}),
        ("draft.save", {"name": "Stjålet", "group": str(blue), "idem_key": _key(64)}),
        ("dot", {"response": str(point), "up": "1"}),
    ):
        answer = cy.do(item, action, data)
        assert secret not in answer.text and "Blått utkast" not in answer.text, action
        if action != "draft.save":
            assert answer.status_code in (403, 404, 409), (action, answer.status_code)
    assert _points(db, item, blue)[0][2] == value
    # A forged save lands on the phone's own group (which has no points: nothing saved).
    assert one(db, "SELECT count(*) FROM drafts WHERE name = 'Stjålet'") == 0
    # After the drafting, in the plenary, every group's draft is the room's.
    for action in ("start", "skip"):
        post(fac, f"/sessions/{day.live.id}/live/timer", action=action)

    async def plenary() -> str:
        listener = await Listener.open(server, f"/s/{day.live.code}/ws", cy.cookie)
        try:
            return await listener.wait_for(f'id="board-{blue}"')
        finally:
            await listener.close()

    assert secret in asyncio.run(plenary())
    # A page loaded in the plenary shows the same board as the push (not only its group's).
    loaded = cy.client.get(f"/s/{day.live.code}").text
    assert f'id="board-{blue}"' in loaded and secret in loaded


def test_the_agenda_editor_and_the_file_know_the_poster(server: LiveServer) -> None:
    fac = facilitator_client(server, "poster-d", "poster password 4")
    session, csrf = new_session(fac)
    fields = fac.get(f"/sessions/{session}/settings-form?form=new&exercise=poster").text
    for name in ("heading", "preamble", "guidance", "max_points", "max_words", "dots"):
        assert f'name="settings.{name}"' in fields, name
    form = {
        "title": "Formålsplakaten",
        "exercise": "poster",
        "settings.heading": "Formålsplakaten",
        "settings.preamble": "Vi skal skape MERVERDI ved å:",
        "settings.guidance": "",
        "settings.max_points": "6",
        "settings.max_words": "",
        "settings.dots": "4",
        "settings.drafting_name": "Utkast",
        "settings.drafting_minutes": "25",
        "settings.plenary_name": "",
        "settings.plenary_minutes": "10",
        "settings.orientation": "landscape",
    }
    refused = add_item(fac, session, csrf, **{**form, "settings.dots": "0"})
    assert refused.status_code == 422 and "settings-dots-error" in refused.text
    assert item_settings(server.db_path, session) == []
    assert add_item(fac, session, csrf, **form).status_code == 200
    ((kind, settings),) = item_settings(server.db_path, session)
    assert kind == "poster" and settings["max_points"] == 6 and settings["dots"] == 4
    assert settings["orientation"] == "landscape" and settings["plenary_name"]
    exported = fac.get(f"/sessions/{session}/agenda.toml").text
    assert 'exercise = "poster"' in exported and "dots = 4" in exported
    assert 'heading = "Formålsplakaten"' in exported
