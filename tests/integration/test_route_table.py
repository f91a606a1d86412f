"""Every route of the app, walked from its route table: login and CSRF cannot be forgotten.

A new facilitator route is checked here without anyone listing it; only the
phone's routes and the login page are public, and they are named below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.testclient import TestClient

from tests.conftest import Facilitator, browser_of
from tests.integration.db import one, rows, snapshot
from workshop.app import create_app
from workshop.settings import Settings

#: Routes anyone may use: the login form, the phones (who have no login; their own
#: cookie and form token are checked in tests/integration/test_phones.py and
#: test_security.py), the exercise kinds' stylesheet, script and files, and the
#: accessibility statement (under both its addresses).
PUBLIC = {
    ("/login", "GET"),
    ("/login", "POST"),
    ("/", "GET"),
    ("/j/{code}", "GET"),
    ("/join", "POST"),
    ("/s/{code}", "GET"),
    ("/s/{code}/items/{item_id:int}/do/{action:str}", "POST"),
    ("/s/{code}/items/{item_id:int}/own/{response_id:int}", "GET"),
    ("/s/{code}/items/{item_id:int}/mine/{name:str}", "GET"),
    ("/kinds.css", "GET"),
    ("/kinds.js", "GET"),
    ("/kinds/{kind}/{file}", "GET"),
    ("/tilgjengelighet", "GET"),
    ("/accessibility", "GET"),
}
PUBLIC_SOCKETS = {"/s/{code}/ws"}
STATIC = ("/static", "/vendor/")


def _routes() -> list[tuple[str, str, object]]:
    app = create_app(Settings(db_path=Path("unused.db")))
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path.startswith(STATIC), f"unexpected mount {route.path}"
            continue
        if isinstance(route, WebSocketRoute):
            found.append((route.path, "WEBSOCKET", route.endpoint))
            continue
        assert isinstance(route, Route)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            found.append((route.path, method, route.endpoint))
    return found


ROUTES = _routes()
PRIVATE = [(p, m) for p, m, _ in ROUTES if (p, m) not in PUBLIC and m != "WEBSOCKET"]


def _fill(path: str, ids: dict[str, int | str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(ids[m[1]]), path)


@pytest.fixture
def ids(facilitator: Facilitator, db_path: Path) -> dict[str, int | str]:
    """Real objects for every path parameter, so a 404 cannot hide a missing check."""
    programme = facilitator.create_programme("Anna's secret programme")
    session = facilitator.create_session(programme)
    facilitator.post(
        f"/sessions/{session}/items",
        {
            "title": "Q",
            "duration": "5",
            "kind": "exercise",
            "exercise": "open_text",
            "settings.question": "Why?",
        },
    )
    facilitator.post(f"/sessions/{session}/live/start")
    item = one(db_path, "SELECT id FROM agenda_items")
    themed = facilitator.post(
        f"/sessions/{session}/live/items/{item}/do/theme.add", {"name": "A theme"}
    )
    assert themed.status_code == 303, themed.text
    facilitator.post(f"/programmes/{programme}/groups", {"name": "A group"})
    return {
        "programme_id": programme,
        "session_id": session,
        "item_id": int(str(item)),
        "theme_id": int(str(one(db_path, "SELECT id FROM themes"))),
        "group_id": int(str(one(db_path, "SELECT id FROM groups"))),
        "facilitator_id": int(str(one(db_path, "SELECT id FROM facilitators"))),
        "response_id": 1,
        "participant_id": 1,
        # The facilitator's action on the current item (its theme, given in the form).
        "action": "theme.delete",
        # A summary's download: the spreadsheet.
        "fmt": "xlsx",
        # A kind's file of an item (open text makes none).
        "name": "words.txt",
    }


def test_the_public_list_names_only_existing_routes() -> None:
    existing = {(p, m) for p, m, _ in ROUTES}
    assert PUBLIC <= existing
    assert PUBLIC_SOCKETS <= {p for p, m, _ in ROUTES if m == "WEBSOCKET"}


def test_the_walk_finds_the_live_routes() -> None:
    """The generic action routes, moderation, the phones' list and the kinds' files are in
    the table the tests below walk (a rename would otherwise go unchecked)."""
    private = set(PRIVATE)
    live = "/sessions/{session_id:int}/live/items/{item_id:int}"
    for expected in (
        (live + "/do/{action:str}", "POST"),
        (live + "/moderate", "POST"),
        ("/sessions/{session_id:int}/control/phones", "GET"),
        ("/sessions/{session_id:int}/items/{item_id:int}/files/{name:str}", "GET"),
    ):
        assert expected in private, expected
    for expected in (
        ("/s/{code}/items/{item_id:int}/do/{action:str}", "POST"),
        ("/kinds.css", "GET"),
        ("/kinds.js", "GET"),
        ("/kinds/{kind}/{file}", "GET"),
    ):
        assert expected in PUBLIC, expected


def test_the_kinds_files_need_no_login_and_serve_only_what_a_kind_names(
    app_client: TestClient,
) -> None:
    stranger = browser_of(app_client)
    css = stranger.get("/kinds.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "/* word_cloud */" in css.text
    script = stranger.get("/kinds.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    # Revalidated by its ETag: a phone on bad 4G downloads it once.
    again = stranger.get("/kinds.css", headers={"If-None-Match": css.headers["etag"]})
    assert again.status_code == 304
    font = stranger.get("/kinds/word_cloud/cloud.ttf")
    assert font.status_code == 200 and len(font.content) > 1000
    for missing in (
        "/kinds/word_cloud/nothing.ttf",
        "/kinds/nothing/cloud.ttf",
        "/kinds/word_cloud/..%2F..%2Frun.py",
        "/kinds/word_cloud/word_cloud.py",
        "/static/fonts/cloud.ttf",
    ):
        assert stranger.get(missing).status_code == 404, missing


@pytest.mark.parametrize(("path", "method"), PRIVATE)
def test_every_private_route_is_marked_for_login(path: str, method: str) -> None:
    endpoint = next(e for p, m, e in ROUTES if (p, m) == (path, method))
    assert getattr(endpoint, "requires_login", False), f"{method} {path} lacks requires_login"


def test_without_login_every_private_route_refuses_and_changes_nothing(
    app_client: TestClient, ids: dict[str, int | str], db_path: Path
) -> None:
    before = snapshot(db_path)
    stranger = browser_of(app_client)
    for path, method in PRIVATE:
        response = stranger.request(
            method,
            _fill(path, ids),
            follow_redirects=False,
            data={"title": "x", "name": "x"} if method != "GET" else None,
        )
        assert response.status_code in (303, 401, 403), (method, path, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login")
    assert snapshot(db_path) == before


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_logged_in_without_a_valid_csrf_token_every_change_is_refused(
    facilitator: Facilitator, ids: dict[str, int | str], db_path: Path, token: str | None
) -> None:
    before = snapshot(db_path)
    for path, method in PRIVATE:
        if method == "GET":
            continue
        data: dict[str, str] = {
            "title": "x",
            "name": "x",
            "confirm": "yes",
            "by": "1",
            "action": "start",
            "results": "hide",
            "hidden": "yes",
            "direction": "up",
            "language": "en",
            "username": "anna",
        }
        if token is not None:
            data["csrf_token"] = token
        response = facilitator.client.request(
            method, _fill(path, ids), data=data, follow_redirects=False
        )
        assert response.status_code == 403, (method, path, response.status_code)
        headers = {"X-CSRF-Token": "wrong"} if token else {}
        response = facilitator.client.request(
            method,
            _fill(path, ids),
            data=data,
            headers={"HX-Request": "true", **headers},
            follow_redirects=False,
        )
        assert response.status_code == 403, (method, path, response.status_code)
    assert snapshot(db_path) == before


def test_anonymous_forms_need_their_double_submit_token(app_client: TestClient) -> None:
    for path in ("/login", "/join"):
        fresh = browser_of(app_client)
        refused = fresh.post(
            path, data={"username": "anna", "password": "x", "code": "1"}, follow_redirects=False
        )
        assert refused.status_code == 403, path


def test_another_facilitator_cannot_read_or_change_by_guessing_ids(
    facilitator: Facilitator, other_client: Facilitator, ids: dict[str, int | str], db_path: Path
) -> None:
    before = snapshot(db_path)
    for path, method in PRIVATE:
        if "{" not in path:
            continue  # bjorn's own pages (list, account): nothing of anna's in them
        data = {
            "csrf_token": other_client.csrf,
            "title": "Mine now",
            "name": "x",
            "confirm": "yes",
            "by": "1",
            "action": "start",
            "results": "hide",
            "hidden": "yes",
            "direction": "up",
            "username": "bjorn",
            "item_id": "1",
            "lock": "lock",
            # What the item's own actions and moderation need, so a 404 is the access check's.
            "theme": str(ids["theme_id"]),
            "decision": "approve-all",
            "response": "1",
        }
        response = other_client.client.request(
            method, _fill(path, ids), data=data if method != "GET" else None, follow_redirects=False
        )
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert "secret programme" not in response.text
    assert snapshot(db_path) == before
    listing = other_client.client.get("/programmes").text
    assert "secret programme" not in listing


def test_a_co_facilitator_may_edit_but_not_delete_or_invite(
    facilitator: Facilitator, other_client: Facilitator, ids: dict[str, int | str], db_path: Path
) -> None:
    programme = ids["programme_id"]
    invited = facilitator.post(f"/programmes/{programme}/facilitators", {"username": "bjorn"})
    assert invited.status_code == 303
    assert other_client.client.get(f"/programmes/{programme}").status_code == 200
    renamed = other_client.post(f"/programmes/{programme}", {"title": "Renamed", "client": ""})
    assert renamed.status_code == 303
    assert (
        other_client.post(f"/programmes/{programme}/delete", {"confirm": "yes"}).status_code == 403
    )
    assert (
        other_client.post(f"/programmes/{programme}/facilitators", {"username": "anna"}).status_code
        == 403
    )
    assert rows(db_path, "SELECT title FROM programmes") == [("Renamed",)]
