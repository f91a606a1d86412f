"""Network groups over HTTP on the real app: the programme page's groups card, and phones
picking (or being given) their group when they join."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from tests.conftest import CSRF_INPUT, Facilitator, browser_of
from tests.integration.db import rows

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true"}


def _groups(db_path: Path) -> list[tuple[object, ...]]:
    return rows(db_path, "SELECT name, members FROM groups ORDER BY position, id")


def _create(facilitator: Facilitator, programme: int, name: str, members: str = "") -> int:
    response = facilitator.post(
        f"/programmes/{programme}/groups", {"name": name, "members": members}
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("#groups-card")
    page = facilitator.client.get(f"/programmes/{programme}").text
    found = re.findall(r'id="group-(\d+)"', page)
    return int(found[-1])


def test_create_rename_edit_and_delete_a_group(facilitator: Facilitator, db_path: Path) -> None:
    programme = facilitator.create_programme()
    group = _create(
        facilitator, programme, " Gygrene ", "Kari Nordmann\n\n  Ola\t Hansen \nkari  nordmann\n"
    )
    assert _groups(db_path) == [("Gygrene", "Kari Nordmann\nOla Hansen")]
    page = facilitator.client.get(f"/programmes/{programme}?done=group-created").text
    assert 'id="groups-card"' in page and 'id="group-name-new"' in page
    assert "The group is created." in page
    assert f'id="group-members-{group}"' in page

    saved = facilitator.post(
        f"/programmes/{programme}/groups/{group}", {"name": "Blåveis", "members": "Per\nKari"}
    )
    assert saved.status_code == 303
    assert _groups(db_path) == [("Blåveis", "Per\nKari")]

    deleted = facilitator.post(f"/programmes/{programme}/groups/{group}/delete")
    assert deleted.status_code == 303
    assert _groups(db_path) == []
    missing = facilitator.post(f"/programmes/{programme}/groups/{group}/delete")
    assert missing.status_code == 404


def test_htmx_gets_the_groups_card_alone(facilitator: Facilitator, db_path: Path) -> None:
    programme = facilitator.create_programme()
    created = facilitator.post(
        f"/programmes/{programme}/groups", {"name": "Gygrene", "members": "Kari"}, headers=HTMX
    )
    assert created.status_code == 200
    assert created.text.lstrip().startswith('<section class="card" id="groups-card">')
    assert "The group is created." in created.text
    assert "<html" not in created.text
    refused = facilitator.post(
        f"/programmes/{programme}/groups", {"name": "gygrene", "members": ""}, headers=HTMX
    )
    assert refused.status_code == 422
    assert 'id="group-name-new-error"' in refused.text
    assert "Another group in this programme is already called gygrene." in refused.text
    assert _groups(db_path) == [("Gygrene", "Kari")]


def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    facilitator: Facilitator, db_path: Path
) -> None:
    programme = facilitator.create_programme()
    group = _create(facilitator, programme, "Gygrene", "Kari")
    other = _create(facilitator, programme, "Stjernelaget")
    before = _groups(db_path)
    cases = [
        ("", "Kari", "name", "Required."),
        ("x" * 61, "", "name", "At most 60 characters."),
        ("GYGRENE", "", "name", "Another group in this programme is already called GYGRENE."),
        ("Ny", "Kari\n" + "y" * 61, "members", "Line 2: At most 60 characters."),
        ("Ny", "Kari\nOla\x07", "members", "Line 2: Contains characters that are not allowed."),
        ("Ny", "\n".join(f"Person {n}" for n in range(41)), "members", "At most 40 names."),
    ]
    for name, members, field, message in cases:
        for url, key in (
            (f"/programmes/{programme}/groups", "new"),
            (f"/programmes/{programme}/groups/{other}", str(other)),
        ):
            response = facilitator.post(url, {"name": name, "members": members})
            assert response.status_code == 422, (url, name)
            assert f'id="group-{field}-{key}-error"' in response.text, (url, name)
            assert message in response.text, (url, name)
    # Renaming a group to its own name in another case is not a clash with itself.
    same = facilitator.post(f"/programmes/{programme}/groups/{group}", {"name": "GYGRENE"})
    assert same.status_code == 303
    assert _groups(db_path) == [("GYGRENE", ""), before[1]]


def test_a_programme_holds_at_most_fifty_groups(facilitator: Facilitator, db_path: Path) -> None:
    programme = facilitator.create_programme()
    for n in range(50):
        response = facilitator.post(f"/programmes/{programme}/groups", {"name": f"Group {n}"})
        assert response.status_code == 303
    refused = facilitator.post(f"/programmes/{programme}/groups", {"name": "One more"})
    assert refused.status_code == 422
    assert "A programme has at most 50 groups." in refused.text
    assert len(_groups(db_path)) == 50
    assert 'id="groups-full"' in facilitator.client.get(f"/programmes/{programme}").text


def test_a_co_facilitator_may_edit_groups_a_stranger_may_not(
    facilitator: Facilitator, other_client: Facilitator, db_path: Path
) -> None:
    programme = facilitator.create_programme()
    group = _create(facilitator, programme, "Gygrene")
    url = f"/programmes/{programme}/groups/{group}"
    assert other_client.post(url, {"name": "Mine"}).status_code == 404
    assert other_client.post(f"/programmes/{programme}/groups", {"name": "X"}).status_code == 404
    assert other_client.post(url + "/delete").status_code == 404
    assert _groups(db_path) == [("Gygrene", "")]
    invited = facilitator.post(f"/programmes/{programme}/facilitators", {"username": "bjorn"})
    assert invited.status_code == 303
    assert other_client.post(url, {"name": "Renamed", "members": "Kari"}).status_code == 303
    assert other_client.post(f"/programmes/{programme}/groups", {"name": "X"}).status_code == 303
    assert _groups(db_path) == [("Renamed", "Kari"), ("X", "")]
    assert other_client.post(url + "/delete").status_code == 303


def test_a_group_of_another_programme_is_not_found(facilitator: Facilitator) -> None:
    mine = facilitator.create_programme("Mine")
    other = facilitator.create_programme("Other")
    group = _create(facilitator, other, "Gygrene")
    assert facilitator.post(f"/programmes/{mine}/groups/{group}", {"name": "X"}).status_code == 404
    assert facilitator.post(f"/programmes/{mine}/groups/{group}/delete").status_code == 404


def test_hostile_names_are_shown_as_text(facilitator: Facilitator) -> None:
    programme = facilitator.create_programme()
    hostile = '"><img src=x onerror=alert(1)>'
    _create(facilitator, programme, "<script>alert(1)</script>", hostile)
    page = facilitator.client.get(f"/programmes/{programme}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


# --- joining --------------------------------------------------------------------------------


def _live(facilitator: Facilitator) -> tuple[int, int, str]:
    programme = facilitator.create_programme()
    session = facilitator.create_session(programme)
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    control = facilitator.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code
    return programme, session, code[1] + code[2]


def _phone(app_client: TestClient) -> TestClient:
    return browser_of(app_client, headers=EN)


def _token(page: str) -> str:
    found = CSRF_INPUT.search(page)
    assert found
    return found[1]


def _joined(db_path: Path) -> list[tuple[object, ...]]:
    return rows(
        db_path,
        "SELECT p.name, g.name FROM participants p LEFT JOIN groups g ON g.id = p.group_id"
        " ORDER BY p.id",
    )


def test_without_groups_joining_is_as_before(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    _programme, _session, code = _live(facilitator)
    phone = _phone(app_client)
    page = phone.get(f"/j/{code}").text
    assert 'id="group"' not in page and "<datalist" not in page
    joined = phone.post(
        "/join",
        data={"code": code, "name": "Kari", "csrf_token": _token(page)},
        follow_redirects=False,
    )
    assert joined.status_code == 303
    assert _joined(db_path) == [("Kari", None)]


def test_the_qr_link_offers_the_groups_but_not_the_names(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    programme, _session, code = _live(facilitator)
    gygrene = _create(facilitator, programme, "Gygrene", "Kari Nordmann\nOla")
    _create(facilitator, programme, "Blåveis", "Åse")
    phone = _phone(app_client)
    page = phone.get(f"/j/{code}").text
    assert '<option value="">I don\'t know yet</option>' in page
    assert f'<option value="{gygrene}">Gygrene</option>' in page
    # The pasted names are for the server to place phones by, not for anyone with the code.
    assert "<datalist" not in page
    assert not {"Kari Nordmann", "Ola", "Åse"} & set(re.findall(r'value="([^"]*)"', page))
    assert 'id="names-listed"' in page
    joined = phone.post(
        "/join",
        data={
            "code": code,
            "name": "",
            "group": str(gygrene),
            "group_step": "1",
            "csrf_token": _token(page),
        },
        follow_redirects=False,
    )
    assert joined.status_code == 303
    assert _joined(db_path) == [("", "Gygrene")]


def test_a_typed_code_gets_the_group_step_first(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    programme, _session, code = _live(facilitator)
    _create(facilitator, programme, "Gygrene")
    blaveis = _create(facilitator, programme, "Blåveis")
    phone = _phone(app_client)
    front = phone.get("/").text
    sent = phone.post(
        "/join",
        data={"code": code[:4] + " " + code[4:], "name": "Per", "csrf_token": _token(front)},
        follow_redirects=False,
    )
    # On to the group step by a redirect: *back* never offers to send the form again.
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/j/{code}?step=group&name=Per"
    step = phone.get(sent.headers["location"])
    assert step.status_code == 200
    assert 'id="group-step"' in step.text
    assert f'name="code" value="{code}"' in step.text
    assert 'value="Per"' in step.text
    assert 'name="group_step" value="1"' in step.text
    assert _joined(db_path) == []
    joined = phone.post(
        "/join",
        data={
            "code": code,
            "name": "Per",
            "group": str(blaveis),
            "group_step": "1",
            "csrf_token": _token(step.text),
        },
        follow_redirects=False,
    )
    assert joined.status_code == 303
    assert joined.headers["location"] == f"/s/{code}"
    assert _joined(db_path) == [("Per", "Blåveis")]


def test_a_name_pasted_in_one_group_lands_there(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    programme, _session, code = _live(facilitator)
    gygrene = _create(facilitator, programme, "Gygrene", "Kari Nordmann\nOla")
    _create(facilitator, programme, "Blåveis", "Ola\nÅse Ødegård")
    phone = _phone(app_client)
    # Typed at /, the step does not tell which group the name is in (it would tell anyone
    # with the code who is in which group): the name places the phone when it joins.
    step = phone.post(
        "/join",
        data={"code": code, "name": "kari  NORDMANN", "csrf_token": _token(phone.get("/").text)},
    )
    assert step.status_code == 200
    assert 'id="group-step"' in step.text
    assert f'<option value="{gygrene}">Gygrene</option>' in step.text
    assert " selected>" not in step.text
    for name in ("kari  NORDMANN", "ÅSE ødegård", "Ola", "Nobody"):
        phone = _phone(app_client)
        page = phone.get(f"/j/{code}").text
        joined = phone.post(
            "/join",
            data={
                "code": code,
                "name": name,
                "group": "",
                "group_step": "1",
                "csrf_token": _token(page),
            },
            follow_redirects=False,
        )
        assert joined.status_code == 303
    # Ola is pasted in two groups: the facilitator places that phone.
    assert _joined(db_path) == [
        ("kari  NORDMANN", "Gygrene"),
        ("ÅSE ødegård", "Blåveis"),
        ("Ola", None),
        ("Nobody", None),
    ]


def test_a_picked_group_wins_and_a_foreign_one_is_ignored(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    programme, _session, code = _live(facilitator)
    _create(facilitator, programme, "Gygrene", "Kari")
    blaveis = _create(facilitator, programme, "Blåveis")
    foreign = _create(facilitator, facilitator.create_programme("Other"), "Elsewhere")
    for name, group in (("Kari", str(blaveis)), ("Ola", str(foreign)), ("Per", "nonsense")):
        phone = _phone(app_client)
        page = phone.get(f"/j/{code}").text
        joined = phone.post(
            "/join",
            data={
                "code": code,
                "name": name,
                "group": group,
                "group_step": "1",
                "csrf_token": _token(page),
            },
            follow_redirects=False,
        )
        assert joined.status_code == 303
    assert _joined(db_path) == [("Kari", "Blåveis"), ("Ola", None), ("Per", None)]
