"""Hostile text in every field a facilitator types: stored and shown as text, or refused.

Each payload, in each field, must either be stored exactly (trimmed and NFC, as
the forms clean all text) and appear escaped on every page that shows it, or be
refused with 422 and a message, with nothing stored. Text too long and NUL
bytes are always refused, with the field's own message.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
import tomli_w
from markupsafe import escape
from starlette.testclient import TestClient

from tests.conftest import CSRF_INPUT, Facilitator, browser_of
from tests.integration.db import rows
from tests.integration.db import snapshot as _snapshot

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "htmx": "<div hx-get=/x hx-trigger=load>",
    "right-to-left override": "Rapport \u202eslutt.exe",
    "zero-width and emoji": "Null\u200bbredde\u200d\ufeff og emoji 🎉👩\u200d👩\u200d👧 e\u0301",
    "100 KB": "A<b>" * 25_600,
    "NUL": "a\x00<script>alert(1)</script>",
}
SCRIPT_KEY = PAYLOADS["script"]
#: What must never be in a page: markup from a payload, unescaped.
RAW = ("<script>alert", "<img src=x", "<div hx-get", "<b>")
TOO_LONG = "At most %d characters."
NOT_ALLOWED = "Contains characters that are not allowed."
pytestmark = pytest.mark.usefixtures("quick_hashes")


def _clean(text: str) -> str:
    """What the forms store of a text they accept."""
    return unicodedata.normalize("NFC", text).strip()


def _column(db_path: Path, sql: str) -> list[object]:
    return [r[0] for r in rows(db_path, sql)]


def _newest(db_path: Path, table: str) -> int:
    value = _column(db_path, f"SELECT max(id) FROM {table}")[0]  # noqa: S608
    assert isinstance(value, int)
    return value


def _unescaped(html: str) -> list[str]:
    return [raw for raw in RAW if raw in html]


@dataclass
class Ctx:
    """Anna's programme, session and one item, to edit or to add to."""

    facilitator: Facilitator
    db_path: Path
    programme: int
    session: int
    item: int


@pytest.fixture
def ctx(facilitator: Facilitator, db_path: Path) -> Ctx:
    programme = facilitator.create_programme("Programme")
    session = facilitator.create_session(programme, "Session")
    added = facilitator.post(f"/sessions/{session}/items", {"title": "Item", "duration": "5"})
    assert added.status_code == 303
    return Ctx(facilitator, db_path, programme, session, _newest(db_path, "agenda_items"))


def _question(value: str, kind: str = "open_text") -> dict[str, str]:
    return {"kind": "exercise", "exercise": kind, "settings.question": value}


def _questions(db_path: Path) -> list[object]:
    return [
        json.loads(str(s)).get("question")
        for s in _column(db_path, "SELECT settings FROM agenda_items ORDER BY id")
    ]


def _toml(**item: object) -> bytes:
    fields: dict[str, object] = {"title": "Imported", "duration": 5, **item}
    return tomli_w.dumps({"samling_agenda": 1, "item": [fields]}).encode()


def _import(c: Ctx, data: bytes) -> httpx2.Response:
    files = {"file": ("agenda.toml", data, "application/toml")}
    return c.facilitator.post(f"/sessions/{c.session}/import", files=files)


@dataclass(frozen=True)
class Field:
    """One text field: how to send a value, where it is stored, where it is shown."""

    max_length: int
    send: Callable[[Ctx, str], httpx2.Response]
    stored: Callable[[Path], list[object]]
    #: The page that must show the value (given the newest programme, session, item).
    shown_on: Callable[[int, int, int], str]


def _programme_page(p: int, s: int, i: int) -> str:
    return f"/programmes/{p}"


def _session_page(p: int, s: int, i: int) -> str:
    return f"/sessions/{s}"


def _titles(db_path: Path, table: str) -> list[object]:
    return _column(db_path, f"SELECT title FROM {table} ORDER BY id")  # noqa: S608


FIELDS: dict[str, Field] = {
    "new programme's title": Field(
        200,
        lambda c, v: c.facilitator.post("/programmes", {"title": v, "client": "Client"}),
        lambda db: _titles(db, "programmes"),
        _programme_page,
    ),
    "programme title": Field(
        200,
        lambda c, v: c.facilitator.post(f"/programmes/{c.programme}", {"title": v, "client": ""}),
        lambda db: _titles(db, "programmes"),
        _programme_page,
    ),
    "programme client": Field(
        200,
        lambda c, v: c.facilitator.post(f"/programmes/{c.programme}", {"title": "P", "client": v}),
        lambda db: _column(db, "SELECT client FROM programmes ORDER BY id"),
        _programme_page,
    ),
    "new session's title": Field(
        200,
        lambda c, v: c.facilitator.post(f"/programmes/{c.programme}/sessions", {"title": v}),
        lambda db: _titles(db, "sessions"),
        _session_page,
    ),
    "session title": Field(
        200,
        lambda c, v: c.facilitator.post(f"/sessions/{c.session}", {"title": v, "place": ""}),
        lambda db: _titles(db, "sessions"),
        _session_page,
    ),
    "session place": Field(
        200,
        lambda c, v: c.facilitator.post(f"/sessions/{c.session}", {"title": "S", "place": v}),
        lambda db: _column(db, "SELECT place FROM sessions ORDER BY id"),
        _programme_page,
    ),
    "new item's title": Field(
        200,
        lambda c, v: c.facilitator.post(
            f"/sessions/{c.session}/items", {"title": v, "duration": "5"}
        ),
        lambda db: _titles(db, "agenda_items"),
        _session_page,
    ),
    "item title": Field(
        200,
        lambda c, v: c.facilitator.post(
            f"/sessions/{c.session}/items/{c.item}", {"title": v, "duration": "5"}
        ),
        lambda db: _titles(db, "agenda_items"),
        lambda p, s, i: f"/sessions/{s}?edit={i}",
    ),
    "item notes": Field(
        5000,
        lambda c, v: c.facilitator.post(
            f"/sessions/{c.session}/items/{c.item}", {"title": "I", "duration": "5", "notes": v}
        ),
        lambda db: _column(db, "SELECT notes FROM agenda_items ORDER BY id"),
        _session_page,
    ),
    "open_text question": Field(
        500,
        lambda c, v: c.facilitator.post(
            f"/sessions/{c.session}/items", {"title": "Q", "duration": "5", **_question(v)}
        ),
        _questions,
        lambda p, s, i: f"/sessions/{s}?edit={i}",
    ),
    "word_cloud question": Field(
        500,
        lambda c, v: c.facilitator.post(
            f"/sessions/{c.session}/items",
            {"title": "W", "duration": "5", **_question(v, "word_cloud")},
        ),
        _questions,
        lambda p, s, i: f"/sessions/{s}?edit={i}",
    ),
    "qa invitation": Field(
        500,
        lambda c, v: c.facilitator.post(
            f"/sessions/{c.session}/items", {"title": "Q", "duration": "5", **_question(v, "qa")}
        ),
        _questions,
        lambda p, s, i: f"/sessions/{s}?edit={i}",
    ),
    "imported title": Field(
        200,
        lambda c, v: _import(c, _toml(title=v)),
        lambda db: _titles(db, "agenda_items"),
        _session_page,
    ),
    "imported notes": Field(
        5000,
        lambda c, v: _import(c, _toml(notes=v)),
        lambda db: _column(db, "SELECT notes FROM agenda_items ORDER BY id"),
        lambda p, s, i: f"/sessions/{s}?edit={i}",
    ),
    "imported question": Field(
        500,
        lambda c, v: _import(
            c, _toml(kind="exercise", exercise="open_text", settings={"question": v})
        ),
        _questions,
        _session_page,
    ),
}


def _pages(c: Ctx) -> list[str]:
    """Every page that shows the newest programme, session and item."""
    p = _newest(c.db_path, "programmes")
    s = _newest(c.db_path, "sessions")
    i = _newest(c.db_path, "agenda_items")
    return [
        "/programmes",
        f"/programmes/{p}",
        f"/sessions/{s}",
        f"/sessions/{s}?edit={i}",
        f"/sessions/{s}/control",
        f"/sessions/{s}/present",
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("name", FIELDS)
def test_hostile_text_is_stored_as_text_or_refused(ctx: Ctx, name: str, payload: str) -> None:
    field, text = FIELDS[name], PAYLOADS[payload]
    before = _snapshot(ctx.db_path)
    response = field.send(ctx, text)
    assert response.status_code in (303, 422), response.status_code
    assert not _unescaped(response.text)
    if payload == "100 KB" or payload == "NUL":
        assert response.status_code == 422
        message = TOO_LONG % field.max_length if payload == "100 KB" else NOT_ALLOWED
        assert message in response.text
    if response.status_code == 422:
        assert re.search(r'class="field-error"|role="alert"', response.text), "no error shown"
        assert _snapshot(ctx.db_path) == before, "a refused value changed the store"
        return
    assert _clean(text) in field.stored(ctx.db_path)
    for url in _pages(ctx) if "<" in text else []:
        page = ctx.facilitator.client.get(url)
        assert page.status_code == 200, url
        assert not _unescaped(page.text), url
    newest = (_newest(ctx.db_path, t) for t in ("programmes", "sessions", "agenda_items"))
    home = field.shown_on(*newest)
    assert str(escape(_clean(text))) in ctx.facilitator.client.get(home).text, home


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_blocked_words_are_stored_folded_or_refused(ctx: Ctx, payload: str) -> None:
    """A blocklist line is folded to words (markup cannot survive), or refused."""
    before = _snapshot(ctx.db_path)
    response = ctx.facilitator.post(
        f"/programmes/{ctx.programme}/blocklist", {"action": "save", "blocklist": PAYLOADS[payload]}
    )
    assert response.status_code in (303, 422), response.status_code
    assert not _unescaped(response.text)
    page = ctx.facilitator.client.get(f"/programmes/{ctx.programme}").text
    assert not _unescaped(page)
    if response.status_code == 422:
        assert 'class="field-error"' in response.text
        assert _snapshot(ctx.db_path) == before
        return
    stored = str(
        _column(ctx.db_path, f"SELECT blocklist FROM programmes WHERE id = {ctx.programme}")[0]
    )  # noqa: S608
    assert "<" not in stored and ">" not in stored
    assert str(escape(stored)) in page


def test_markup_in_a_title_is_shown_escaped(ctx: Ctx) -> None:
    """The escaped form, exactly as it must be in the HTML (the test above relies on it)."""
    ctx.facilitator.post(f"/programmes/{ctx.programme}", {"title": PAYLOADS["script"]})
    page = ctx.facilitator.client.get(f"/programmes/{ctx.programme}").text
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · Samling</title>" in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_on_the_live_screens_and_phones(
    app_client: TestClient, ctx: Ctx, payload: str
) -> None:
    """A running session shows titles and questions to the projector and the phones."""
    text = PAYLOADS[payload]
    added = ctx.facilitator.post(
        f"/sessions/{ctx.session}/items", {"title": text, "duration": "5", **_question(text)}
    )
    if added.status_code == 422:
        assert payload not in ("script", "img", "htmx")  # markup is text, not an error
        return
    assert added.status_code == 303
    item = _newest(ctx.db_path, "agenda_items")
    assert ctx.facilitator.post(f"/sessions/{ctx.session}/live/start").status_code == 303
    went = ctx.facilitator.post(f"/sessions/{ctx.session}/live/go", {"item_id": str(item)})
    assert went.status_code == 303
    control = ctx.facilitator.client.get(f"/sessions/{ctx.session}/control").text
    present = ctx.facilitator.client.get(f"/sessions/{ctx.session}/present").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code
    phone = browser_of(app_client)
    token = CSRF_INPUT.search(phone.get("/").text)
    assert token
    joined = phone.post("/join", data={"code": code[1] + code[2], "csrf_token": token[1]})
    assert joined.status_code == 200
    shown = str(escape(_clean(text)))
    for where, html in (("control", control), ("presenter", present), ("phone", joined.text)):
        assert not _unescaped(html), where
        assert shown in html, where
    with phone.websocket_connect(
        f"/s/{code[1]}{code[2]}/ws", headers={"Origin": "http://testserver"}
    ) as socket:
        pushed = socket.receive_text()
    assert not _unescaped(pushed)
    assert shown in pushed
    phone.close()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_username_on_login_is_refused_and_echoed_as_text(
    app_client: TestClient, db_path: Path, payload: str
) -> None:
    client = browser_of(app_client, headers={"Accept-Language": "en"})
    token = CSRF_INPUT.search(client.get("/login").text)
    assert token
    response = client.post(
        "/login",
        data={"username": PAYLOADS[payload], "password": "whatever it is", "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert not _unescaped(response.text)
    assert _column(db_path, "SELECT count(*) FROM logins") == [0]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_username_on_invite_is_refused_and_echoed_as_text(ctx: Ctx, payload: str) -> None:
    before = _snapshot(ctx.db_path)
    response = ctx.facilitator.post(
        f"/programmes/{ctx.programme}/facilitators", {"username": PAYLOADS[payload]}
    )
    assert response.status_code == 422
    assert "No facilitator has that username." in response.text
    assert not _unescaped(response.text)
    assert _snapshot(ctx.db_path) == before


@pytest.mark.parametrize(
    ("payload", "problem"),
    [("100 KB", TOO_LONG % 200), ("NUL", NOT_ALLOWED)],
)
def test_a_refused_import_names_the_line_and_field(ctx: Ctx, payload: str, problem: str) -> None:
    """The editor's refusal names where the problem is; the agenda is left as it was."""
    good = {"title": "Fine", "duration": 5}
    data = tomli_w.dumps(
        {"samling_agenda": 1, "item": [good, {"title": PAYLOADS[payload], "duration": 5}]}
    ).encode()
    before = _snapshot(ctx.db_path)
    response = _import(ctx, data)
    assert response.status_code == 422
    assert re.search(r"Line \d+, item\[2\]\.title: " + re.escape(problem), response.text)
    assert _snapshot(ctx.db_path) == before


def test_a_raw_nul_byte_in_an_import_is_refused(ctx: Ctx) -> None:
    before = _snapshot(ctx.db_path)
    response = _import(ctx, b'samling_agenda = 1\n\n[[item]]\ntitle = "a\x00b"\nduration = 5\n')
    assert response.status_code == 422
    assert 'id="import-error"' in response.text
    assert _snapshot(ctx.db_path) == before


#: Strings that need care in TOML: quotes of both kinds, backslashes, a multi-line notes.
TOML_TRICKY = "'''\"\"\" \\ \\n \\u0041"


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p not in ("100 KB", "NUL")])
def test_the_export_of_hostile_text_round_trips(ctx: Ctx, payload: str) -> None:
    text = PAYLOADS[payload]
    title = f"{text} {TOML_TRICKY}"
    notes = f"{text}\n{TOML_TRICKY}\n\"\"\"\n'''"
    question = f"{text}\n{TOML_TRICKY}"
    c = ctx
    renamed = c.facilitator.post(f"/sessions/{c.session}", {"title": title})
    assert renamed.status_code == 303
    updated = c.facilitator.post(
        f"/sessions/{c.session}/items/{c.item}",
        {"title": title, "duration": "5", "notes": notes, **_question(question)},
    )
    assert updated.status_code == 303, updated.text
    export = c.facilitator.client.get(f"/sessions/{c.session}/agenda.toml")
    assert export.status_code == 200
    disposition = export.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="[a-z0-9-]+\.toml"', disposition), disposition
    parsed = tomllib.loads(export.text)
    item = parsed["item"][0]
    assert item["title"] == _clean(title)
    assert item["notes"] == _clean(notes)
    assert item["settings"]["question"] == _clean(question)
    # Into another session, and out again: the same file.
    other = c.facilitator.create_session(c.programme, "Other")
    files = {"file": ("agenda.toml", export.content, "application/toml")}
    imported = c.facilitator.post(f"/sessions/{other}/import", files=files)
    assert imported.status_code == 303, imported.text
    again = c.facilitator.client.get(f"/sessions/{other}/agenda.toml")
    assert again.text == export.text
    page = c.facilitator.client.get(f"/sessions/{other}").text
    assert not _unescaped(page)
    assert str(escape(_clean(title))) in page


@pytest.mark.parametrize(
    "item",
    [
        {"title": "T", "duration": 5, SCRIPT_KEY: 1},
        {"title": "T", "duration": 5, "kind": '"><img src=x onerror=alert(1)>'},
        {"title": "T", "duration": 5, "kind": "exercise", "exercise": "<div hx-get=/x>"},
        {
            "title": "T",
            "duration": 5,
            "kind": "exercise",
            "exercise": "open_text",
            "settings": {"question": "Q", "<script>alert(1)</script>": 1},
        },
    ],
    ids=["unknown key", "kind", "exercise kind", "setting name"],
)
def test_hostile_names_in_an_import_are_named_as_text(ctx: Ctx, item: dict[str, object]) -> None:
    """The refusal names the key or value it found; that name is shown as text."""
    data = tomli_w.dumps({"samling_agenda": 1, "item": [item]}).encode()
    before = _snapshot(ctx.db_path)
    response = _import(ctx, data)
    assert response.status_code == 422
    assert 'id="import-error"' in response.text
    assert not _unescaped(response.text)
    assert _snapshot(ctx.db_path) == before


def test_a_hostile_setting_name_in_the_item_form_is_shown_as_text(ctx: Ctx) -> None:
    before = _snapshot(ctx.db_path)
    response = ctx.facilitator.post(
        f"/sessions/{ctx.session}/items",
        {"title": "Q", "duration": "5", **_question("Q"), f"settings.{SCRIPT_KEY}": "1"},
    )
    assert response.status_code == 422
    assert "Unknown setting." in response.text
    assert str(escape(SCRIPT_KEY)) in response.text
    assert not _unescaped(response.text)
    assert _snapshot(ctx.db_path) == before
