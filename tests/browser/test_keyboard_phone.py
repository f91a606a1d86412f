"""The phone with the keyboard alone: join with the code, then answer every kind of the day
(open text, word cloud, choice, scale, points, Q&A, group work, the poster, the evaluation
and a reflection) with Tab, Shift+Tab, Enter, Space, the arrows and typing; no click, no
fill, no goto after the first page. The focus must be seen at every stop. What the phone
sent is read back from the store.

The facilitator works over HTTP (only the phone is keyboard-only); a second phone, used
with the mouse, shares the group and asks the question the keyboard phone votes for.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, PageProblems, assert_clean, new_context, watch
from tests.browser.keyboard import activate, assert_focus_visible, tab_to, type_text
from tests.browser.rooms import join_phone
from tests.live_helpers import (
    LiveSession,
    close_clients,
    csrf_of,
    facilitator_client,
    live_session,
)

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "en-GB", "is_mobile": False}
SOON = 8_000
VOTES = "SELECT count(*) FROM response_votes WHERE response_id = ?"
AGENDA = """samling_agenda = 1

[[item]]
title = "Welcome"
duration = 5
kind = "talk"

[[item]]
title = "What matters"
duration = 5
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters most today?"
answers_per_phone = 2
max_length = 200

[[item]]
title = "Keywords"
duration = 5
kind = "exercise"
exercise = "word_cloud"

[item.settings]
question = "One word for the day"
entries_per_phone = 2
max_length = 40

[[item]]
title = "Where are we"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "How far has your unit come?"
options = ["Not started", "Halfway", "Well under way"]

[[item]]
title = "Wheel"
duration = 5
kind = "exercise"
exercise = "scale"

[item.settings]
question = "Rate yourself"
statements = ["Strategy", "Relations"]
steps = 5
low_label = "Little"
high_label = "Much"
chart = "bars"

[[item]]
title = "Priorities"
duration = 5
kind = "exercise"
exercise = "points"

[item.settings]
question = "Share ten points"
options = ["Trust", "Time", "Skills"]
budget = 10

[[item]]
title = "Questions"
duration = 5
kind = "exercise"
exercise = "qa"

[item.settings]
question = "What do you wonder?"
questions_per_phone = 3
max_length = 280
anonymous = false

[[item]]
title = "Co-creation"
duration = 10
kind = "exercise"
exercise = "group_work"

[item.settings]
task = "What does co-creation mean for us?"
phases = [
    { name = "Talk in the group", minutes = 5, mode = "group", instructions = "" },
    { name = "Share in plenary", minutes = 5, mode = "plenary", instructions = "" },
]
roles = [
    { name = "Secretary", rule = "the one nearest the window", keeps_list = true },
    { name = "Second secretary", rule = "the other one", keeps_list = true },
]

[[item]]
title = "Purpose poster"
duration = 10
kind = "exercise"
exercise = "poster"

[item.settings]
heading = "Our purpose"
preamble = "Our team creates value by:"
dots = 3
drafting_name = "First draft"
drafting_minutes = 5
plenary_name = "Side by side"
plenary_minutes = 5

[[item]]
title = "How was the day"
duration = 5
kind = "exercise"
exercise = "evaluation"

[item.settings]
question = "All in all, how was the day?"
steps = 5
low_label = "Poor"
high_label = "Very good"
statements = ["The content was relevant"]
good_question = "What was good?"
better_question = "What could be better?"
max_length = 500

[[item]]
title = "For yourself"
duration = 5
kind = "exercise"
exercise = "reflection"

[item.settings]
intro = "Write for yourself."
questions = ["What will you do first?", "When will you practise?"]
"""


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


def rows(server: LiveServer, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def stored_soon(server: LiveServer, expected: object, sql: str, *params: object) -> None:
    """The query's rows become ``expected`` within a few seconds (a vote the page shows at
    once is stored when the server answers)."""
    deadline = time.monotonic() + SOON / 1000
    while (found := rows(server, sql, *params)) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert found == expected


def values(server: LiveServer, item: int) -> list[dict[str, object]]:
    """The item's stored answers, oldest first."""
    found = rows(server, "SELECT value FROM responses WHERE item_id = ? ORDER BY id", item)
    return [json.loads(str(v)) for (v,) in found]


class Facilitator:
    def __init__(self, server: LiveServer, username: str) -> None:
        self.client = facilitator_client(server, username, f"{username} password 1")
        self.live: LiveSession = live_session(server, self.client, None, AGENDA)
        self.csrf = csrf_of(self.client)
        titles = re.findall(r'^title = "(.*)"$', AGENDA, flags=re.M)
        self.items: dict[str, int] = dict(zip(titles, self.live.item_ids, strict=True))

    def post(self, path: str, **data: str) -> None:
        done = self.client.post(
            f"/sessions/{self.live.id}/live/{path}", data={**data, "csrf_token": self.csrf}
        )
        assert done.status_code in (204, 303), done.text

    def go(self, title: str, *phones: Page) -> int:
        item = self.items[title]
        self.post("go", item_id=str(item))
        for phone in phones:
            expect(phone.locator("#item-title")).to_have_text(title, timeout=SOON)
        return item


def send(page: Page, button: str | re.Pattern[str]) -> None:
    """Tab to a form's button and press Enter on it."""
    tab_to(page, button)
    activate(page)


def join_by_keyboard(
    phone: Page, server: LiveServer, code: str, name: str, *, open_page: bool = True
) -> None:
    """Join: the code field has the focus; type the code, Tab to the name, Enter.
    ``open_page``: go to the join page first (else the phone is on it already)."""
    if open_page:
        phone.goto(server.url + "/")
    assert_focus_visible(phone, "on the join page")
    type_text(phone, code)
    tab_to(phone, "#name")
    type_text(phone, name)
    activate(phone)
    expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")


def test_a_phone_answers_every_kind_with_the_keyboard_alone(
    browser: Browser, server: LiveServer
) -> None:
    fac = Facilitator(server, "keyphone")
    code = fac.live.code
    watched: list[tuple[Page, PageProblems]] = []
    contexts = []
    try:
        ctx = new_context(browser, **PHONE)
        contexts.append(ctx)
        problems = PageProblems()
        phone = watch(ctx.new_page(), problems)
        watched.append((phone, problems))
        other_ctx = new_context(browser, **PHONE)
        contexts.append(other_ctx)
        other_problems = PageProblems()
        other = watch(other_ctx.new_page(), other_problems)
        watched.append((other, other_problems))

        join_by_keyboard(phone, server, code, "Kim Keys")
        expect(phone.locator("#item-title")).to_have_text("Welcome")

        join_phone(other, server, code, name="Mo Mouse")

        # Open text: type, Tab to Send, Enter; "Sent", and the field is ready for the next.
        item = fac.go("What matters", phone)
        tab_to(phone, "#answer-text")
        type_text(phone, "Time to think together")
        send(phone, "#answer-form button[type=submit]")
        expect(phone.locator("#own li")).to_have_count(1, timeout=SOON)
        expect(phone.locator("#answer-form .send-status")).to_have_text("Sent")
        # The focus is back in the field, for the next answer.
        assert_focus_visible(phone, "after sending")
        expect(phone.locator("#answer-text")).to_be_focused()
        assert [v["text"] for v in values(server, item)] == ["Time to think together"]
        # Edit it: back to its Edit link, Enter; the field has the focus, the caret at
        # the end; Save, and the focus is on the Edit link again.
        mine = str(rows(server, "SELECT id FROM responses WHERE item_id = ?", item)[0][0])
        tab_to(phone, f"#edit-{mine}-link", backwards=True)
        activate(phone)
        expect(phone.locator(f"#edit-{mine}")).to_be_focused(timeout=SOON)
        assert_focus_visible(phone, "in the answer's edit form")
        type_text(phone, " today")
        send(phone, f"#edit-form-{mine} button[type=submit]")
        expect(phone.locator("#own li")).to_contain_text("together today", timeout=SOON)
        expect(phone.locator(f"#edit-{mine}-link")).to_be_focused()
        assert [v["text"] for v in values(server, item)] == ["Time to think together today"]
        # Delete it: the focus goes to the field for a new answer.
        send(phone, f"#own-{mine} button.danger-text")
        expect(phone.locator("#own li")).to_have_count(0, timeout=SOON)
        expect(phone.locator("#answer-text")).to_be_focused()
        assert values(server, item) == []

        # Word cloud: a single field, sent with Enter.
        item = fac.go("Keywords", phone)
        tab_to(phone, "#answer-text")
        type_text(phone, "trust")
        activate(phone)
        expect(phone.locator("#own li")).to_have_count(1, timeout=SOON)
        assert [v["text"] for v in values(server, item)] == ["trust"]

        # Choice: Tab into the options, the arrows pick one.
        item = fac.go("Where are we", phone)
        tab_to(phone, "#answer-text-0")
        activate(phone, "Space")
        expect(phone.locator("#answer-text-0")).to_be_checked()
        activate(phone, "ArrowDown")
        assert_focus_visible(phone, "on the second option")
        expect(phone.locator("#answer-text-1")).to_be_checked()
        send(phone, "#answer-form button[type=submit]")
        expect(phone.locator("#own li")).to_have_count(1, timeout=SOON)
        # All sent: the focus is on what the page says now.
        expect(phone.locator("#all-sent")).to_be_focused()
        assert_focus_visible(phone, "after the last answer")
        assert [v["choices"] for v in values(server, item)] == [[1]]

        # Scale: each statement's steps are one group of radio buttons.
        item = fac.go("Wheel", phone)
        tab_to(phone, "#answer-text-0-1")
        activate(phone, "Space")
        for _ in range(3):
            activate(phone, "ArrowRight")
            assert_focus_visible(phone, "on a step of the scale")
        expect(phone.locator("#answer-text-0-4")).to_be_checked()
        tab_to(phone, "#answer-text-1-1")
        activate(phone, "Space")
        activate(phone, "ArrowRight")
        expect(phone.locator("#answer-text-1-2")).to_be_checked()
        send(phone, "#answer-form button[type=submit]")
        expect(phone.locator("#own li")).to_have_count(1, timeout=SOON)
        assert [v["ratings"] for v in values(server, item)] == [[4, 2]]

        # Points: number fields, typed; what is left is said as it changes.
        item = fac.go("Priorities", phone)
        tab_to(phone, "#answer-text-0")
        type_text(phone, "6")
        tab_to(phone, "#answer-text-2")
        type_text(phone, "4")
        expect(phone.locator(".points-left")).to_have_text("Points left: 0")
        send(phone, "#answer-form button[type=submit]")
        expect(phone.locator("#own li")).to_have_count(1, timeout=SOON)
        assert [v["points"] for v in values(server, item)] == [[6, 0, 4]]

        # Q&A: another phone has asked; this one asks too, and votes for the other's.
        item = fac.go("Questions", phone, other)
        other.fill("#answer-text", "When do we meet again?")
        other.click("#answer-form button[type=submit]")
        expect(phone.locator(".qa-votable li")).to_have_count(1, timeout=SOON)
        theirs = rows(server, "SELECT id FROM responses WHERE item_id = ?", item)[0][0]
        tab_to(phone, "#answer-text")
        type_text(phone, "Who keeps the notes?")
        tab_to(phone, "#answer-text-name")
        type_text(phone, "Kim")
        send(phone, "#answer-form button[type=submit]")
        expect(phone.locator("#own li")).to_have_count(1, timeout=SOON)
        expect(phone.locator(".qa-votable li")).to_have_count(2, timeout=SOON)
        vote = f"button[data-vote='{theirs}']"
        send(phone, vote)
        expect(phone.locator(vote)).to_have_attribute("aria-pressed", "true", timeout=SOON)
        expect(phone.locator(vote)).to_be_focused()
        stored_soon(server, [(1,)], VOTES, theirs)
        asked = values(server, item)
        assert {"text": "Who keeps the notes?", "name": "Kim"}.items() <= asked[1].items()

        # Group work: one group of the two phones, both keep the list. Add a point, move
        # it with the buttons (no dragging), and keep a private note.
        item = fac.go("Co-creation", phone, other)
        fac.post("groups", how="count", number="1")
        expect(phone.locator("#group-name")).to_have_text(re.compile("Your group"), timeout=SOON)
        expect(phone.locator("#my-role")).to_be_visible(timeout=SOON)
        fac.post("timer", action="start")
        other.fill("#point-text", "Listen first")
        other.click("#point-form button[type=submit]")
        expect(phone.locator("#group-points li[id^=point-]")).to_have_count(1, timeout=SOON)
        tab_to(phone, "#point-text")
        type_text(phone, "Decide together")
        send(phone, "#point-form button[type=submit]")
        expect(phone.locator("#group-points li[id^=point-]")).to_have_count(2, timeout=SOON)
        expect(phone.locator("#group-points li[id^=point-]").last).to_contain_text("Decide")
        tab_to(phone, "#group-points li:last-child button[value='-1']")
        activate(phone)
        expect(phone.locator("#group-points li[id^=point-]").first).to_contain_text(
            "Decide together", timeout=SOON
        )
        # The focus stays with the moved point (its "up" is disabled now: on its "down").
        moved = phone.locator("#group-points li[id^=point-]").first.get_attribute("id")
        assert moved
        expect(phone.locator(f"#move-down-{moved.split('-')[1]}")).to_be_focused()
        assert_focus_visible(phone, "after moving a point")
        ordered = rows(
            server,
            "SELECT json_extract(value, '$.text') FROM responses WHERE item_id = ?"
            " ORDER BY position",
            item,
        )
        assert ordered == [("Decide together",), ("Listen first",)]
        # The list keeper's Edit: open it with Enter, change the text, save; the focus
        # comes back to the point's Edit.
        first = str(moved).split("-")[1]
        summary = f"#point-edit-box-{first}-summary"
        send(phone, summary)
        tab_to(phone, f"#point-edit-{first}")
        activate(phone, "End")
        type_text(phone, " at once")
        send(phone, f"#point-edit-box-{first} button[type=submit]")
        expect(phone.locator(f"#point-{first}")).to_contain_text("together at once", timeout=SOON)
        expect(phone.locator(summary)).to_be_focused()
        edited = "SELECT json_extract(value, '$.text') FROM responses WHERE id = ?"
        assert rows(server, edited, int(first)) == [("Decide together at once",)]
        tab_to(phone, "#note-text")
        type_text(phone, "Ask Mo about the window")
        send(phone, re.compile("Save notes"))
        expect(phone.locator("#note-status")).to_have_text("Saved", timeout=SOON)
        assert rows(server, "SELECT text FROM notes WHERE item_id = ?", item) == [
            ("Ask Mo about the window",)
        ]

        # The poster: points on the group's draft, one moved up with its button, the draft
        # saved as a version; in the plenary, a dot for the other phone's point.
        item = fac.go("Purpose poster", phone, other)
        other.fill("#point-text", "trust")
        other.click("#point-form button[type=submit]")
        points = phone.locator("#poster-points li[id^=point-]")
        expect(points).to_have_count(1, timeout=SOON)
        tab_to(phone, "#point-text")
        type_text(phone, "listening before deciding")
        send(phone, "#point-form button[type=submit]")
        expect(points).to_have_count(2, timeout=SOON)
        mine = str(points.last.get_attribute("id")).split("-")[1]
        send(phone, f"#move-up-{mine}")
        expect(points.first).to_have_id(f"point-{mine}", timeout=SOON)
        expect(phone.locator(f"#move-down-{mine}")).to_be_focused()
        send(phone, f"#edit-{mine}-summary")
        tab_to(phone, f"#point-edit-{mine}")
        activate(phone, "End")
        type_text(phone, " first")
        send(phone, f"#point-save-{mine}")
        expect(points.first).to_contain_text("deciding first", timeout=SOON)
        expect(phone.locator(f"#edit-{mine}-summary")).to_be_focused()
        expect(phone.locator(f"#edit-{mine}")).not_to_have_attribute("open", "")
        tab_to(phone, "#version-name")
        type_text(phone, "Our first")
        activate(phone)
        expect(phone.locator("#version-list li")).to_have_count(1, timeout=SOON)
        ordered = rows(
            server,
            "SELECT json_extract(value, '$.text') FROM responses WHERE item_id = ?"
            " ORDER BY position",
            item,
        )
        assert ordered == [("listening before deciding first",), ("trust",)]
        assert rows(server, "SELECT name FROM drafts WHERE item_id = ?", item) == [("Our first",)]
        theirs = rows(
            server, "SELECT id FROM responses WHERE item_id = ? AND value LIKE '%trust%'", item
        )[0][0]
        fac.post("timer", action="start")
        fac.post("timer", action="skip")
        dot = f"#dot-{theirs}"
        expect(phone.locator(dot)).to_be_visible(timeout=SOON)
        send(phone, dot)
        expect(phone.locator(dot)).to_have_attribute("aria-pressed", "true", timeout=SOON)
        stored_soon(server, [(1,)], VOTES, theirs)

        # The evaluation: two ratings and two texts.
        item = fac.go("How was the day", phone)
        tab_to(phone, "#answer-text-0-1")
        activate(phone, "Space")
        for _ in range(4):
            activate(phone, "ArrowRight")
        tab_to(phone, "#answer-text-1-1")
        activate(phone, "Space")
        activate(phone, "ArrowRight")
        tab_to(phone, "#answer-text-good")
        type_text(phone, "The talks in the groups")
        tab_to(phone, "#answer-text-better")
        type_text(phone, "More breaks")
        send(phone, "#answer-form button[type=submit]")
        expect(phone.locator("#answer-form, #all-sent")).not_to_have_count(0, timeout=SOON)
        expect(phone.locator("#answers")).to_contain_text("Sent", timeout=SOON)
        stored = values(server, item)
        assert any(v.get("ratings") == [5, 2] for v in stored), stored
        texts = {str(v.get("text")) for v in stored} | {str(v.get("good")) for v in stored}
        assert "The talks in the groups" in " ".join(texts), stored

        # A reflection: two answers, saved.
        item = fac.go("For yourself", phone)
        tab_to(phone, "#reflection-answer-1")
        type_text(phone, "Ask before I decide")
        tab_to(phone, "#reflection-answer-2")
        type_text(phone, "Every Monday")
        send(phone, re.compile("Save my reflections"))
        expect(phone.locator("#reflection-status")).to_have_text("Saved", timeout=SOON)
        assert [v["answers"] for v in values(server, item)] == [
            ["Ask before I decide", "Every Monday"]
        ]
    finally:
        for page, found in watched:
            assert_clean(page, found)
        for ctx in contexts:
            ctx.close()


# The caret, the field and its text, as the phone has them now.
_FIELD = """() => {
  const el = document.activeElement;
  return el ? {id: el.id, value: el.value, caret: el.selectionStart} : null;
}"""


def test_pushes_keep_the_focus_the_typed_text_and_the_caret(
    browser: Browser, server: LiveServer
) -> None:
    """In every kind with a text field: half an answer typed, the caret moved back into
    it, then pushes (another phone answers, the facilitator highlights and hides it, a
    group member adds a point, +1 min on the timer); the field keeps the focus, the text
    and the caret, and typing goes on where it was."""
    fac = Facilitator(server, "keepfocus")
    code = fac.live.code
    watched: list[tuple[Page, PageProblems]] = []
    contexts = []
    try:
        pages: list[Page] = []
        for name in ("Kim Keys", "Mo Mouse"):
            ctx = new_context(browser, **PHONE)
            contexts.append(ctx)
            problems = PageProblems()
            page = watch(ctx.new_page(), problems)
            watched.append((page, problems))
            pages.append(join_phone(page, server, code, name=name))
        phone, other = pages

        def half_typed(field: str) -> None:
            tab_to(phone, field)
            type_text(phone, "half an answer")
            for _ in range(3):
                activate(phone, "ArrowLeft")

        def pushed(item: int, answer: Callable[[], None], *, marks: bool = True) -> None:
            """Pushes arrive; the last, +1 min, moves the phone's countdown. ``marks``:
            the facilitator highlights, then hides, the latest answer."""
            ends = phone.get_attribute("#countdown", "data-ends-at")
            answer()
            found = rows(server, "SELECT max(id) FROM responses WHERE item_id = ?", item)
            latest = found[0][0] if found else None
            if marks and latest is not None:
                for mark in ({"highlighted": "yes"}, {"hidden": "yes"}):
                    fac.post(f"items/{item}/do/mark", response=str(latest), **mark)
            fac.post("timer", action="extend")
            expect(phone.locator("#countdown")).not_to_have_attribute(
                "data-ends-at", str(ends), timeout=SOON
            )

        def kept(field: str) -> None:
            now = phone.evaluate(_FIELD)
            assert now == {"id": field, "value": "half an answer", "caret": 11}, now
            assert_focus_visible(phone, "after the pushes")
            type_text(phone, "-")
            assert phone.evaluate(_FIELD)["value"] == "half an ans-wer"

        def other_answers(
            field: str, text: str, button: str = "#answer-form button"
        ) -> Callable[[], None]:
            def answer() -> None:
                other.fill(field, text)
                other.click(button)
                expect(other.locator(field)).to_have_value("", timeout=SOON)

            return answer

        for title in ("What matters", "Keywords", "Questions"):
            item = fac.go(title, phone, other)
            fac.post("timer", action="start")
            expect(phone.locator("#countdown")).to_have_attribute("data-ends-at", re.compile("."))
            half_typed("#answer-text")
            answer = other_answers("#answer-text", f"Another phone on {title}")
            pushed(item, answer, marks=title != "Keywords")
            kept("answer-text")

        # Group work and the poster: the group's area (and its form) is re-rendered by a
        # member's new point.
        item = fac.go("Co-creation", phone, other)
        fac.post("groups", how="count", number="1")
        expect(phone.locator("#group-name")).to_be_visible(timeout=SOON)
        fac.post("timer", action="start")
        expect(phone.locator("#point-text")).to_be_visible(timeout=SOON)
        half_typed("#point-text")
        pushed(item, other_answers("#point-text", "Listen first", "#point-form button"))
        expect(phone.locator("#group-points")).to_contain_text("Listen first")
        kept("point-text")
        # The list keeper edits the other's point in its Edit box while another point
        # comes in: the box stays open, its field keeps the focus, the text and the caret.
        theirs = rows(
            server, "SELECT id FROM responses WHERE item_id = ? AND value LIKE '%Listen%'", item
        )[0][0]
        tab_to(phone, f"#point-edit-box-{theirs}-summary", backwards=True)
        activate(phone)
        tab_to(phone, f"#point-edit-{theirs}")
        activate(phone, "End")
        type_text(phone, " well")
        for _ in range(2):
            activate(phone, "ArrowLeft")
        pushed(item, other_answers("#point-text", "Then decide", "#point-form button"))
        expect(phone.locator("#group-points")).to_contain_text("Then decide")
        expect(phone.locator(f"#point-edit-box-{theirs}")).to_have_attribute("open", "")
        now = phone.evaluate(_FIELD)
        assert now == {"id": f"point-edit-{theirs}", "value": "Listen first well", "caret": 15}
        # The private notes, being typed as the phase moves on to the plenary.
        half_typed("#note-text")
        fac.post("timer", action="skip")
        expect(phone.locator("#phase-name")).to_have_text("Share in plenary", timeout=SOON)
        kept("note-text")

        item = fac.go("Purpose poster", phone, other)
        fac.post("timer", action="start")
        expect(phone.locator("#point-text")).to_be_visible(timeout=SOON)
        half_typed("#point-text")
        pushed(item, other_answers("#point-text", "Listen first", "#point-form button"))
        expect(phone.locator("#poster-points")).to_contain_text("Listen first")
        kept("point-text")

        # The evaluation: another phone's whole evaluation is in.
        item = fac.go("How was the day", phone, other)
        fac.post("timer", action="start")
        expect(phone.locator("#countdown")).to_have_attribute("data-ends-at", re.compile("."))
        half_typed("#answer-text-good")

        def evaluate() -> None:
            other.check("#answer-text-0-4")
            other.check("#answer-text-1-3")
            other.fill("#answer-text-better", "Longer breaks")
            other.click("#answer-form button[type=submit]")
            expect(other.locator("#answers")).to_contain_text("Sent", timeout=SOON)

        pushed(item, evaluate)
        kept("answer-text-good")

        # A reflection, while another phone saves its own.
        item = fac.go("For yourself", phone, other)
        fac.post("timer", action="start")
        expect(phone.locator("#countdown")).to_have_attribute("data-ends-at", re.compile("."))
        half_typed("#reflection-answer-1")

        def reflect() -> None:
            other.fill("#reflection-answer-1", "Ask first")
            other.click("#reflection-save")
            expect(other.locator("#reflection-status")).to_have_text("Saved", timeout=SOON)

        pushed(item, reflect, marks=False)
        kept("reflection-answer-1")
    finally:
        for page, found in watched:
            assert_clean(page, found)
        for ctx in contexts:
            ctx.close()
