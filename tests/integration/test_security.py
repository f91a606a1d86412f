"""The app's defences, walked from its route table: login, CSRF, headers, cookies, limits.

Every route of ``create_app`` is found here without anyone listing it: a view
must carry ``requires_login`` unless it is named in ``PUBLIC``, and each of its
methods is tried against real objects (programme, session, item, answer,
theme, co-facilitator), so a 404 cannot hide a missing check. Every refusal is
checked in the database too: nothing may change.
"""

from __future__ import annotations

import gc
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.conftest import (
    CSRF_INPUT,
    PASSWORD,
    Facilitator,
    browser_of,
    make_facilitator,
    next_message,
)
from tests.integration.db import changed as _changed
from tests.integration.db import one as _one
from tests.integration.db import rows, snapshot
from workshop.app import create_app, kind_registry
from workshop.auth import Throttle, token_hash
from workshop.services import Services
from workshop.settings import Settings

pytestmark = pytest.mark.usefixtures("quick_hashes")

EN = {"Accept-Language": "en"}
LOGIN_COOKIE = "samling_login"
#: The CSRF refusal's text; it comes before the login's language is known, so either.
CSRF_REFUSED = ("The form had expired or came from elsewhere.", "Skjemaet var utløpt")
SECRET = "secret programme"
NEW_PASSWORD = "a brand new passphrase"

#: Mounted folders of static files: public, and cacheable.
STATIC_MOUNTS = ("/static", "/vendor/")

#: Routes anyone may use, and why. Everything else needs a facilitator's login.
PUBLIC: dict[tuple[str, str], str] = {
    ("/", "GET"): "the phones' front page (type the join code)",
    ("/login", "GET"): "the login form",
    ("/login", "POST"): "checks a password; double-submit token (tested below)",
    ("/j/{code}", "GET"): "a QR code's join link",
    ("/join", "POST"): "a phone joins; double-submit token (tested below)",
    ("/s/{code}", "GET"): "a phone's live page; signed phone cookie",
    ("/s/{code}/items/{item_id:int}/do/{action:str}", "POST"): (
        "a phone's action on the current item (answer, vote, add a point...): phone cookie"
        " and phone token (tested below, for every action of every kind)"
    ),
    ("/s/{code}/items/{item_id:int}/own/{response_id:int}", "GET"): (
        "one of a phone's own answers with its edit form: phone cookie (tested below)"
    ),
    ("/s/{code}/items/{item_id:int}/mine/{name:str}", "GET"): (
        "a phone's own notes of a kind that follows the phone (its reflections): phone"
        " cookie; never another phone's (tests/integration/test_reflection.py)"
    ),
    ("/tilgjengelighet", "GET"): "the accessibility statement, for anyone (workshop/statement.py)",
    ("/accessibility", "GET"): "the accessibility statement's English address",
    ("/kinds.css", "GET"): "the exercise kinds' stylesheets, joined",
    ("/kinds.js", "GET"): "the exercise kinds' scripts, joined",
    ("/kinds/{kind}/{file}", "GET"): "a file an exercise kind names (the word cloud's font)",
}
#: Every phone action of every kind: each goes through the one route above.
PHONE_ACTIONS = sorted({a for kind in kind_registry(("exercises",)) for a in kind.phone_actions()})
#: Websockets check their login (or phone cookie) in the handshake, tested below.
SOCKETS = {
    "/sessions/{session_id:int}/ws": "a control panel or presenter screen: login cookie",
    "/s/{code}/ws": "a phone: signed phone cookie",
}


def _route_table() -> list[tuple[str, str, object]]:
    """(path, method, endpoint) for every route; HEAD goes with GET."""
    app = create_app(Settings(db_path=Path("never-opened.db")))
    found: list[tuple[str, str, object]] = []
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path.startswith(STATIC_MOUNTS), f"unexpected mount {route.path}"
            continue
        if isinstance(route, WebSocketRoute):
            found.append((route.path, "WEBSOCKET", route.endpoint))
            continue
        assert isinstance(route, Route), f"unexpected route type {route!r}"
        for method in sorted((route.methods or set()) - {"HEAD"}):
            found.append((route.path, method, route.endpoint))
    return found


ROUTES = _route_table()
PRIVATE = [(p, m) for p, m, _ in ROUTES if (p, m) not in PUBLIC and m != "WEBSOCKET"]
UNSAFE = [(p, m) for p, m in PRIVATE if m not in ("GET", "HEAD", "OPTIONS")]


def _fill(path: str, ids: dict[str, str]) -> str:
    """A route's path with real ids; ``{action}`` is a phone's or a facilitator's action."""

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name == "action":
            return ids["phone_action" if path.startswith("/s/") else "facilitator_action"]
        return ids[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def _snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (login sessions included)."""
    return snapshot(db_path, logins=True)


def _stranger(app_client: TestClient, **kwargs: object) -> TestClient:
    """Another browser on the same app: no cookies of its own."""
    return browser_of(app_client, headers=EN, **kwargs)


def _login_token(client: TestClient) -> str:
    """The login form's token (once logged in, the form is skipped: its cookie is the token)."""
    page = client.get("/login", follow_redirects=False)
    if page.status_code == 303:
        return str(client.cookies["samling_csrf"])
    found = CSRF_INPUT.search(page.text)
    assert found, "the login page has no CSRF field"
    return found[1]


def _log_in(client: TestClient, username: str = "anna", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": _login_token(client),
            "next": "/programmes",
        },
        follow_redirects=False,
    )


def _csrf_refusal(response: httpx2.Response) -> bool:
    return response.status_code == 403 and any(text in response.text for text in CSRF_REFUSED)


def _set_cookie(response: httpx2.Response, name: str) -> dict[str, str] | None:
    """The Set-Cookie of ``name`` as {"": value, attribute (lower case): value}."""
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = (part.strip() for part in header.split(";"))
        key, _, value = first.partition("=")
        if key == name:
            parsed = {"": value}
            for attribute in attributes:
                a_key, _, a_value = attribute.partition("=")
                parsed[a_key.lower()] = a_value
            return parsed
    return None


# --- real objects for every path parameter -----------------------------------------------

TOML_FILE = b'samling_agenda = 1\n\n[[item]]\ntitle = "Imported"\nduration = 5\n'


@dataclass
class World:
    """Anna's programme with everything a route can name (a group too), live, with one answer."""

    ids: dict[str, str]
    phone: TestClient
    phone_token: str


@pytest.fixture
def world(app_client: TestClient, facilitator: Facilitator, db_path: Path) -> Iterator[World]:
    make_facilitator(db_path, "carl")  # a co-facilitator, so removing one has a target
    make_facilitator(db_path, "dora")  # not yet invited, so inviting has a target
    programme = facilitator.create_programme("Anna's secret programme")
    session = facilitator.create_session(programme, "Anna's secret session")
    for item in (
        {
            "title": "Question",
            "duration": "10",
            "kind": "exercise",
            "exercise": "open_text",
            "settings.question": "What matters?",
            "settings.answers_per_phone": "5",
            "settings.max_length": "200",
        },
        {"title": "Coffee", "duration": "15", "kind": "break"},
    ):
        assert facilitator.post(f"/sessions/{session}/items", item).status_code == 303
    invited = facilitator.post(f"/programmes/{programme}/facilitators", {"username": "carl"})
    assert invited.status_code == 303
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    first, second = (
        int(str(r[0])) for r in rows(db_path, "SELECT id FROM agenda_items ORDER BY position")
    )
    themed = facilitator.post(
        f"/sessions/{session}/live/items/{first}/do/theme.add", {"name": "A theme"}
    )
    assert themed.status_code == 303, themed.text
    control = facilitator.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code, "no join code on the control panel"
    join_code = code[1] + code[2]

    phone = _stranger(app_client)
    token = CSRF_INPUT.search(phone.get("/").text)
    assert token
    joined = phone.post(
        "/join", data={"code": join_code, "csrf_token": token[1]}, follow_redirects=False
    )
    assert joined.status_code == 303, joined.text
    phone_token = re.search(r'data-token="([^"]+)"', phone.get(f"/s/{join_code}").text)
    assert phone_token, "no phone token on the live page"

    answered = phone.post(
        f"/s/{join_code}/items/{first}/do/answer",
        data={"csrf_token": phone_token[1], "idem_key": "a" * 16, "text": "An answer"},
        follow_redirects=False,
    )
    assert answered.status_code == 303, answered.text
    response = _one(db_path, "SELECT id FROM responses")
    # A group after the phone joined: with groups, a typed code first asks for the group.
    grouped = facilitator.post(
        f"/programmes/{programme}/groups", {"name": "Gygrene", "members": "Kari"}
    )
    assert grouped.status_code == 303
    group = _one(db_path, "SELECT id FROM groups")
    ids = {
        "programme_id": programme,
        "session_id": session,
        "item_id": first,
        "second_item": second,
        "facilitator_id": _one(db_path, "SELECT id FROM facilitators WHERE username = 'carl'"),
        "theme_id": _one(db_path, "SELECT id FROM themes"),
        "group_id": group,
        "response_id": response,
        "participant_id": _one(db_path, "SELECT id FROM participants"),
        # The actions the walk posts: a phone answers, a facilitator adds a theme.
        "phone_action": "answer",
        "facilitator_action": "theme.add",
        # A summary's download: the spreadsheet.
        "fmt": "xlsx",
        "code": join_code,
        # A kind's file: the word cloud's font.
        "kind": "word_cloud",
        "file": "cloud.ttf",
        # A phone's own notes, or a kind's file for the facilitator (an item of a kind that
        # keeps none, makes none: 404).
        "name": "reflections.txt",
    }
    yield World({k: str(v) for k, v in ids.items()}, phone, phone_token[1])
    phone.close()


def _payload(world: World) -> dict[str, object]:
    """Fields that make every route really change something when it is allowed to."""
    ids = world.ids
    return {
        "title": "Changed",
        "client": "Changed",
        "date": "2030-01-01",
        "place": "Changed",
        "confirm": "yes",
        "username": "dora",
        "start": "10:00",
        "duration": "7",
        "kind": "talk",
        "notes": "Changed",
        "direction": "down",
        "order": [ids["second_item"], ids["item_id"]],
        "by": "1",
        "item_id": ids["second_item"],
        "action": "start",
        "results": "show",
        "lock": "lock",
        "hidden": "yes",
        "highlighted": "yes",
        "set_theme": "1",
        "theme_id": ids["theme_id"],
        "name": "New theme",
        "language": "nb",
        "current": PASSWORD,
        "new": NEW_PASSWORD,
        "repeat": NEW_PASSWORD,
        "text": "Changed answer",
        "idem_key": "b" * 16,
        "group_id": ids["group_id"],
        "decision": "hide",
        "response": ids["response_id"],
    }


def _files() -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("agenda.toml", TOML_FILE, "application/toml")}


# --- the route table itself --------------------------------------------------------------


def test_the_allowlists_name_only_existing_routes() -> None:
    """A renamed public route must leave the allowlist, or it would shield its successor."""
    existing = {(p, m) for p, m, _ in ROUTES}
    assert set(PUBLIC) <= existing, set(PUBLIC) - existing
    sockets = {p for p, m, _ in ROUTES if m == "WEBSOCKET"}
    assert sockets == set(SOCKETS), "a websocket route was added or removed: check it below"


def test_the_walk_finds_the_facilitator_routes() -> None:
    """The walk itself works: it sees the routes the rest of this file relies on."""
    private = set(PRIVATE)
    for expected in (
        ("/programmes", "GET"),
        ("/programmes/{programme_id:int}/delete", "POST"),
        ("/sessions/{session_id:int}/import", "POST"),
        ("/sessions/{session_id:int}/items/{item_id:int}", "POST"),
        ("/logout", "POST"),
        ("/sessions/{session_id:int}/control/phones", "GET"),
        ("/sessions/{session_id:int}/live/items/{item_id:int}/moderate", "POST"),
        ("/sessions/{session_id:int}/live/items/{item_id:int}/do/{action:str}", "POST"),
    ):
        assert expected in private


@pytest.mark.parametrize(("path", "method"), PRIVATE)
def test_every_private_view_requires_login(path: str, method: str) -> None:
    endpoint = next(e for p, m, e in ROUTES if (p, m) == (path, method))
    assert getattr(endpoint, "requires_login", False) is True, f"{method} {path}"


# --- (a) without a login ------------------------------------------------------------------


def test_without_login_every_private_route_refuses_and_changes_nothing(
    app_client: TestClient, world: World, facilitator: Facilitator, db_path: Path
) -> None:
    before = _snapshot(db_path)
    # Even a valid CSRF token (stolen from a page) does not stand in for the login.
    data = {**_payload(world), "csrf_token": facilitator.csrf}
    strangers = {
        "no cookie": _stranger(app_client),
        "forged cookie": _stranger(app_client, cookies={LOGIN_COOKIE: "f" * 43}),
        "overlong cookie": _stranger(app_client, cookies={LOGIN_COOKIE: "f" * 5000}),
    }
    problems: list[str] = []
    for who, client in strangers.items():
        for path, method in PRIVATE:
            url = _fill(path, world.ids)
            for htmx in (False, True):
                headers = {"HX-Request": "true"} if htmx else {}
                response = client.request(
                    method,
                    url,
                    data=data if method != "GET" else None,
                    files=_files() if method != "GET" else None,
                    headers=headers,
                    follow_redirects=False,
                )
                where = f"{who}, {method} {url}{' (htmx)' if htmx else ''}"
                status = response.status_code
                if status == 303:
                    if not response.headers["location"].startswith("/login"):
                        problems.append(f"{where}: redirected to {response.headers['location']}")
                elif status == 401:
                    if not response.headers.get("hx-redirect", "").startswith("/login"):
                        problems.append(f"{where}: 401 without HX-Redirect to /login")
                elif status != 403:
                    problems.append(f"{where}: {status}")
                if SECRET in response.text.lower():
                    problems.append(f"{where}: shows anna's programme")
                changed = _changed(before, _snapshot(db_path))
                if changed:
                    problems.append(f"{where}: changed {changed}")
                    before = _snapshot(db_path)
        client.close()
    assert not problems, "\n".join(problems)


def test_without_login_the_facilitator_socket_is_refused(
    app_client: TestClient, world: World, facilitator: Facilitator
) -> None:
    url = f"/sessions/{world.ids['session_id']}/ws"
    origin = {"Origin": "http://testserver"}
    stranger = _stranger(app_client)
    with pytest.raises(WebSocketDisconnect), stranger.websocket_connect(url, headers=origin):
        pass
    # From another site's page, even anna's own browser is refused...
    evil = {"Origin": "http://evil.example"}
    with (
        pytest.raises(WebSocketDisconnect),
        facilitator.client.websocket_connect(url, headers=evil),
    ):
        pass
    # ...while her own page gets the control panel's state.
    with facilitator.client.websocket_connect(url + "?view=control", headers=origin) as socket:
        assert "id=" in socket.receive_text()


# --- (b) logged in, but without the login session's CSRF token -------------------------------


@pytest.mark.parametrize(("path", "method"), UNSAFE)
def test_every_change_needs_the_csrf_token(
    facilitator: Facilitator, world: World, db_path: Path, path: str, method: str
) -> None:
    url = _fill(path, world.ids)
    data = _payload(world)
    attempts: dict[str, tuple[dict[str, object], dict[str, str]]] = {
        "no token": ({}, {}),
        "empty token": ({"csrf_token": ""}, {}),
        "wrong token": ({"csrf_token": "x" * 43}, {}),
        "truncated token": ({"csrf_token": facilitator.csrf[:-1]}, {}),
        "wrong header (htmx)": ({}, {"X-CSRF-Token": "wrong", "HX-Request": "true"}),
        "empty header (htmx)": ({}, {"X-CSRF-Token": "", "HX-Request": "true"}),
    }
    before = _snapshot(db_path)
    for what, (extra, headers) in attempts.items():
        response = facilitator.client.request(
            method,
            url,
            data={**data, **extra},
            files=_files(),
            headers=headers,
            follow_redirects=False,
        )
        assert response.status_code == 403, (what, response.status_code)
        assert _csrf_refusal(response), what
        assert not _changed(before, _snapshot(db_path)), what
    if path in (
        "/sessions/{session_id:int}/live/groups",
        "/sessions/{session_id:int}/live/roles",
    ):
        # Forming groups on the spot needs connected phones and a programme without groups,
        # drawing roles a group-work item: tests/integration/test_group_fanout.py does both.
        return
    # The same request with the right token goes through: the refusals above were
    # the CSRF check's, not some other check's, and the payload does change things.
    allowed = facilitator.client.request(
        method,
        url,
        data={**data, "csrf_token": facilitator.csrf},
        files=_files(),
        follow_redirects=False,
    )
    assert allowed.status_code not in (403, 404), allowed.status_code
    assert allowed.status_code < 500
    if path != "/sessions/{session_id:int}/live/start":  # already started: nothing to do
        assert _changed(before, _snapshot(db_path)), "the control request changed nothing"


def test_a_csrf_token_belongs_to_one_login_session(
    app_client: TestClient, facilitator: Facilitator, world: World, db_path: Path
) -> None:
    """Anna's token from another login session (another browser) is refused here."""
    elsewhere = Facilitator(_stranger(app_client), "anna").login()
    assert elsewhere.csrf != facilitator.csrf
    before = _snapshot(db_path)
    problems = []
    for path, method in UNSAFE:
        url = _fill(path, world.ids)
        for data, headers in (
            ({"csrf_token": elsewhere.csrf}, {}),
            ({}, {"X-CSRF-Token": elsewhere.csrf, "HX-Request": "true"}),
        ):
            response = facilitator.client.request(
                method,
                url,
                data={**_payload(world), **data},
                files=_files(),
                headers=headers,
                follow_redirects=False,
            )
            if response.status_code != 403:
                problems.append(f"{method} {url}: {response.status_code}")
    assert not problems, problems
    assert not _changed(before, _snapshot(db_path))


def test_login_needs_its_double_submit_token(app_client: TestClient, db_path: Path) -> None:
    make_facilitator(db_path, "anna")
    before = _snapshot(db_path)
    right = {"username": "anna", "password": PASSWORD, "next": "/programmes"}

    def attempt(client: TestClient, token: str | None) -> httpx2.Response:
        data = dict(right) if token is None else {**right, "csrf_token": token}
        return client.post("/login", data=data, follow_redirects=False)

    other = _stranger(app_client)
    others_token = _login_token(other)

    fresh = _stranger(app_client)  # no cookie at all
    assert attempt(fresh, None).status_code == 403
    assert attempt(fresh, others_token).status_code == 403  # a token, but no cookie
    with_cookie = _stranger(app_client)
    own_token = _login_token(with_cookie)
    for token in (None, "", "x" * 43, others_token, own_token[:-1]):
        response = attempt(with_cookie, token)
        assert response.status_code == 403, token
        assert _csrf_refusal(response)
        assert _set_cookie(response, LOGIN_COOKIE) is None
    assert not _changed(before, _snapshot(db_path))
    # The control: the right pair logs in.
    done = attempt(with_cookie, own_token)
    assert done.status_code == 303
    assert _set_cookie(done, LOGIN_COOKIE) is not None


def test_public_changes_need_their_tokens_and_change_nothing(
    app_client: TestClient, world: World, db_path: Path
) -> None:
    """Joining needs the double-submit token; a phone's posts need its cookie and token."""
    before = _snapshot(db_path)
    code = world.ids["code"]
    fresh = _stranger(app_client)
    joined = fresh.post("/join", data={"code": code}, follow_redirects=False)
    assert joined.status_code == 403
    data = {
        "text": "Forged",
        "idem_key": "c" * 16,
        "response": world.ids["response_id"],
        "up": "1",
        "by": "1",
        "csrf_token": world.phone_token,
    }
    route = "/s/{code}/items/{item_id:int}/do/{action:str}"
    phone_posts = [_fill(route, {**world.ids, "phone_action": a}) for a in PHONE_ACTIONS]
    assert {"answer", "edit", "delete", "vote", "point.add", "note"} <= set(PHONE_ACTIONS)
    for url in phone_posts:
        # Without the phone's cookie, even with its token: sent back to join.
        response = fresh.post(url, data=data, follow_redirects=False)
        assert response.status_code in (303, 403), (url, response.status_code)
        # With the cookie but without (or with a wrong) form token: refused.
        for token in (None, "0" * 32):
            forged = {**data, "csrf_token": token} if token else {"text": "Forged"}
            response = world.phone.post(url, data=forged, follow_redirects=False)
            assert response.status_code == 403, (url, token, response.status_code)
    assert not _changed(before, _snapshot(db_path))
    # The control: with its cookie and its token, the phone's edit goes through.
    edited = world.phone.post(phone_posts[PHONE_ACTIONS.index("edit")], data=data)
    assert edited.status_code == 200, edited.text
    assert _changed(before, _snapshot(db_path)) == ["responses"]


def test_a_phone_gets_only_its_own_answer_to_edit(app_client: TestClient, world: World) -> None:
    """The Edit link's fragment: the phone's own answer, never another phone's."""
    code, item, answer = world.ids["code"], world.ids["item_id"], world.ids["response_id"]
    url = f"/s/{code}/items/{item}/own/{answer}"
    mine = world.phone.get(url, headers={"HX-Request": "true"})
    assert mine.status_code == 200 and "An answer" in mine.text
    other = _stranger(app_client)
    token = CSRF_INPUT.search(other.get("/").text)
    assert token
    joined = other.post("/join", data={"code": code, "group_step": "1", "csrf_token": token[1]})
    assert joined.status_code == 200 and 'id="live"' in joined.text  # another phone, joined
    theirs = other.get(url, headers={"HX-Request": "true"}, follow_redirects=False)
    assert theirs.status_code == 404 and "An answer" not in theirs.text
    stranger = _stranger(app_client).get(url, follow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["location"] == f"/j/{code}"
    assert "An answer" not in stranger.text


def test_no_get_changes_anything(
    app_client: TestClient, facilitator: Facilitator, world: World, db_path: Path
) -> None:
    """GETs carry no CSRF token, so none may write: a link on another site could follow it."""
    before = _snapshot(db_path)
    for path, method, _ in ROUTES:
        if method != "GET":
            continue
        url = _fill(path, world.ids)
        for client in (facilitator.client, world.phone, _stranger(app_client)):
            client.get(url, follow_redirects=False)
            client.head(url, follow_redirects=False)
            assert not _changed(before, _snapshot(db_path)), f"GET {url}"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n//evil.example",
        " //evil.example",
    ],
)
def test_login_sends_you_on_only_within_the_site(
    app_client: TestClient, db_path: Path, target: str
) -> None:
    make_facilitator(db_path, "anna")
    client = _stranger(app_client)
    response = client.post(
        "/login",
        data={
            "username": "anna",
            "password": PASSWORD,
            "csrf_token": _login_token(client),
            "next": target,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = response.headers["location"]
    # Browsers drop tabs and newlines from a URL and read a backslash as a slash.
    seen = re.sub(r"[\t\r\n]", "", location).replace("\\", "/")
    assert seen.startswith("/") and not seen.startswith("//"), location
    assert not re.search(r"[\x00-\x20]", location), location


# --- headers ----------------------------------------------------------------------------


def _csp(response: httpx2.Response) -> dict[str, list[str]]:
    policies = response.headers.get_list("content-security-policy")
    assert len(policies) == 1, policies
    directives: dict[str, list[str]] = {}
    for part in policies[0].split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def _check_headers(response: httpx2.Response, where: str, *, facilitator_page: bool) -> list[str]:
    problems = []
    policy = _csp(response)
    for name in ("object-src", "base-uri", "frame-ancestors"):
        if policy.get(name) != ["'none'"]:
            problems.append(f"{where}: {name} is {policy.get(name)}")
    scripts = policy.get("script-src", policy.get("default-src", []))
    if "'self'" not in scripts:
        problems.append(f"{where}: script-src {scripts}")
    loose = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "blob:"}
    if loose & set(scripts):
        problems.append(f"{where}: script-src allows {loose & set(scripts)}")
    header = response.headers["content-security-policy"]
    if "unsafe-inline" in header or "unsafe-eval" in header:
        problems.append(f"{where}: CSP has unsafe-*: {header}")
    if response.headers.get("x-content-type-options") != "nosniff":
        problems.append(f"{where}: no nosniff")
    if facilitator_page and "no-store" not in response.headers.get("cache-control", ""):
        problems.append(f"{where}: Cache-Control {response.headers.get('cache-control')}")
    return problems


def test_every_page_has_the_security_headers(
    app_client: TestClient, facilitator: Facilitator, world: World
) -> None:
    problems: list[str] = []
    for path, method, _ in ROUTES:
        if method != "GET":
            continue
        url = _fill(path, world.ids)
        client = world.phone if url.startswith(("/s/", "/j/")) else facilitator.client
        response = client.get(url, follow_redirects=False)
        # The world's item is open text, which keeps no notes of a phone's: 404 (its
        # headers are checked all the same).
        notes = path in (
            "/s/{code}/items/{item_id:int}/mine/{name:str}",
            # A kind's file for the facilitator: open text makes none either.
            "/sessions/{session_id:int}/items/{item_id:int}/files/{name:str}",
        )
        if response.status_code >= 400 and not (notes and response.status_code == 404):
            problems.append(f"GET {url}: {response.status_code}")
        problems += _check_headers(
            response, f"GET {url}", facilitator_page=(path, method) in PRIVATE
        )
    session = world.ids["session_id"]
    extra = {
        "editor with an item open": facilitator.client.get(
            f"/sessions/{session}?edit={world.ids['item_id']}"
        ),
        "the login page": _stranger(app_client).get("/login"),
        "a redirect to log in": _stranger(app_client).get("/programmes", follow_redirects=False),
        "a missing page": facilitator.client.get("/programmes/999999"),
        "a CSRF refusal": facilitator.client.post(f"/programmes/{world.ids['programme_id']}"),
        "a form error": facilitator.post("/programmes", {"title": ""}),
        "a too large body": facilitator.client.post(
            "/programmes", content=b"x" * (Settings().max_body_bytes + 1)
        ),
    }
    for where, response in extra.items():
        problems += _check_headers(response, where, facilitator_page=True)
    static = facilitator.client.get("/static/js/samling.js")
    assert static.status_code == 200
    problems += _check_headers(static, "a static file", facilitator_page=False)
    assert not problems, "\n".join(problems)


# --- the login cookie ---------------------------------------------------------------------


def test_the_login_cookie_is_httponly_and_samesite_lax(
    app_client: TestClient, db_path: Path
) -> None:
    make_facilitator(db_path, "anna")
    response = _log_in(_stranger(app_client))
    assert response.status_code == 303
    cookie = _set_cookie(response, LOGIN_COOKIE)
    assert cookie is not None
    assert "httponly" in cookie
    assert cookie.get("samesite", "").lower() == "lax"
    assert cookie.get("path") == "/"
    assert "domain" not in cookie  # host-only
    assert len(cookie[""]) >= 32


def test_over_https_the_login_cookie_is_secure_and_host_prefixed(
    settings: Settings, db_path: Path
) -> None:
    make_facilitator(db_path, "anna")
    with TestClient(create_app(settings), base_url="https://testserver", headers=EN) as client:
        form = client.get("/login")
        anon = _set_cookie(form, "__Host-samling_csrf")
        assert anon is not None and "secure" in anon and "httponly" in anon
        response = _log_in(client)
        assert response.status_code == 303, response.text
        assert _set_cookie(response, LOGIN_COOKIE) is None
        cookie = _set_cookie(response, "__Host-samling_login")
        assert cookie is not None
        assert "secure" in cookie and "httponly" in cookie
        assert cookie.get("samesite", "").lower() == "lax"
        assert cookie.get("path") == "/" and "domain" not in cookie
        assert client.get("/programmes", follow_redirects=False).status_code == 200
        # The same token under the unprefixed name (a sibling subdomain could set
        # that one) is not accepted over HTTPS.
        planted = browser_of(client, cookies={LOGIN_COOKIE: cookie[""]})
        assert planted.get("/programmes", follow_redirects=False).status_code == 303


def test_login_issues_a_new_cookie_value_every_time(app_client: TestClient, db_path: Path) -> None:
    """No session fixation: a value planted before login is never the one logged in."""
    make_facilitator(db_path, "anna")
    planted = "p" * 43
    client = _stranger(app_client, cookies={LOGIN_COOKIE: planted})
    values = []
    for _ in range(3):
        response = _log_in(client)
        assert response.status_code == 303
        cookie = _set_cookie(response, LOGIN_COOKIE)
        assert cookie is not None
        values.append(cookie[""])
    assert planted not in values
    assert len(set(values)) == 3
    replay = _stranger(app_client, cookies={LOGIN_COOKIE: planted})
    assert replay.get("/programmes", follow_redirects=False).status_code == 303


def test_logout_ends_the_login_on_the_server(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    old = facilitator.client.cookies.get(LOGIN_COOKIE)
    assert old
    response = facilitator.post("/logout")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    cleared = _set_cookie(response, LOGIN_COOKIE)
    assert cleared is not None and cleared[""] in ("", '""')
    assert _one(db_path, "SELECT count(*) FROM logins WHERE token_hash = ?", token_hash(old)) == 0
    # The old value, replayed (a copied cookie), no longer opens anything.
    replay = _stranger(app_client, cookies={LOGIN_COOKIE: old})
    assert replay.get("/programmes", follow_redirects=False).status_code == 303
    changed = replay.post(
        "/programmes",
        data={"title": "After logout", "csrf_token": facilitator.csrf},
        follow_redirects=False,
    )
    assert changed.status_code == 303 and changed.headers["location"].startswith("/login")
    assert _one(db_path, "SELECT count(*) FROM programmes") == 0


def test_a_password_change_ends_every_login_of_the_account(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    laptop = Facilitator(_stranger(app_client), "anna").login()  # anna's other browser
    old_here = facilitator.client.cookies.get(LOGIN_COOKIE)
    old_there = laptop.client.cookies.get(LOGIN_COOKIE)
    assert old_here and old_there and old_here != old_there
    changed = facilitator.post(
        "/account/password", {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert changed.status_code == 303, changed.text
    new_cookie = _set_cookie(changed, LOGIN_COOKIE)
    assert new_cookie is not None and new_cookie[""] not in (old_here, old_there)
    for old in (old_here, old_there):
        replay = _stranger(app_client, cookies={LOGIN_COOKIE: old})
        assert replay.get("/programmes", follow_redirects=False).status_code == 303
    assert laptop.client.get("/programmes", follow_redirects=False).status_code == 303
    # This browser carries on with its new login; the old password is gone.
    assert facilitator.client.get("/programmes", follow_redirects=False).status_code == 200
    assert _one(db_path, "SELECT count(*) FROM logins") == 1
    assert _log_in(_stranger(app_client)).status_code == 401
    assert _log_in(_stranger(app_client), password=NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize("ending", ["logout", "password change"])
def test_an_open_screen_stops_with_the_login_it_was_opened_with(
    app_client: TestClient, facilitator: Facilitator, world: World, ending: str
) -> None:
    """A control panel left open (or opened with a stolen cookie) is no login of its own."""
    session = world.ids["session_id"]
    cookie = facilitator.client.cookies.get(LOGIN_COOKIE)
    screen = _stranger(app_client, cookies={LOGIN_COOKIE: cookie})
    with screen.websocket_connect(
        f"/sessions/{session}/ws?view=control", headers={"Origin": "http://testserver"}
    ) as socket:
        assert "control" in socket.receive_text()
        step = f"/sessions/{session}/live/step"
        assert facilitator.post(step, {"by": "1"}).status_code == 303
        pushed = next_message(socket)
        assert pushed is not None and pushed["type"] == "websocket.send"  # while logged in
        if ending == "logout":
            assert facilitator.post("/logout").status_code == 303
        else:
            changed = facilitator.post(
                "/account/password",
                {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
            )
            assert changed.status_code == 303
        # Something happens in the session; the ended login must not see it.
        driver = Facilitator(_stranger(app_client), "anna")
        driver.password = NEW_PASSWORD if ending == "password change" else PASSWORD
        driver.login()
        assert driver.post(step, {"by": "-1"}).status_code == 303
        # The next push finds the login ended: the screen is closed instead (1008).
        message = next_message(socket)
        assert message is not None, f"after the {ending}, the socket stayed open"
        assert message["type"] == "websocket.close" and message["code"] == 1008, (
            f"after the {ending}, the socket still got: {str(message.get('text'))[:80]}"
        )


# --- limits -----------------------------------------------------------------------------


def test_a_body_over_the_limit_gets_413(
    app_client: TestClient, facilitator: Facilitator, settings: Settings, db_path: Path
) -> None:
    limit = settings.max_body_bytes
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    title = "x" * limit
    body = f"csrf_token={facilitator.csrf}&title={title}".encode()
    declared = facilitator.client.post("/programmes", content=body, headers=form)
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield f"csrf_token={facilitator.csrf}&title=".encode()
        for _ in range(limit // 10_000 + 1):
            yield b"x" * 10_000

    streamed = facilitator.client.post("/programmes", content=chunks(), headers=form)
    assert streamed.status_code == 413
    anonymous = _stranger(app_client).post("/login", content=b"u" * (limit + 1), headers=form)
    assert anonymous.status_code == 413
    # Just under the limit the form is read (and the title refused as too long).
    under = f"csrf_token={facilitator.csrf}&title={'x' * (limit - 200)}".encode()
    assert len(under) <= limit
    read = facilitator.client.post("/programmes", content=under, headers=form)
    assert read.status_code == 422
    assert "At most 200 characters." in read.text
    assert _one(db_path, "SELECT count(*) FROM programmes") == 0


def test_unknown_user_and_wrong_password_get_the_same_answer(
    app_client: TestClient, db_path: Path
) -> None:
    make_facilitator(db_path, "anna")
    client = _stranger(app_client)
    unknown = _log_in(client, "nobody-here", "wrong password")
    wrong = _log_in(client, "anna", "wrong password")
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong username or password." in unknown.text
    assert unknown.text.replace("nobody-here", "anna") == wrong.text
    assert _set_cookie(unknown, LOGIN_COOKIE) is None and _set_cookie(wrong, LOGIN_COOKIE) is None


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_repeated_failures_slow_that_account_from_that_address_only(
    app_client: TestClient, db_path: Path
) -> None:
    make_facilitator(db_path, "anna")
    clock = _Clock()  # frozen: "right after the last failure" whatever the machine's speed
    services: Services = app_client.app.state.services  # type: ignore[attr-defined]
    services.throttle = Throttle(clock=clock)
    here = _stranger(app_client)
    for _ in range(Throttle.FREE):
        failed = _log_in(here, password="wrong password")
        assert failed.status_code == 401
        assert "Wrong username or password." in failed.text
    for username, headers in (
        ("anna", {}),
        ("ANNA ", {}),  # the same account, typed differently
        ("anna", {"X-Forwarded-For": "10.9.9.9"}),  # a header is not an address
    ):
        refused = here.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": _login_token(here)},
            headers=headers,
            follow_redirects=False,
        )
        assert refused.status_code == 429, (username, refused.status_code)
        assert "Too many attempts" in refused.text
        assert _set_cookie(refused, LOGIN_COOKIE) is None
    assert _one(db_path, "SELECT count(*) FROM logins") == 0
    # The real user elsewhere is not shut out by someone guessing from here.
    elsewhere = browser_of(app_client, headers=EN, client=("10.0.0.9", 123))
    assert _log_in(elsewhere).status_code == 303
    # And here, once the wait has passed, the right password works again.
    clock.now += 2.0
    assert _log_in(here).status_code == 303


def test_an_uploaded_file_is_closed_after_the_request(
    facilitator: Facilitator, world: World
) -> None:
    """An upload's buffer is freed with its request, imported or refused (no leak)."""
    url = f"/sessions/{world.ids['session_id']}/import"
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        imported = facilitator.post(url, files=_files())
        refused = facilitator.client.post(url, files=_files(), follow_redirects=False)
        gc.collect()
    assert imported.status_code == 303 and refused.status_code == 403
    unclosed = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not unclosed, unclosed
