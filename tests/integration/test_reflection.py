"""Private reflections on a real server: a phone writes, edits and downloads its notes, gets
a recovery code, and in the programme's next session sees them again: on the same device
(its device cookie), or on a fresh one with the code. Nobody else ever does."""

from __future__ import annotations

import json
import re

import httpx2

from tests.browser.conftest import LiveServer
from tests.integration.db import one, rows
from tests.live_helpers import (
    CSRF,
    HTMX,
    PhoneClient,
    add_item,
    cookie_header,
    csrf_of,
    facilitator_client,
    join,
    new_session,
)

AGENDA = """samling_agenda = 1

[[item]]
title = "My action learning"
duration = 20
kind = "exercise"
exercise = "reflection"

[item.settings]
intro = "For your first network meeting"
questions = ["What should characterise my leadership?", "My first action?"]

[[item]]
title = "Comments"
duration = 5
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "Comments on the day?"
answers_per_phone = 2
max_length = 300
"""
CODE = re.compile(r'id="recovery-code-value">([A-Z0-9-]+)<')


def started(server: LiveServer, fac: httpx2.Client, programme: int, title: str) -> tuple[int, str]:
    """A new session of the programme with the agenda, started: its id and join code."""
    csrf = csrf_of(fac)
    made = fac.post(f"/programmes/{programme}/sessions", data={"title": title, "csrf_token": csrf})
    session = int(made.headers["location"].rsplit("/", 1)[1])
    server.import_agenda(session, AGENDA)
    assert fac.post(f"/sessions/{session}/live/start", data={"csrf_token": csrf}).status_code in (
        204,
        303,
    )
    code = one(server.db_path, "SELECT join_code FROM sessions WHERE id = ?", session)
    return session, str(code)


def programme_of(fac: httpx2.Client) -> int:
    made = fac.post("/programmes", data={"title": "Leaders 2027", "csrf_token": csrf_of(fac)})
    return int(made.headers["location"].rsplit("/", 1)[1])


def first_item(server: LiveServer, session: int) -> int:
    return int(
        str(
            one(
                server.db_path,
                "SELECT id FROM agenda_items WHERE session_id = ? ORDER BY position",
                session,
            )
        )
    )


def save(phone: PhoneClient, item: int, *answers: str, key: str) -> httpx2.Response:
    fields = {f"answer-{n}": text for n, text in enumerate(answers, 1)}
    return phone.do(item, "save", {**fields, "idem_key": key})


def test_a_phone_saves_edits_downloads_and_finds_its_notes_in_the_next_session(
    server: LiveServer,
) -> None:
    fac = facilitator_client(server, "refl", "correct horse battery")
    programme = programme_of(fac)
    first, code1 = started(server, fac, programme, "Samling 1")
    item1 = first_item(server, first)
    kari = join(server, code1)
    assert "samling_device" in cookie_header(kari.client)

    saved = save(kari, item1, "Trust and clear direction", "", key="first-save-0001")
    assert saved.status_code == 200, saved.text
    assert "Saved" in saved.text
    found = CODE.search(saved.text)
    assert found, saved.text
    code = found[1]
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    # Stored as a digest only (in the database file and its write-ahead log).
    for path in server.db_path.parent.glob("samling.db*"):
        assert code.encode() not in path.read_bytes()
        assert code.replace("-", "").encode() not in path.read_bytes()
    assert one(server.db_path, "SELECT count(*) FROM people WHERE code_hash IS NOT NULL") == 1

    # A retry of the same save stores nothing twice; an edit changes the one response.
    again = save(kari, item1, "Trust and clear direction", "", key="first-save-0001")
    assert again.status_code == 200
    edited = save(kari, item1, "Trust and clear direction", "Ask before telling", key="edit-0002")
    assert edited.status_code == 200 and "Ask before telling" in edited.text
    assert one(server.db_path, "SELECT count(*) FROM responses") == 1
    # The code is shown again on the page (to this phone), no new one is made.
    page = kari.client.get(f"/s/{code1}").text
    assert code in page
    assert one(server.db_path, "SELECT count(*) FROM people WHERE code_hash IS NOT NULL") == 1

    text = kari.client.get(f"/s/{code1}/items/{item1}/mine/reflections.txt")
    assert text.status_code == 200
    assert text.headers["content-type"].startswith("text/plain")
    assert "attachment" in text.headers["content-disposition"]
    assert "Ask before telling" in text.text and "My first action?" in text.text
    printable = kari.client.get(f"/s/{code1}/items/{item1}/mine/reflections.html")
    assert printable.status_code == 200 and printable.text.lstrip().startswith("<!doctype html>")
    assert "Trust and clear direction" in printable.text and "@page" in printable.text
    assert kari.client.get(f"/s/{code1}/items/{item1}/mine/nothing").status_code == 404

    # Someone else in the same session sees none of it.
    ola = join(server, code1)
    theirs = ola.client.get(f"/s/{code1}/items/{item1}/mine/reflections.txt").text
    assert "Trust" not in theirs and "Ask before" not in theirs

    csrf = csrf_of(fac)
    assert fac.post(f"/sessions/{first}/live/close", data={"csrf_token": csrf}).status_code in (
        204,
        303,
    )

    # After the session, the phone is told it ended, and may still download its notes.
    ended = kari.client.get(f"/s/{code1}")
    assert ended.status_code == 410 and "That session has ended." in ended.text
    assert f"/s/{code1}/items/{item1}/mine/reflections.txt" in ended.text
    assert f"/s/{code1}/items/{item1}/mine/reflections.html" in ended.text
    kept = kari.client.get(f"/s/{code1}/items/{item1}/mine/reflections.txt")
    assert kept.status_code == 200 and "Ask before telling" in kept.text
    # A phone that wrote nothing is told it ended, and offered nothing; and reads nothing.
    nothing = ola.client.get(f"/s/{code1}")
    assert nothing.status_code == 410 and "/mine/" not in nothing.text
    assert "Ask before" not in ola.client.get(f"/s/{code1}/items/{item1}/mine/reflections.txt").text
    # Without the phone's cookie there is nothing to download.
    stranger = httpx2.Client(base_url=server.url)
    try:
        away = stranger.get(f"/s/{code1}/items/{item1}/mine/reflections.txt")
        assert "Ask before" not in away.text
    finally:
        stranger.close()

    # The next session: the same device sees its earlier notes beside the new questions.
    second, code2 = started(server, fac, programme, "Samling 2")
    item2 = first_item(server, second)
    kari2 = join_again(server, kari, code2)
    earlier = kari2.client.get(f"/s/{code2}/items/{item2}/mine/earlier")
    assert earlier.status_code == 200
    assert "What you wrote before" in earlier.text and "Ask before telling" in earlier.text
    assert "Samling 1" in earlier.text
    # No new code for a person who has one.
    fresh = save(kari2, item2, "Practise on Mondays", "", key="second-0001")
    assert fresh.status_code == 200 and not CODE.search(fresh.text)
    both = kari2.client.get(f"/s/{code2}/items/{item2}/mine/reflections.txt").text
    assert both.index("Ask before telling") < both.index("Practise on Mondays")

    # A fresh browser sees nothing, until it types the code (any case, any spacing).
    other = join(server, code2)
    blank = other.client.get(f"/s/{code2}/items/{item2}/mine/earlier").text
    assert "Ask before telling" not in blank
    wrong = other.do(item2, "recover", {"code": "AAAA-AAAA-AAAA"})
    assert wrong.status_code == 422 and "No one has that recovery code" in wrong.text
    typed = code.lower().replace("-", " ")
    recovered = other.do(item2, "recover", {"code": typed})
    assert recovered.status_code == 200, recovered.text
    assert "samling_device" in recovered.headers.get("set-cookie", "")
    seen = other.client.get(f"/s/{code2}/items/{item2}/mine/earlier").text
    assert "Ask before telling" in seen and "Practise on Mondays" not in seen

    # A phone that lost its code gets a new one; the old one stops working.
    assert "new-code-form" in kari2.client.get(f"/s/{code2}").text
    renewed = kari2.do(item2, "new_code")
    assert renewed.status_code == 200, renewed.text
    new = CODE.search(renewed.text)
    assert new and new[1] != code
    late = join(server, code2)
    assert late.do(item2, "new_code").status_code == 409  # nothing written: no code yet
    assert late.do(item2, "recover", {"code": code}).status_code == 422
    assert late.do(item2, "recover", {"code": new[1]}).status_code == 200
    assert "Ask before telling" in late.client.get(f"/s/{code2}/items/{item2}/mine/earlier").text

    # Another programme's session does not show them, on the same device either.
    elsewhere, code3 = started(server, fac, programme_of(fac), "Another client")
    item3 = first_item(server, elsewhere)
    kari3 = join_again(server, kari2, code3)
    seen = kari3.client.get(f"/s/{code3}/items/{item3}/mine/earlier").text
    assert "Ask before telling" not in seen and "Practise on Mondays" not in seen
    assert (
        "Ask before" not in kari3.client.get(f"/s/{code3}/items/{item3}/mine/reflections.txt").text
    )


def join_again(server: LiveServer, phone: PhoneClient, code: str) -> PhoneClient:
    """The same browser (its cookies, the device cookie among them) joins another session."""
    client = phone.client
    page = client.get("/")
    token = CSRF.search(page.text)
    assert token
    joined = client.post("/join", data={"code": code, "name": "", "csrf_token": token[1]})
    assert joined.status_code == 303
    live = client.get(f"/s/{code}")
    found = re.search(r'data-token="([^"]+)"', live.text)
    assert found
    return PhoneClient(client, found[1], code)


def test_a_blank_first_save_is_refused_and_stores_nothing(server: LiveServer) -> None:
    fac = facilitator_client(server, "refl2", "correct horse battery")
    session, code = started(server, fac, programme_of(fac), "Samling X")
    item = first_item(server, session)
    phone = join(server, code)
    before = one(server.db_path, "SELECT count(*) FROM responses")
    blank = save(phone, item, "", "   ", key="blank-00001")
    assert blank.status_code == 422
    assert "at least one of the questions" in blank.text
    assert one(server.db_path, "SELECT count(*) FROM responses") == before
    # Without scripts: the save is a form post that ends on the page again.
    done = phone.client.post(
        f"/s/{code}/items/{item}/do/save",
        data={"csrf_token": phone.token, "idem_key": "nojs-000001", "answer-1": "On paper"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = phone.client.get(done.headers["location"]).text
    assert "On paper" in page and CODE.search(page)
    assert HTMX  # the helpers' header, used by phone.do


def test_the_agenda_editor_offers_the_five_questions_and_stores_the_facilitators_own(
    server: LiveServer,
) -> None:
    fac = facilitator_client(server, "refl3", "correct horse battery")
    session, csrf = new_session(fac)
    form = fac.get(f"/sessions/{session}/settings-form?form=new&exercise=reflection").text
    assert 'name="settings.questions"' in form
    assert "What do you want to characterise your leadership?" in form
    assert "How will you find out whether you are on the right track?" in form
    item = {"title": "Reflect", "exercise": "reflection", "settings.intro": "For yourself"}
    refused = add_item(fac, session, csrf, **item, **{"settings.questions": " \n "})
    assert refused.status_code == 422
    added = add_item(fac, session, csrf, **item, **{"settings.questions": "My aim?\nMy step?"})
    assert added.status_code == 200, added.text
    stored = rows(server.db_path, "SELECT settings FROM agenda_items WHERE session_id = ?", session)
    assert [json.loads(str(s[0])) for s in stored] == [
        {"intro": "For yourself", "questions": ["My aim?", "My step?"]}
    ]
