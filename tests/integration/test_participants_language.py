"""The participants' language: a programme's (and a session's, overriding it) is the
presenter's and the phones'; a phone can choose its own, kept in a cookie, and its pushes
then come in it; the facilitator's control panel stays in their own language."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import httpx2

from tests.browser.conftest import LiveServer
from tests.live_helpers import (
    CSRF,
    cookie_header,
    csrf_of,
    facilitator_client,
    join,
    live_session,
    ws_url,
)
from workshop.store import Store
from workshop.store.db import migrate_file
from workshop.store.migrations import MIGRATIONS

NB_NAME = "Navnet ditt (valgfritt)"
NN_NAME = "Namnet ditt (valfritt)"
DA_NAME = "Dit navn (valgfrit)"
EN_NAME = "Your name (optional)"
DA_QR = "QR-kode til at deltage"
EN_QR = "QR code to join"


def _programme_of(fac: httpx2.Client, session_id: int) -> int:
    found = re.search(r'href="/programmes/(\d+)"', fac.get(f"/sessions/{session_id}").text)
    assert found
    return int(found[1])


def _lang(html: str) -> str:
    found = re.search(r'<html lang="([a-z]+)"', html)
    assert found, html[:200]
    return found[1]


async def _first_push(url: str, headers: dict[str, str]) -> str:
    from websockets.asyncio.client import connect

    async with connect(url, additional_headers=headers, open_timeout=10) as socket:
        return str(await asyncio.wait_for(socket.recv(), 10))


def test_the_migration_gives_old_programmes_bokmal_and_sessions_their_programmes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    asyncio.run(migrate_file(path, upto=len(MIGRATIONS) - 1))
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO programmes (title, client, blocklist, created_at)"
        " VALUES ('Old', '', '', '2026-01-01')"
    )
    conn.execute(
        "INSERT INTO sessions (programme_id, title, place, created_at)"
        " VALUES (1, 'Old session', '', '2026-01-01')"
    )
    conn.commit()
    conn.close()

    async def upgraded() -> tuple[str, str]:
        store = Store(path)
        await store.open()
        try:
            session = await store.live.session(1)
            assert session is not None
            return await store.programmes.language(1), session.language
        finally:
            await store.close()

    assert asyncio.run(upgraded()) == ("nb", "")


def test_the_programmes_language_is_the_phones_and_the_presenters_and_a_session_overrides_it(
    server: LiveServer,
) -> None:
    fac = facilitator_client(server, "lang-a", "lang password 1")  # an English account
    live = live_session(server, fac)
    csrf = csrf_of(fac)
    programme = _programme_of(fac, live.id)
    # A new programme starts in its facilitator's own language.
    page = fac.get(f"/programmes/{programme}").text
    assert re.search(r'<option value="en" lang="en" selected>', page), page

    saved = fac.post(
        f"/programmes/{programme}/language", data={"language": "nn", "csrf_token": csrf}
    )
    assert saved.status_code == 303
    assert "The participants' language is saved." in fac.get(saved.headers["location"]).text
    phone = join(server, live.code)  # an English browser
    page = phone.client.get(f"/s/{live.code}").text
    assert _lang(page) == "nn" and "Svaret ditt" in page

    # The session's own language wins; its presenter follows, its control panel does not.
    saved = fac.post(f"/sessions/{live.id}/language", data={"language": "da", "csrf_token": csrf})
    assert saved.status_code == 303
    page = phone.client.get(f"/s/{live.code}").text
    assert _lang(page) == "da"
    presenter = fac.get(f"/sessions/{live.id}/present").text
    assert _lang(presenter) == "da" and DA_QR in presenter
    control = fac.get(f"/sessions/{live.id}/control").text
    assert _lang(control) == "en"
    # The presenter's pushes are Danish too; the control panel's stay English.
    headers = {"Origin": server.url, "Cookie": cookie_header(fac)}
    present = asyncio.run(
        _first_push(ws_url(server, f"/sessions/{live.id}/ws?view=present"), headers)
    )
    assert DA_QR in present and EN_QR not in present
    panel = asyncio.run(
        _first_push(ws_url(server, f"/sessions/{live.id}/ws?view=control"), headers)
    )
    assert 'lang="da"' not in panel and DA_QR not in panel
    pushed = asyncio.run(
        _first_push(
            ws_url(server, f"/s/{live.code}/ws"), {"Origin": server.url, "Cookie": phone.cookie}
        )
    )
    assert "Dit svar" in pushed and "Your answer" not in pushed
    # A new phone on the join link sees Danish before it joins.
    stranger = httpx2.Client(base_url=server.url, headers={"Accept-Language": "en"})
    try:
        assert DA_NAME in stranger.get(f"/j/{live.code}").text
    finally:
        stranger.close()

    # Back to the programme's.
    saved = fac.post(f"/sessions/{live.id}/language", data={"language": "", "csrf_token": csrf})
    assert saved.status_code == 303
    assert _lang(phone.client.get(f"/s/{live.code}").text) == "nn"


def test_a_language_outside_the_list_is_refused_with_a_message_and_changes_nothing(
    server: LiveServer,
) -> None:
    fac = facilitator_client(server, "lang-b", "lang password 1")
    live = live_session(server, fac)
    csrf = csrf_of(fac)
    programme = _programme_of(fac, live.id)
    for url in (f"/programmes/{programme}/language", f"/sessions/{live.id}/language"):
        refused = fac.post(url, data={"language": "sv", "csrf_token": csrf})
        assert refused.status_code == 422
        assert "Choose one of the languages in the list." in refused.text
    phone = join(server, live.code)
    assert _lang(phone.client.get(f"/s/{live.code}").text) == "en"
    # Without the form's token: refused too.
    forged = fac.post(f"/sessions/{live.id}/language", data={"language": "da"})
    assert forged.status_code == 403
    assert _lang(phone.client.get(f"/s/{live.code}").text) == "en"


def test_a_phone_chooses_its_language_and_keeps_it_on_its_pages_pushes_and_answers(
    server: LiveServer,
) -> None:
    fac = facilitator_client(server, "lang-c", "lang password 1")
    live = live_session(server, fac)
    csrf = csrf_of(fac)
    fac.post(f"/sessions/{live.id}/language", data={"language": "da", "csrf_token": csrf})

    # On the join page, before joining: the choice is kept, and the page is itself again.
    phone = httpx2.Client(base_url=server.url, headers={"Accept-Language": "en"})
    try:
        assert DA_NAME in phone.get(f"/j/{live.code}").text
        chose = phone.get(f"/j/{live.code}?lang=nn")
        assert chose.status_code == 303 and chose.headers["location"] == f"/j/{live.code}"
        page = phone.get(f"/j/{live.code}").text
        assert NN_NAME in page and _lang(page) == "nn"
        assert re.search(r'data-language="nn" aria-current="true"', page)
        token = CSRF.search(page)
        assert token
        joined = phone.post("/join", data={"code": live.code, "name": "", "csrf_token": token[1]})
        assert joined.status_code == 303
        page = phone.get(f"/s/{live.code}").text
        assert _lang(page) == "nn" and "Svaret ditt" in page

        # On the live page: English; its socket's pushes and its answers come in English.
        chose = phone.get(f"/s/{live.code}?lang=en")
        assert chose.status_code == 303 and chose.headers["location"] == f"/s/{live.code}"
        page = phone.get(f"/s/{live.code}").text
        assert _lang(page) == "en"
        pushed = asyncio.run(
            _first_push(
                ws_url(server, f"/s/{live.code}/ws"),
                {"Origin": server.url, "Cookie": cookie_header(phone)},
            )
        )
        assert "Your answer" in pushed and "Dit svar" not in pushed
        phone_token = re.search(r'data-token="([^"]+)"', page)
        assert phone_token
        sent = phone.post(
            f"/s/{live.code}/items/{live.item_ids[0]}/do/answer",
            data={"csrf_token": phone_token[1], "idem_key": "language-test-key", "text": "x" * 201},
            headers={"HX-Request": "true"},
        )
        assert sent.status_code == 422, sent.text
        assert "At most 200 characters." in sent.text, sent.text
        # An unknown language changes nothing.
        assert phone.get(f"/s/{live.code}?lang=xx").status_code == 200
        assert _lang(phone.get(f"/s/{live.code}").text) == "en"
    finally:
        phone.close()
    # Another phone, without a choice, still gets the session's Danish.
    other = join(server, live.code)
    assert _lang(other.client.get(f"/s/{live.code}").text) == "da"
