"""The current item's actions over HTTP on the real app: phones' votes and edits, the
facilitator's moderation and marks, through the generic ``do/{action}`` and ``moderate``
routes; checked in what the presenter and the phones show, and in what is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import CSRF_INPUT, Facilitator, browser_of, next_message
from tests.integration.db import rows, snapshot

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true"}


@dataclass
class Live:
    session: int
    code: str
    item: int

    @property
    def base(self) -> str:
        """The facilitator's URL of the current item's actions."""
        return f"/sessions/{self.session}/live/items/{self.item}"


@dataclass
class Phone:
    client: TestClient
    token: str
    live: Live

    def do(self, action: str, **data: str) -> Any:
        return self.client.post(
            f"/s/{self.live.code}/items/{self.live.item}/do/{action}",
            data={"csrf_token": self.token, **data},
            headers=HTMX,
        )

    def page(self) -> str:
        return str(self.client.get(f"/s/{self.live.code}").text)


def _live(facilitator: Facilitator, exercise: str, **settings: str) -> Live:
    """A started session whose current (and only) item is an exercise of this kind."""
    session = facilitator.create_session(facilitator.create_programme())
    added = facilitator.post(
        f"/sessions/{session}/items",
        {
            "title": "Item",
            "duration": "10",
            "kind": "exercise",
            "exercise": exercise,
            **{f"settings.{k}": v for k, v in settings.items()},
        },
    )
    assert added.status_code == 303, added.text
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    control = facilitator.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    item = re.search(r'id="control-item-(\d+)"', control)
    assert code and item
    return Live(session, code[1] + code[2], int(item[1]))


def _phone(app_client: TestClient, live: Live) -> Phone:
    client = browser_of(app_client, headers=EN)
    token = CSRF_INPUT.search(client.get("/").text)
    assert token
    joined = client.post("/join", data={"code": live.code, "csrf_token": token[1]})
    assert joined.status_code == 200
    found = re.search(r'data-token="([^"]+)"', joined.text)
    assert found
    return Phone(client, found[1], live)


def _ask(phone: Phone, text: str, key: str) -> int:
    """A phone's answer (or question); its id, from the phone's own list."""
    sent = phone.do("answer", text=text, idem_key=key)
    assert sent.status_code == 200, sent.text
    return max(int(i) for i in re.findall(r'id="own-(\d+)"', sent.text))


def _votes(db_path: Path, response: int) -> int:
    found = rows(db_path, "SELECT count(*) FROM response_votes WHERE response_id = ?", response)
    return int(str(found[0][0]))


def test_a_phone_votes_once_for_anothers_question_and_never_for_its_own(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    live = _live(facilitator, "qa", question="Ask us")
    asker, voter = _phone(app_client, live), _phone(app_client, live)
    question = _ask(asker, "Why now?", "question-key-1")
    own = asker.do("vote", response=str(question), up="1")
    assert own.status_code == 409 and "only for the others" in own.text
    assert _votes(db_path, question) == 0
    for _ in range(2):  # a retried vote counts once
        voted = voter.do("vote", response=str(question), up="1")
        assert voted.status_code == 200, voted.text
        assert f'data-voted="{question}"' in voted.text  # the phone's own votes (#mine)
    assert _votes(db_path, question) == 1
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert re.search(r'aria-label="1 vote">1</span>\s*<span class="qa-text">Why now\?', present)
    taken_back = voter.do("vote", response=str(question), up="0")
    assert taken_back.status_code == 200 and 'data-voted=""' in taken_back.text
    assert _votes(db_path, question) == 0
    assert voter.do("vote", response="987654", up="1").status_code == 409


def test_the_facilitator_marks_a_question_answered_and_back(
    app_client: TestClient, facilitator: Facilitator
) -> None:
    live = _live(facilitator, "qa", question="Ask us")
    phone = _phone(app_client, live)
    question = _ask(phone, "Why now?", "question-key-1")

    def answered() -> bool:
        present = facilitator.client.get(f"/sessions/{live.session}/present").text
        return f'id="qa-{question}" class="answered' in present

    assert not answered()
    done = facilitator.post(live.base + "/do/answered", {"response": str(question)})
    assert done.status_code == 303 and answered()
    done = facilitator.post(live.base + "/do/unanswered", {"response": str(question)})
    assert done.status_code == 303 and not answered()


def test_a_new_question_is_never_born_answered(
    app_client: TestClient, facilitator: Facilitator
) -> None:
    live = _live(facilitator, "qa", question="Ask us")
    first, second = _phone(app_client, live), _phone(app_client, live)
    old = _ask(first, "Asked and answered", "question-key-1")
    assert facilitator.post(live.base + "/do/answered", {"response": str(old)}).status_code == 303
    assert first.do("delete", response=str(old)).status_code == 200
    new = _ask(second, "A brand new question", "question-key-2")
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert f'id="qa-{new}" class="answered' not in present, "the new question shows as answered"


def test_an_edit_of_a_stale_copy_is_refused_with_the_text_as_it_is_now(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    live = _live(facilitator, "open_text", question="What matters?", answers_per_phone="3")
    phone = _phone(app_client, live)
    answer = _ask(phone, "Trust", "answer-key-01")
    edited = phone.do("edit", response=str(answer), version="1", text="Trust, and time")
    assert edited.status_code == 200 and "Trust, and time" in edited.text
    # Another tab still holds version 1: its edit would undo the one above.
    stale = phone.do("edit", response=str(answer), version="1", text="Only trust")
    assert stale.status_code == 409
    assert "Someone changed this meanwhile." in stale.text
    assert "Trust, and time" in stale.text and "Only trust" not in stale.text
    stored = rows(db_path, "SELECT value FROM responses WHERE id = ?", answer)
    assert "Trust, and time" in str(stored[0][0])


def test_held_back_answers_are_approved_or_hidden(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    live = _live(
        facilitator, "open_text", question="What matters?", answers_per_phone="5", approve="yes"
    )
    phone = _phone(app_client, live)
    ids = [_ask(phone, f"Answer {n}", f"answer-key-{n:02d}") for n in range(4)]

    def present() -> str:
        return str(facilitator.client.get(f"/sessions/{live.session}/present").text)

    def stored() -> list[tuple[object, ...]]:
        return rows(db_path, "SELECT pending, hidden FROM responses ORDER BY id")

    # Held back: only their author sees them, as waiting.
    assert stored() == [(1, 0)] * 4
    assert "Answer 0" not in present()
    assert all(f'id="waiting-{i}"' in phone.page() for i in ids)
    with phone.client.websocket_connect(
        f"/s/{live.code}/ws", headers={"Origin": "http://testserver"}
    ) as socket:
        assert f'id="waiting-{ids[0]}"' in socket.receive_text()
        approved = facilitator.post(
            live.base + "/moderate", {"decision": "approve", "response": str(ids[0])}
        )
        assert approved.status_code == 303
        # The author's phone is told at once: no longer waiting.
        pushed = next_message(socket)
        assert pushed is not None and pushed.get("text"), pushed
        assert f'id="own-{ids[0]}"' in pushed["text"]
        assert f'id="waiting-{ids[0]}"' not in pushed["text"]
    hidden = facilitator.post(
        live.base + "/moderate", {"decision": "hide", "response": str(ids[1])}
    )
    assert hidden.status_code == 303
    assert stored() == [(0, 0), (1, 1), (1, 0), (1, 0)]
    assert "Answer 0" in present() and "Answer 1" not in present()
    everything = facilitator.post(live.base + "/moderate", {"decision": "approve-all"})
    assert everything.status_code == 303
    # Approving all leaves the hidden one hidden.
    after = stored()
    assert after[1][1] == 1 and [after[i] for i in (0, 2, 3)] == [(0, 0)] * 3
    screen = present()
    assert "Answer 2" in screen and "Answer 3" in screen and "Answer 1" not in screen
    assert not any(f'id="waiting-{i}"' in phone.page() for i in (ids[0], ids[2], ids[3]))


def test_moderation_refuses_what_is_not_the_current_items(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    live = _live(
        facilitator, "open_text", question="What matters?", answers_per_phone="5", approve="yes"
    )
    answer = _ask(_phone(app_client, live), "Waiting", "answer-key-01")
    before = snapshot(db_path)
    for data, status in (
        ({"decision": "maybe", "response": str(answer)}, 400),
        ({"decision": "approve"}, 400),
        ({"decision": "approve", "response": "987654"}, 404),
    ):
        refused = facilitator.post(live.base + "/moderate", data, headers=HTMX)
        assert refused.status_code == status, (data, refused.status_code)
    other = f"/sessions/{live.session}/live/items/{live.item + 1000}/moderate"
    refused = facilitator.post(other, {"decision": "approve", "response": str(answer)})
    assert refused.status_code == 404
    unknown = facilitator.post(live.base + "/do/nothing", {"response": str(answer)}, headers=HTMX)
    assert unknown.status_code == 404
    assert snapshot(db_path) == before
