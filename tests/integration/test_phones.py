"""Phones over HTTP on the real app: joining, responses, idempotency (the wrong-code
budget: test_joining)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import CSRF_INPUT, Facilitator, browser_of
from tests.integration.db import one

EN = {"Accept-Language": "en"}
TOKEN = re.compile(r'data-token="([^"]+)"')
KEY = re.compile(r'name="idem_key" value="([^"]+)"')


def _live(facilitator: Facilitator, answers_per_phone: int = 2) -> tuple[int, str, int]:
    """A started session whose current item is an open_text question."""
    programme = facilitator.create_programme()
    session = facilitator.create_session(programme)
    added = facilitator.post(
        f"/sessions/{session}/items",
        {
            "title": "Question",
            "duration": "10",
            "kind": "exercise",
            "exercise": "open_text",
            "settings.question": "What matters?",
            "settings.answers_per_phone": str(answers_per_phone),
            "settings.max_length": "50",
        },
    )
    assert added.status_code == 303, added.text
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    control = facilitator.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    item = re.search(r'id="control-item-(\d+)"', control)
    assert code and item
    return session, code[1] + code[2], int(item[1])


def _phone(app_client: TestClient, code: str, typed: str | None = None) -> TestClient:
    phone = browser_of(app_client, headers=EN)
    page = phone.get("/")
    token = CSRF_INPUT.search(page.text)
    assert token
    joined = phone.post(
        "/join", data={"code": typed or code, "csrf_token": token[1]}, follow_redirects=False
    )
    assert joined.status_code == 303, joined.text
    assert joined.headers["location"] == f"/s/{code}"
    return phone


def _answer(
    phone: TestClient,
    code: str,
    item: int,
    text: str,
    key: str | None = None,
    token: str | None = None,
):  # type: ignore[no-untyped-def]
    page = phone.get(f"/s/{code}").text
    found = TOKEN.search(page)
    assert found
    return phone.post(
        f"/s/{code}/items/{item}/do/answer",
        data={
            "csrf_token": token or found[1],
            "idem_key": key or secrets.token_hex(8),
            "text": text,
        },
        headers={"HX-Request": "true"},
        follow_redirects=False,
    )


def _count(db_path: Path, sql: str = "SELECT count(*) FROM responses") -> int:
    return int(str(one(db_path, sql)))


def test_codes_are_typed_with_spaces_or_dashes(
    facilitator: Facilitator, app_client: TestClient
) -> None:
    _session, code, _item = _live(facilitator)
    for typed in (f"{code[:4]} {code[4:]}", f"{code[:4]}-{code[4:]}", f" {code} "):
        _phone(app_client, code, typed)


def test_three_hundred_phones_behind_one_address_all_get_in(
    facilitator: Facilitator, app_client: TestClient, db_path: Path
) -> None:
    _session, code, _item = _live(facilitator)
    for _ in range(300):
        _phone(app_client, code)
    assert _count(db_path, "SELECT count(*) FROM participants") == 300


def test_a_wrong_or_retired_code_gets_a_clear_message(
    facilitator: Facilitator, app_client: TestClient
) -> None:
    session, code, _item = _live(facilitator)
    phone = browser_of(app_client, headers=EN)
    token = CSRF_INPUT.search(phone.get("/").text)[1]  # type: ignore[index]
    wrong = phone.post("/join", data={"code": "12345678", "csrf_token": token})
    assert wrong.status_code == 404 and "No session has that code" in wrong.text
    assert facilitator.post(f"/sessions/{session}/live/close").status_code == 303
    retired = phone.post("/join", data={"code": code, "csrf_token": token})
    assert retired.status_code == 404 and "That session has ended." in retired.text
    assert "That session has ended." in phone.get(f"/j/{code}").text


def test_a_retried_answer_is_stored_once(
    facilitator: Facilitator, app_client: TestClient, db_path: Path
) -> None:
    _session, code, item = _live(facilitator)
    phone = _phone(app_client, code)
    first = _answer(phone, code, item, "Trust", key="the-same-key-1")
    again = _answer(phone, code, item, "Trust", key="the-same-key-1")
    assert first.status_code == again.status_code == 200
    assert _count(db_path) == 1
    assert again.text.count('<span class="own-text">Trust</span>') == 1


def test_a_late_retry_of_a_deleted_answer_stores_nothing(
    facilitator: Facilitator, app_client: TestClient, db_path: Path
) -> None:
    _session, code, item = _live(facilitator)
    phone = _phone(app_client, code)
    assert _answer(phone, code, item, "Oops", key="the-same-key-2").status_code == 200
    token = TOKEN.search(phone.get(f"/s/{code}").text)[1]  # type: ignore[index]
    answer = one(db_path, "SELECT id FROM responses")
    deleted = phone.post(
        f"/s/{code}/items/{item}/do/delete",
        data={"csrf_token": token, "response": str(answer)},
        headers={"HX-Request": "true"},
    )
    assert deleted.status_code == 200 and "Oops" not in deleted.text
    # The first try's POST, sent again by a flaky connection: it is not stored again.
    again = _answer(phone, code, item, "Oops", key="the-same-key-2")
    assert again.status_code == 200
    assert "Oops" not in again.text
    assert _count(db_path) == 0


def test_the_answer_limit_and_the_lock(
    facilitator: Facilitator, app_client: TestClient, db_path: Path
) -> None:
    session, code, item = _live(facilitator, answers_per_phone=1)
    phone = _phone(app_client, code)
    assert _answer(phone, code, item, "One").status_code == 200
    over = _answer(phone, code, item, "Two")
    assert over.status_code == 409 and "You have sent all your answers." in over.text
    other = _phone(app_client, code)
    assert facilitator.post(f"/sessions/{session}/live/switch", {"lock": "lock"}).status_code == 303
    locked = _answer(other, code, item, "Late")
    assert locked.status_code == 409 and "Answers are closed" in locked.text
    assert _count(db_path) == 1


def test_bad_answers_are_refused_with_a_message(
    facilitator: Facilitator, app_client: TestClient, db_path: Path
) -> None:
    _session, code, item = _live(facilitator)
    phone = _phone(app_client, code)
    long = _answer(phone, code, item, "x" * 51)
    assert long.status_code == 422 and "At most 50 characters." in long.text
    empty = _answer(phone, code, item, "   ")
    assert empty.status_code == 422 and "Required." in empty.text
    nul = _answer(phone, code, item, "a\x00b")
    assert nul.status_code == 422
    forged = _answer(phone, code, item, "Hello", token="0" * 32)
    assert forged.status_code == 403
    assert _count(db_path) == 0


def test_a_phone_edits_and_deletes_only_its_own(
    facilitator: Facilitator, app_client: TestClient, db_path: Path
) -> None:
    _session, code, item = _live(facilitator)
    mine, theirs = _phone(app_client, code), _phone(app_client, code)
    assert _answer(theirs, code, item, "Theirs").status_code == 200
    their_id = one(db_path, "SELECT id FROM responses")
    token = TOKEN.search(mine.get(f"/s/{code}").text)[1]  # type: ignore[index]
    act = f"/s/{code}/items/{item}/do/"
    for action, data in (("edit", {"text": "Hacked"}), ("delete", {})):
        refused = mine.post(
            act + action,
            data={"csrf_token": token, "response": str(their_id), **data},
            headers={"HX-Request": "true"},
        )
        assert refused.status_code == 404, (action, refused.status_code)
    assert _count(db_path, "SELECT count(*) FROM responses WHERE value LIKE '%Theirs%'") == 1

    assert _answer(mine, code, item, "Mine").status_code == 200
    my_id = one(db_path, "SELECT id FROM responses WHERE value LIKE '%Mine%'")
    edited = mine.post(
        act + "edit",
        data={"csrf_token": token, "response": str(my_id), "text": "Mine, better"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    assert "Mine, better" in mine.get(f"/s/{code}").text
    deleted = mine.post(
        act + "delete", data={"csrf_token": token, "response": str(my_id)}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert "Mine, better" not in mine.get(f"/s/{code}").text
    assert _count(db_path) == 1


def test_without_javascript_an_answer_redirects_back_to_the_live_page(
    facilitator: Facilitator, app_client: TestClient
) -> None:
    _session, code, item = _live(facilitator)
    phone = _phone(app_client, code)
    page = phone.get(f"/s/{code}").text
    posted = phone.post(
        f"/s/{code}/items/{item}/do/answer",
        data={
            "csrf_token": TOKEN.search(page)[1],
            "idem_key": KEY.search(page)[1],  # type: ignore[index]
            "text": "No JS here",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert "No JS here" in phone.get(posted.headers["location"]).text


def test_the_live_page_needs_a_joined_phone(
    facilitator: Facilitator, app_client: TestClient
) -> None:
    _session, code, _item = _live(facilitator)
    stranger = browser_of(app_client, headers=EN)
    response = stranger.get(f"/s/{code}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/j/{code}"


@pytest.mark.parametrize(
    "path", ["/sessions/{s}/control", "/sessions/{s}/present", "/sessions/{s}/qr.svg"]
)
def test_screens_are_for_the_sessions_facilitators(
    facilitator: Facilitator, other_client: Facilitator, path: str
) -> None:
    session, _code, _item = _live(facilitator)
    assert facilitator.client.get(path.format(s=session)).status_code == 200
    assert other_client.client.get(path.format(s=session)).status_code == 404


def test_the_qr_code_is_an_svg_of_the_join_link(facilitator: Facilitator) -> None:
    session, _code, _item = _live(facilitator)
    svg = facilitator.client.get(f"/sessions/{session}/qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.lstrip().startswith("<?xml") and "<svg" in svg.text
