"""The evaluation on the real app and its store: it stays open after its session closes,
until the facilitator's time (a phone that was in the session still answers from its link;
one that never joined cannot; after the time it is closed with a message saying so); with
approval on only its texts wait; the record of the day holds late answers with no trace of
their phones; the programme page compares three sessions' evaluations."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from facilitator.export.build import session_record
from facilitator.export.record import SessionRecord
from tests.conftest import CSRF_INPUT, Facilitator, _with_store, browser_of, run
from tests.integration.db import rows
from workshop.app import kind_registry
from workshop.store import Store
from workshop.summary import Table

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true"}
ANSWER = {"rating-0": "4", "good": "Gode samtaler i gruppene", "better": "Lengre pauser"}


@dataclass
class Closed:
    session: int
    code: str
    item: int


@dataclass
class Phone:
    client: TestClient
    token: str

    def answer(self, closed: Closed, key: str, **data: str) -> object:
        return self.client.post(
            f"/s/{closed.code}/items/{closed.item}/do/answer",
            data={"csrf_token": self.token, "idem_key": key, **(data or ANSWER)},
            headers=HTMX,
            follow_redirects=False,
        )


def _session(
    facilitator: Facilitator,
    date: str,
    open_until: str,
    programme: int | None = None,
    title: str = "Samling 1",
    **more: str,
) -> tuple[int, str, int]:
    """A started session of one talk and an evaluation open until ``open_until`` (in a
    new programme, or in ``programme``)."""
    if programme is None:
        programme = facilitator.create_programme()
    made = facilitator.post(
        f"/programmes/{programme}/sessions", {"title": title, "date": date, "place": "X"}
    )
    session = int(made.headers["location"].rsplit("/", 1)[1])
    for title, fields in (
        ("Talk", {"kind": "talk"}),
        (
            "Evaluation",
            {
                "kind": "exercise",
                "exercise": "evaluation",
                "settings.question": "How was the day?",
                "settings.steps": "5",
                "settings.good_question": "What was good, and why?",
                "settings.better_question": "What could have been better, and how?",
                "settings.max_length": "500",
                "settings.open_until": open_until,
                **more,
            },
        ),
    ):
        added = facilitator.post(
            f"/sessions/{session}/items", {"title": title, "duration": "10", **fields}
        )
        assert added.status_code == 303, added.text
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    control = facilitator.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    items = re.findall(r'id="control-item-(\d+)"', control)
    assert code and len(items) == 2
    return session, code[1] + code[2], int(items[1])


def _join(app_client: TestClient, code: str) -> Phone:
    client = browser_of(app_client, headers=EN)
    token = CSRF_INPUT.search(client.get("/").text)
    assert token
    joined = client.post("/join", data={"code": code, "csrf_token": token[1]})
    assert joined.status_code == 200
    found = re.search(r'data-token="([^"]+)"', joined.text)
    assert found
    return Phone(client, found[1])


def _close(facilitator: Facilitator, session: int) -> None:
    assert facilitator.post(f"/sessions/{session}/live/close").status_code in (200, 303)


def _stored(db_path: Path, item: int) -> list[str]:
    return sorted(
        str(r[0]) for r in rows(db_path, "SELECT value FROM responses WHERE item_id = ?", item)
    )


def test_a_phone_that_was_in_the_session_answers_after_it_closed(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    session, code, item = _session(facilitator, "2099-03-14", "18:00")
    phone = _join(app_client, code)  # it leaves early: the evaluation is not current yet
    _close(facilitator, session)
    closed = Closed(session, code, item)

    page = phone.client.get(f"/s/{code}")
    assert page.status_code == 200
    assert 'id="answer-form"' in page.text
    assert f"/s/{code}/items/{item}/do/answer" in page.text
    assert "You can answer until 18:00" in page.text

    # Its page's socket opens, with the evaluation as its first message (no push follows).
    with phone.client.websocket_connect(
        f"/s/{code}/ws", headers={"Origin": "http://testserver"}
    ) as socket:
        first = socket.receive_text()
    assert "What was good, and why?" in first and 'id="answer-form"' in first

    sent = phone.answer(closed, "late-answer-0001")
    assert sent.status_code == 200, sent.text  # type: ignore[attr-defined]
    stored = _stored(db_path, item)
    assert len(stored) == 3
    assert any("Gode samtaler i gruppene" in v for v in stored)
    # A retry of the same request is stored once; a second evaluation is refused.
    assert phone.answer(closed, "late-answer-0001").status_code == 200  # type: ignore[attr-defined]
    again = phone.answer(closed, "late-answer-0002")
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert len(_stored(db_path, item)) == 3
    # The phone's page shows what it sent, and its link from the QR code brings it back.
    assert "Lengre pauser" in phone.client.get(f"/s/{code}").text
    back = phone.client.get(f"/j/{code}", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"/s/{code}"
    # The code stays retired: the join form still says the session has ended.
    token = CSRF_INPUT.search(phone.client.get("/").text)
    assert token
    typed = phone.client.post("/join", data={"code": code, "csrf_token": token[1]})
    assert typed.status_code == 404 and "That session has ended." in typed.text


def test_a_phone_that_never_joined_cannot_answer_after_close(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    session, code, item = _session(facilitator, "2099-03-14", "18:00")
    _join(app_client, code)
    _close(facilitator, session)
    stranger = browser_of(app_client, headers=EN)
    page = stranger.get(f"/s/{code}")
    assert page.status_code == 404
    assert "That session has ended." in page.text
    assert 'id="answer-form"' not in page.text
    posted = stranger.post(
        f"/s/{code}/items/{item}/do/answer", data={**ANSWER, "idem_key": "stranger-key-01"}
    )
    assert posted.status_code == 404 and "That session has ended." in posted.text
    assert _stored(db_path, item) == []


def test_after_its_time_the_evaluation_is_closed_with_a_message(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    session, code, item = _session(facilitator, "2020-03-14", "18:00")
    phone = _join(app_client, code)
    _close(facilitator, session)
    page = phone.client.get(f"/s/{code}")
    assert page.status_code == 410
    assert "That session has ended. Answers after it closed at 18:00." in page.text
    sent = phone.answer(Closed(session, code, item), "too-late-key-01")
    assert sent.status_code == 410  # type: ignore[attr-defined]
    assert _stored(db_path, item) == []


def test_without_a_time_the_evaluation_closes_with_the_session(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    session, code, item = _session(facilitator, "2099-03-14", "")
    phone = _join(app_client, code)
    _close(facilitator, session)
    page = phone.client.get(f"/s/{code}")
    assert page.status_code == 410 and "That session has ended." in page.text
    assert phone.answer(Closed(session, code, item), "no-time-key-01").status_code == 410  # type: ignore[attr-defined]


def test_the_record_of_the_day_holds_late_answers_and_no_trace_of_their_phones(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    session, code, item = _session(facilitator, "2099-03-14", "18:00")
    phones = [_join(app_client, code) for _ in range(3)]
    _close(facilitator, session)
    closed = Closed(session, code, item)
    for n, (phone, rating) in enumerate(zip(phones, ("5", "2", "4"), strict=True)):
        answer = {"rating-0": rating, "good": f"Bra {n}", "better": f"Bedre {2 - n}"}
        assert phone.answer(closed, f"record-key-{n:04}", **answer).status_code == 200  # type: ignore[attr-defined]

    async def build(store: Store) -> SessionRecord:
        return await session_record(store, kind_registry(("exercises",)), session, "en")

    record = run(_with_store(db_path, build))
    evaluation = next(e for e in record.exercises if e.item_id == item)
    assert evaluation.phones == 3
    table = next(e for e in evaluation.elements if isinstance(e, Table))
    assert table.rows[0][:4] == ("How was the day?", 3.67, 1.25, 3)
    sheet = evaluation.sheet
    assert sheet is not None
    # No time and no group; the rows sorted, so nothing pairs a rating with a text.
    assert sheet.headers == ("Part", "How was the day?", "Answer")
    assert sheet.rows == (
        ("Rating", 2, None),
        ("Rating", 4, None),
        ("Rating", 5, None),
        ("What could have been better, and how?", None, "Bedre 0"),
        ("What could have been better, and how?", None, "Bedre 1"),
        ("What could have been better, and how?", None, "Bedre 2"),
        ("What was good, and why?", None, "Bra 0"),
        ("What was good, and why?", None, "Bra 1"),
        ("What was good, and why?", None, "Bra 2"),
    )


def test_a_session_without_a_date_stays_open_until_the_time_on_the_day_it_closed(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    until = dt.datetime.now() + dt.timedelta(minutes=10)
    if until.date() != dt.date.today():
        pytest.skip("too close to midnight for a time later today")
    session, code, item = _session(facilitator, "", until.strftime("%H:%M"))
    phone = _join(app_client, code)
    _close(facilitator, session)
    assert phone.answer(Closed(session, code, item), "undated-key-01").status_code == 200  # type: ignore[attr-defined]
    assert len(_stored(db_path, item)) == 3


def test_with_approval_on_only_the_texts_wait_for_the_facilitator(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    session, code, item = _session(facilitator, "2099-03-14", "", **{"settings.approve": "1"})
    facilitator.post(f"/sessions/{session}/live/go", {"item_id": str(item)})
    phone = _join(app_client, code)
    answer = {"rating-0": "3", "good": "Godt møte", "better": ""}
    assert phone.answer(Closed(session, code, item), "approve-key-01", **answer).status_code == 200  # type: ignore[attr-defined]
    held = rows(db_path, "SELECT value, pending FROM responses WHERE item_id = ?", item)
    pending = {json.loads(str(value))["part"]: flag for value, flag in held}
    assert pending == {"rating": 0, "good": 1, "better": 0}


def test_the_programme_page_compares_three_sessions_evaluations(
    app_client: TestClient, facilitator: Facilitator
) -> None:
    programme = facilitator.create_programme()
    ratings = {"Samling 1": ("4", "2"), "Samling 2": ("5", "4", "3"), "Samling 3": ("5",)}
    for n, (title, given) in enumerate(ratings.items()):
        session, code, item = _session(
            facilitator, f"2099-0{n + 1}-14", "23:59", programme=programme, title=title
        )
        facilitator.post(f"/sessions/{session}/live/go", {"item_id": str(item)})
        for p, rating in enumerate(given):
            phone = _join(app_client, code)
            data = {"rating-0": rating, "good": f"Bra {title}", "better": ""}
            sent = phone.answer(Closed(session, code, item), f"compare-{n}-{p}-key", **data)
            assert sent.status_code == 200  # type: ignore[attr-defined]
        _close(facilitator, session)
    summary = facilitator.client.get(f"/programmes/{programme}/summary", headers=EN)
    assert summary.status_code == 200
    assert "Bra Samling 2" in summary.text and "Samling 3: spread" in summary.text
    for fmt in ("html", "docx", "xlsx", "csv"):
        download = facilitator.client.get(f"/programmes/{programme}/summary.{fmt}", headers=EN)
        assert download.status_code == 200, fmt
    page = facilitator.client.get(f"/programmes/{programme}", headers=EN).text
    compared = page[page.index('id="compared"') :]
    values = re.findall(r'class="num compare-value">([^<]+)<', compared)
    assert values == ["3.0", "4.0", "5.0"]
    means = re.findall(r"<td class=\"num\">([^<]+)</td>", compared)
    # Overall rating: mean and spread per session (the table writes one decimal).
    assert means[:6] == ["3.0", "1.0", "4.0", "0.8", "5.0", "0.0"]


def test_an_evaluation_without_a_rating_is_refused_and_keeps_what_was_typed(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    session, code, item = _session(facilitator, "2099-03-14", "")
    facilitator.post(f"/sessions/{session}/live/go", {"item_id": str(item)})
    phone = _join(app_client, code)
    closed = Closed(session, code, item)
    sent = phone.answer(closed, "no-rating-key-01", good="Godt <b>møte</b>", better="")
    assert sent.status_code == 422  # type: ignore[attr-defined]
    html = sent.text  # type: ignore[attr-defined]
    assert "Choose a rating." in html
    assert "Godt &lt;b&gt;møte&lt;/b&gt;</textarea>" in html
    too_long = phone.answer(closed, "no-rating-key-02", **{**ANSWER, "better": "x" * 501})
    assert too_long.status_code == 422  # type: ignore[attr-defined]
    assert _stored(db_path, item) == []
