"""Facilitators see only their own programmes, whatever ids they guess.

Anna owns a programme with a live session, agenda items, an answer and a
theme; Bjorn, logged in on the same server, tries every route that names one of
her objects. He must get 404 (the programme's existence is no business of his:
not 403, not 200, never 500) and her data must stay as it was. Once she invites
him he may see and edit, but only she may delete the programme or invite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from facilitator.routes import routes as facilitator_routes
from tests.conftest import Facilitator, browser_of, make_facilitator, next_message
from tests.integration.db import rows as _rows
from tests.integration.db import snapshot as _snapshot

SECRETS = ("Anna's secret programme", "Anna's secret session", "Secret question")
pytestmark = pytest.mark.usefixtures("quick_hashes")


def _routes_naming_objects() -> list[tuple[str, str]]:
    """Every facilitator route with a programme or session in its path."""
    found = []
    for route in facilitator_routes:
        if isinstance(route, Route) and (
            "{programme_id" in route.path or "{session_id" in route.path
        ):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                found.append((route.path, method))
    return found


ROUTES = _routes_naming_objects()

TOML_FILE = b'samling_agenda = 1\n\n[[item]]\ntitle = "Bjorn was here"\nduration = 5\n'


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: ids[m[1]], path)


def _live_session(
    person: Facilitator, programme_title: str, session_title: str, question: str
) -> dict[str, int]:
    """A programme, a session with two items (a question first), started, with a theme."""
    programme = person.create_programme(programme_title)
    session = person.create_session(programme, session_title)
    for item in (
        {
            "title": "Question",
            "duration": "10",
            "kind": "exercise",
            "exercise": "open_text",
            "settings.question": question,
            "settings.answers_per_phone": "3",
        },
        {"title": "Coffee", "duration": "15", "kind": "break"},
    ):
        assert person.post(f"/sessions/{session}/items", item).status_code == 303
    assert person.post(f"/sessions/{session}/live/start").status_code == 303
    control = person.client.get(f"/sessions/{session}/control").text
    question = int(re.findall(r'id="control-item-(\d+)"', control)[0])
    themed = person.post(
        f"/sessions/{session}/live/items/{question}/do/theme.add", {"name": "Theme"}
    )
    assert themed.status_code == 303, themed.text
    return {"programme_id": programme, "session_id": session, "item_id": question}


def _answer(person: Facilitator, session: int, item: int, text: str) -> None:
    """A phone joins the session (on the app the person drives) and answers the item."""
    control = person.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code
    join_code = code[1] + code[2]
    phone = browser_of(person.client)
    token = re.search(r'name="csrf_token" value="([^"]+)"', phone.get("/").text)
    assert token
    phone.post("/join", data={"code": join_code, "csrf_token": token[1]})
    phone_token = re.search(r'data-token="([^"]+)"', phone.get(f"/s/{join_code}").text)
    assert phone_token
    answered = phone.post(
        f"/s/{join_code}/items/{item}/do/answer",
        data={"csrf_token": phone_token[1], "idem_key": "k" * 16, "text": text},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    phone.close()


@dataclass
class Annas:
    """Ids of anna's objects (as path strings) and the phone's answer."""

    ids: dict[str, str]


@pytest.fixture
def annas(
    app_client: TestClient, facilitator: Facilitator, other_client: Facilitator, db_path: Path
) -> Annas:
    made = _live_session(
        facilitator, "Anna's secret programme", "Anna's secret session", "Secret question"
    )
    make_facilitator(db_path, "carl")
    invited = facilitator.post(
        f"/programmes/{made['programme_id']}/facilitators", {"username": "carl"}
    )
    assert invited.status_code == 303
    _answer(facilitator, made["session_id"], made["item_id"], "Anna's answer")
    items = [r[0] for r in _rows(db_path, "SELECT id FROM agenda_items ORDER BY position")]
    # A group after the phone joined: with groups, a typed code first asks for the group.
    grouped = facilitator.post(f"/programmes/{made['programme_id']}/groups", {"name": "Group"})
    assert grouped.status_code == 303
    ids = {
        **made,
        "second_item": items[1],
        "theme_id": _rows(db_path, "SELECT id FROM themes")[0][0],
        "response_id": _rows(db_path, "SELECT id FROM responses")[0][0],
        "group_id": _rows(db_path, "SELECT id FROM groups")[0][0],
        "participant_id": _rows(db_path, "SELECT id FROM participants")[0][0],
        "facilitator_id": _rows(db_path, "SELECT id FROM facilitators WHERE username = 'carl'")[0][
            0
        ],
        # The current item's own action: marks on her answer (the form says which).
        "action": "mark",
        # A summary's download: the spreadsheet.
        "fmt": "xlsx",
        # A kind's file of an item (open text makes none: 404 for anna too; the files of a
        # kind that makes them: tests/integration/test_drafts.py).
        "name": "words.txt",
    }
    return Annas({k: str(v) for k, v in ids.items()})


def _payload(ids: dict[str, str], csrf: str) -> dict[str, object]:
    """A form that would change something on every route, were it allowed."""
    return {
        "csrf_token": csrf,
        "title": "Mine now",
        "client": "Bjorn",
        "date": "2030-01-01",
        "place": "Elsewhere",
        "confirm": "yes",
        "username": "bjorn",
        "duration": "7",
        "kind": "talk",
        "notes": "Bjorn was here",
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
        "name": "Bjorn's theme",
        "response": ids["response_id"],
        "theme": ids["theme_id"],
        "decision": "hide",
    }


def _files() -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("agenda.toml", TOML_FILE, "application/toml")}


def test_the_walk_covers_every_page_and_change_of_a_programme() -> None:
    walked = set(ROUTES)
    p, s, i = "/programmes/{programme_id:int}", "/sessions/{session_id:int}", "/items/{item_id:int}"
    for expected in (
        (p, "GET"),
        (p, "POST"),
        (p + "/delete", "POST"),
        (p + "/sessions", "POST"),
        (p + "/facilitators", "POST"),
        (s, "GET"),
        (s + "/agenda.toml", "GET"),
        (s + "/import", "POST"),
        (s + "/items", "POST"),
        (s + "/order", "POST"),
        (s + i, "POST"),
        (s + i + "/delete", "POST"),
        (s + i + "/move", "POST"),
        (s + i + "/files/{name:str}", "GET"),
        (s + "/control/phones", "GET"),
        (s + "/live" + i + "/moderate", "POST"),
        (s + "/live" + i + "/do/{action:str}", "POST"),
    ):
        assert expected in walked, expected


def test_another_facilitator_gets_404_for_everything_of_annas(
    annas: Annas, facilitator: Facilitator, other_client: Facilitator, db_path: Path
) -> None:
    # The ids are real: anna herself reaches every page with them.
    for path, method in ROUTES:
        if method == "GET":
            url = _fill(path, annas.ids)
            reached = (200, 204, 404) if path.endswith("/files/{name:str}") else (200, 204)
            assert facilitator.client.get(url).status_code in reached, url
    before = _snapshot(db_path)
    data = _payload(annas.ids, other_client.csrf)
    problems = []
    for path, method in ROUTES:
        url = _fill(path, annas.ids)
        for htmx in (False, True):
            response = other_client.client.request(
                method,
                url,
                data=data if method != "GET" else None,
                files=_files() if method != "GET" else None,
                headers={"HX-Request": "true"} if htmx else {},
                follow_redirects=False,
            )
            where = f"{method} {url}{' (htmx)' if htmx else ''}"
            if response.status_code != 404:
                problems.append(f"{where}: {response.status_code}")
            if any(secret in response.text for secret in SECRETS):
                problems.append(f"{where}: shows anna's data")
    assert not problems, "\n".join(problems)
    assert _snapshot(db_path) == before
    listing = other_client.client.get("/programmes").text
    assert not any(secret in listing for secret in SECRETS)


def test_the_404_is_the_same_as_for_a_programme_that_does_not_exist(
    annas: Annas, other_client: Facilitator
) -> None:
    """Guessing ids does not even tell whether a programme exists."""
    for path in ("/programmes/{}", "/sessions/{}", "/sessions/{}/agenda.toml"):
        key = "programme_id" if path.startswith("/programmes") else "session_id"
        real = other_client.client.get(path.format(annas.ids[key]))
        missing = other_client.client.get(path.format(987654))
        assert real.status_code == missing.status_code == 404
        assert real.text == missing.text


def test_another_facilitator_cannot_watch_annas_session_live(
    annas: Annas, other_client: Facilitator
) -> None:
    url = f"/sessions/{annas.ids['session_id']}/ws"
    for view in ("control", "present"):
        with (
            pytest.raises(WebSocketDisconnect),
            other_client.client.websocket_connect(
                f"{url}?view={view}", headers={"Origin": "http://testserver"}
            ),
        ):
            pass


def test_annas_objects_cannot_be_reached_through_bjorns_own_session(
    annas: Annas, other_client: Facilitator, db_path: Path
) -> None:
    """Bjorn's own session in the path, one of anna's ids in the rest of the request."""
    own = _live_session(other_client, "Bjorn's programme", "Bjorn's session", "Why?")
    session = own["session_id"]
    before = _snapshot(db_path)
    item, second = annas.ids["item_id"], annas.ids["second_item"]
    for url in (
        f"/sessions/{session}/items/{item}",
        f"/sessions/{session}/items/{item}/delete",
        f"/sessions/{session}/items/{item}/move",
    ):
        data = {"title": "Mine now", "duration": "1", "kind": "talk", "direction": "down"}
        assert other_client.post(url, data).status_code == 404, url
    assert other_client.client.get(f"/sessions/{session}?edit={item}").status_code == 200
    assert "Secret question" not in other_client.client.get(f"/sessions/{session}?edit={item}").text
    reordered = other_client.post(f"/sessions/{session}/order", {"order": [second, item]})
    assert reordered.status_code == 409
    went = other_client.post(f"/sessions/{session}/live/go", {"item_id": item})
    assert went.status_code == 404
    # His own current item in the path, her answer or theme in the form.
    _answer(other_client, session, own["item_id"], "Bjorn's answer")
    before = _snapshot(db_path)
    live = f"/sessions/{session}/live/items/{own['item_id']}"
    bjorns = _rows(db_path, "SELECT id FROM responses WHERE value LIKE '%Bjorn%'")[0][0]
    response, theme = annas.ids["response_id"], annas.ids["theme_id"]
    for url, data in (
        (live + "/do/mark", {"response": response, "hidden": "yes"}),
        (live + "/do/mark", {"response": response, "highlighted": "yes"}),
        (live + "/do/mark", {"response": response, "set_theme": "1", "theme_id": ""}),
        (live + "/do/mark", {"response": bjorns, "set_theme": "1", "theme_id": theme}),
        (live + "/do/theme.delete", {"theme": theme}),
        (live + "/moderate", {"decision": "hide", "response": response}),
        (live + "/moderate", {"decision": "approve", "response": response}),
        # Her item in the path of his session: not the current one there.
        (f"/sessions/{session}/live/items/{item}/do/mark", {"response": response, "hidden": "yes"}),
        (f"/sessions/{session}/live/items/{item}/do/theme.delete", {"theme": theme}),
    ):
        refused = other_client.post(url, data)
        assert refused.status_code == 404, (url, data, refused.status_code)
        assert "Anna" not in refused.text
    carl = annas.ids["facilitator_id"]
    other_client.post(f"/programmes/{own['programme_id']}/facilitators/{carl}/remove")
    assert _snapshot(db_path) == before


def test_an_invited_co_facilitator_may_see_and_edit(
    annas: Annas, facilitator: Facilitator, other_client: Facilitator, db_path: Path
) -> None:
    programme, session = annas.ids["programme_id"], annas.ids["session_id"]
    item, second = annas.ids["item_id"], annas.ids["second_item"]
    invited = facilitator.post(f"/programmes/{programme}/facilitators", {"username": "bjorn"})
    assert invited.status_code == 303
    bjorn = other_client
    listing = bjorn.client.get("/programmes").text
    assert "Anna&#39;s secret programme" in listing and "Co-facilitator" in listing
    for url in (
        f"/programmes/{programme}",
        f"/sessions/{session}",
        f"/sessions/{session}?edit={item}",
        f"/sessions/{session}/agenda.toml",
        f"/sessions/{session}/control",
    ):
        assert bjorn.client.get(url).status_code == 200, url
    renamed = bjorn.post(f"/programmes/{programme}", {"title": "Shared", "client": "Both"})
    assert renamed.status_code == 303
    assert bjorn.post(f"/sessions/{session}", {"title": "Shared session"}).status_code == 303
    edited = bjorn.post(
        f"/sessions/{session}/items/{second}", {"title": "Long coffee", "duration": "30"}
    )
    assert edited.status_code == 303
    assert (
        bjorn.post(f"/sessions/{session}/items/{second}/move", {"direction": "up"}).status_code
        == 303
    )
    assert bjorn.post(f"/sessions/{session}/order", {"order": [item, second]}).status_code == 303
    added = bjorn.post(f"/sessions/{session}/items", {"title": "Lunch", "duration": "45"})
    assert added.status_code == 303
    assert _rows(db_path, "SELECT title FROM programmes") == [("Shared",)]
    assert _rows(db_path, "SELECT title FROM agenda_items ORDER BY position") == [
        ("Question",),
        ("Long coffee",),
        ("Lunch",),
    ]
    lunch = _rows(db_path, "SELECT id FROM agenda_items WHERE title = 'Lunch'")[0][0]
    assert bjorn.post(f"/sessions/{session}/items/{lunch}/delete").status_code == 303
    imported = bjorn.post(f"/sessions/{session}/import", files=_files())
    assert imported.status_code == 303
    assert _rows(db_path, "SELECT title FROM agenda_items") == [("Bjorn was here",)]


def test_only_the_owner_may_delete_the_programme_or_invite(
    annas: Annas, facilitator: Facilitator, other_client: Facilitator, db_path: Path
) -> None:
    programme = annas.ids["programme_id"]
    assert (
        facilitator.post(f"/programmes/{programme}/facilitators", {"username": "bjorn"}).status_code
        == 303
    )
    make_facilitator(db_path, "dora")
    anna_id = _rows(db_path, "SELECT id FROM facilitators WHERE username = 'anna'")[0][0]
    before = _snapshot(db_path)
    bjorn = other_client
    for url, data in (
        (f"/programmes/{programme}/delete", {"confirm": "yes"}),
        (f"/programmes/{programme}/facilitators", {"username": "dora"}),
        (f"/programmes/{programme}/facilitators/{annas.ids['facilitator_id']}/remove", {}),
        (f"/programmes/{programme}/facilitators/{anna_id}/remove", {}),
    ):
        response = bjorn.post(url, data)
        assert response.status_code == 403, (url, response.status_code)
        assert "secret" not in response.text.lower()
    assert _snapshot(db_path) == before
    page = bjorn.client.get(f"/programmes/{programme}").text
    assert f'action="/programmes/{programme}/delete"' not in page
    assert f'action="/programmes/{programme}/facilitators"' not in page
    # Removed again, he is back to 404.
    removed = facilitator.post(f"/programmes/{programme}/facilitators/{_bjorn_id(db_path)}/remove")
    assert removed.status_code == 303
    assert bjorn.client.get(f"/programmes/{programme}").status_code == 404
    assert bjorn.client.get(f"/sessions/{annas.ids['session_id']}").status_code == 404


def _bjorn_id(db_path: Path) -> object:
    return _rows(db_path, "SELECT id FROM facilitators WHERE username = 'bjorn'")[0][0]


def test_a_removed_co_facilitators_open_screen_stops(
    app_client: TestClient,
    annas: Annas,
    facilitator: Facilitator,
    other_client: Facilitator,
    db_path: Path,
) -> None:
    """Access is checked for what an open control panel receives, not only when it opens."""
    programme, session = annas.ids["programme_id"], annas.ids["session_id"]
    facilitator.post(f"/programmes/{programme}/facilitators", {"username": "bjorn"})
    # Bjorn's browser on the app anna drives (other_client runs an app of its own).
    screen = browser_of(
        app_client, cookies={"samling_login": other_client.client.cookies.get("samling_login")}
    )
    step = f"/sessions/{session}/live/step"
    with screen.websocket_connect(
        f"/sessions/{session}/ws?view=control", headers={"Origin": "http://testserver"}
    ) as socket:
        assert "control" in socket.receive_text()
        assert facilitator.post(step, {"by": "1"}).status_code == 303
        pushed = next_message(socket)
        assert pushed is not None and pushed["type"] == "websocket.send"  # invited: he sees it
        removed = facilitator.post(
            f"/programmes/{programme}/facilitators/{_bjorn_id(db_path)}/remove"
        )
        assert removed.status_code == 303
        assert facilitator.post(step, {"by": "-1"}).status_code == 303
        # The next push finds him removed: his screen is closed instead (policy violation).
        message = next_message(socket)
        assert message is not None, "the removed co-facilitator's socket stayed open"
        assert message["type"] == "websocket.close" and message["code"] == 1008, (
            f"bjorn, removed, still got: {str(message.get('text'))[:80]}"
        )
