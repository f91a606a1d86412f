"""The facilitator's day with the keyboard alone, in real Chromium: log in, create a
programme and a session, build the agenda (items of several kinds, one edited, reordered
with the move buttons), run the session (start, next, go to an item, hide and highlight
answers) and close it. No clicks, no fill, no goto but the first page: Tab and Shift+Tab,
Enter and Space, arrows and typing, and at every stop the focus can be seen.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.keyboard import activate, assert_focus_visible, tab_to, type_text
from tests.browser.rooms import PHONE, join_phone

# A settings field of each kind the agenda uses that the others do not have.
KIND_FIELD = {"open_text": "answers_per_phone", "word_cloud": "entries_per_phone"}


def stored_titles(db: Path, session_id: int) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT title FROM agenda_items WHERE session_id = ? ORDER BY position",
            (session_id,),
        ).fetchall()
    return [str(row[0]) for row in rows]


def stored_item(db: Path, session_id: int, title: str) -> tuple[int, int, str, str | None]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT id, duration_min, kind, exercise_kind FROM agenda_items"
            " WHERE session_id = ? AND title = ?",
            (session_id, title),
        ).fetchone()
    assert row is not None, f"no item {title!r} stored"
    return int(row[0]), int(row[1]), str(row[2]), row[3]


SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def focus_is(page: Page, selector: str, what: str) -> None:
    """The focus is on ``selector`` (waiting for it to arrive there, and for the page's
    change to settle, as a person reads it before the next key) and can be seen."""
    page.wait_for_function(SETTLED)
    expect(page.locator(selector)).to_be_focused()
    assert_focus_visible(page, what)


def choose(page: Page, value: str) -> None:
    """Change the focused (closed) select to ``value`` with the arrow keys."""
    options: list[str] = page.evaluate(
        "() => Array.from(document.activeElement.options).map((o) => o.value)"
    )
    current: str = page.evaluate("() => document.activeElement.value")
    steps = options.index(value) - options.index(current)
    for _ in range(abs(steps)):
        activate(page, "ArrowDown" if steps > 0 else "ArrowUp")
    assert page.evaluate("() => document.activeElement.value") == value
    assert_focus_visible(page, f"(choosing {value})")


def add_item(
    page: Page,
    title: str,
    minutes: str,
    kind: str = "talk",
    exercise: str = "",
    question: str = "",
) -> None:
    """Fill the "Add an item" form from its title field on, and send it with Enter."""
    tab_to(page, "#new-title")
    type_text(page, title)
    tab_to(page, "#new-duration")
    type_text(page, minutes)
    tab_to(page, "#new-kind")
    choose(page, kind)
    if exercise:
        tab_to(page, "#new-exercise")
        choose(page, exercise)
        # The kind's settings arrive by htmx (a field only this kind has); the focus stays
        # on the select.
        expect(page.locator(f"#new-settings-{KIND_FIELD[exercise]}")).to_be_attached()
        focus_is(page, "#new-exercise", "(after the settings of the kind came)")
    if question:
        tab_to(page, "#new-settings-question")
        type_text(page, question)
    tab_to(page, re.compile(r"^Add item$"))
    activate(page)
    expect(page.locator("#agenda-list .item-title", has_text=title)).to_be_visible()
    # Ready for the next item, and told what happened.
    focus_is(page, "#new-title", f"(after adding {title!r})")
    expect(page.locator("#new-title")).to_have_value("")
    expect(page.locator("#page-status")).to_contain_text(title)


def send_answer(browser: Browser, server: LiveServer, code: str, text: str) -> tuple[Page, int]:
    """A phone (mouse and fill are fine: only the facilitator here is keyboard-only)."""
    context = new_context(browser, **PHONE)
    phone = join_phone(context.new_page(), server, code)
    phone.fill("#answer-text", text)
    phone.click("#answer-form button[type=submit]")
    own = phone.locator("#own li")
    expect(own).to_have_count(1)
    return phone, int((own.first.get_attribute("id") or "").removeprefix("own-"))


def test_the_facilitator_plans_and_runs_a_day_with_the_keyboard_alone(
    browser: Browser, server: LiveServer
) -> None:
    server.add_facilitator("keys", "keys password 1")
    problems = PageProblems()
    context = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = watch(context.new_page(), problems)
    page.on("dialog", lambda dialog: dialog.accept())

    # Log in: the username field has the focus as the page opens.
    page.goto(server.url + "/login")
    focus_is(page, "#username", "(on the login page)")
    type_text(page, "keys")
    tab_to(page, "#password")
    type_text(page, "keys password 1")
    activate(page)
    page.wait_for_url(re.compile(r"/programmes$"))

    # A programme; the skip link leads past the top bar to the page's own content.
    tab_to(page, "#skip-link")
    activate(page)
    tab_to(page, "#title")
    type_text(page, "Keyboard programme")
    tab_to(page, "#client")
    type_text(page, "Example municipality")
    tab_to(page, re.compile(r"^Create programme$"))
    activate(page)
    page.wait_for_url(re.compile(r"/programmes/\d+$"))
    expect(page.locator("h1")).to_have_text("Keyboard programme")

    # A session in it.
    tab_to(page, "#session-title")
    type_text(page, "Keyboard day")
    tab_to(page, "#session-place")
    type_text(page, "Town hall")
    tab_to(page, re.compile(r"^Create session$"))
    activate(page, " ")
    page.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("h1")).to_have_text("Keyboard day")

    # The agenda: a talk, two exercises of different kinds and a break.
    add_item(page, "Welcome", "15")
    add_item(page, "Expectations", "20", "exercise", "open_text", "What do you hope for?")
    add_item(page, "Words", "10", "exercise", "word_cloud", "One word for today")
    add_item(page, "Break", "15", "break")
    assert stored_titles(server.db_path, session_id) == [
        "Welcome",
        "Expectations",
        "Words",
        "Break",
    ]
    assert stored_item(server.db_path, session_id, "Words")[2:] == ("exercise", "word_cloud")

    # Edit one: the form opens with the focus in it, and the focus comes back after saving.
    welcome, _, _, _ = stored_item(server.db_path, session_id, "Welcome")
    tab_to(page, f"#edit-{welcome}", backwards=True, limit=120)
    activate(page)
    focus_is(page, "#edit-title", "(in the opened edit form)")
    tab_to(page, "#edit-duration")
    page.keyboard.press("Control+A")
    type_text(page, "25")
    tab_to(page, re.compile(r"^Save item$"))
    activate(page)
    expect(page.locator("#edit-form")).to_have_count(0)
    focus_is(page, f"#edit-{welcome}", "(after saving the item)")
    expect(page.locator("#page-status")).to_contain_text("Welcome")
    assert stored_item(server.db_path, session_id, "Welcome")[1] == 25

    # A field left wrong: the error is said and the focus goes to the field.
    activate(page)
    focus_is(page, "#edit-title", "(in the edit form again)")
    tab_to(page, "#edit-duration")
    page.keyboard.press("Control+A")
    type_text(page, "-5")
    tab_to(page, re.compile(r"^Save item$"))
    activate(page)
    focus_is(page, "#edit-duration[aria-invalid=true]", "(on the wrong field)")
    assert stored_item(server.db_path, session_id, "Welcome")[1] == 25
    # Cancel (a link: Enter) closes the form; the focus is back on the item's Edit link.
    tab_to(page, re.compile(r"^Cancel$"))
    activate(page)
    expect(page.locator("#edit-form")).to_have_count(0)
    focus_is(page, f"#edit-{welcome}", "(after cancelling)")

    # Reorder with the move buttons: the focus stays on the moved item's button.
    tab_to(page, f"#down-{welcome}")
    activate(page)
    expect(page.locator("#agenda-list .item-title")).to_have_text(
        ["Expectations", "Welcome", "Words", "Break"]
    )
    focus_is(page, f"#down-{welcome}", "(after moving Welcome down)")
    activate(page, " ")
    expect(page.locator("#agenda-list .item-title")).to_have_text(
        ["Expectations", "Words", "Welcome", "Break"]
    )
    focus_is(page, f"#down-{welcome}", "(after moving Welcome down again)")
    expect(page.locator("#page-status")).to_contain_text("Welcome")
    words, _, _, _ = stored_item(server.db_path, session_id, "Words")
    tab_to(page, f"#up-{words}", backwards=True)
    activate(page)
    expect(page.locator("#agenda-list .item-title")).to_have_text(
        ["Words", "Expectations", "Welcome", "Break"]
    )
    focus_is(page, f"#up-{words}", "(after moving Words up)")
    assert stored_titles(server.db_path, session_id) == [
        "Words",
        "Expectations",
        "Welcome",
        "Break",
    ]

    # Run the session: follow the link with Enter, start it.
    tab_to(page, "#run-session", backwards=True, limit=120)
    activate(page)
    page.wait_for_url(re.compile(rf"/sessions/{session_id}/control$"))
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    tab_to(page, "#start-session")
    activate(page)
    expect(page.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    expect(page.locator("#current-title")).to_have_text("Words")
    focus_is(page, "#next", "(after starting the session)")
    code = page.inner_text("#control-code").replace(" ", "")

    # Next: the focus stays on Next as the panel changes.
    activate(page)
    expect(page.locator("#current-title")).to_have_text("Expectations")
    focus_is(page, "#next", "(after Next)")

    # The timer: Start becomes Pause and Pause becomes Resume; the focus follows.
    tab_to(page, "#timer-start")
    activate(page)
    expect(page.locator("#timer-pause")).to_be_visible()
    focus_is(page, "#timer-pause", "(after starting the timer)")
    activate(page, " ")
    expect(page.locator("#timer-start")).to_have_text("Resume")
    focus_is(page, "#timer-start", "(after pausing the timer)")

    # Two phones answer the open question.
    phone_a, first = send_answer(browser, server, code, "More time to talk")
    phone_b, second = send_answer(browser, server, code, "Clear decisions")
    expect(page.locator(f"#response-{second}")).to_be_visible()

    # Hide one answer and highlight the other; the focus stays on the button pressed.
    tab_to(page, f"#hide-{first}")
    activate(page)
    expect(page.locator(f"#response-{first}")).to_have_class(re.compile(r"\bis-hidden\b"))
    focus_is(page, f"#hide-{first}", "(after hiding an answer)")
    expect(page.locator(f"#hide-{first}")).to_have_text("Show")
    tab_to(page, f"#highlight-{second}")
    activate(page, " ")
    expect(page.locator(f"#response-{second}")).to_have_class(re.compile(r"\bhighlighted\b"))
    focus_is(page, f"#highlight-{second}", "(after highlighting an answer)")
    with sqlite3.connect(server.db_path) as conn:
        marks = dict(
            (int(r[0]), (bool(r[1]), bool(r[2])))
            for r in conn.execute(
                "SELECT id, hidden, highlighted FROM responses WHERE id IN (?, ?)",
                (first, second),
            )
        )
    assert marks == {first: (True, False), second: (False, True)}

    # A theme for the answers: added with Enter in its field, then set on an answer.
    tab_to(page, "#theme-name")
    type_text(page, "Decisions")
    activate(page)
    expect(page.locator("#themes")).to_contain_text("Decisions")
    focus_is(page, "#theme-name", "(after adding a theme)")
    tab_to(page, f"#theme-{second}", backwards=True)
    theme = page.locator(f"#theme-{second} option", has_text="Decisions").get_attribute("value")
    assert theme
    choose(page, theme)
    tab_to(page, re.compile(r"^Set theme$"))
    activate(page)
    expect(page.locator("#themes")).to_contain_text("Decisions (1)")
    focus_is(page, f"#theme-{second}", "(after setting the theme)")

    # Go to an item from the agenda: the focus goes to the new current item's title.
    break_id, _, _, _ = stored_item(server.db_path, session_id, "Break")
    tab_to(page, f"#go-{break_id}", backwards=True)
    activate(page)
    expect(page.locator("#current-title")).to_have_text("Break")
    focus_is(page, "#current-title", "(after going to an item)")

    # Close: the confirmation opens with the focus in it; Escape-free Cancel returns it.
    tab_to(page, "#close-session", backwards=True)
    activate(page)
    focus_is(page, "#close-cancel", "(in the close confirmation)")
    activate(page)
    expect(page.locator("#close-confirm")).to_have_count(0)
    focus_is(page, "#close-session", "(after cancelling the close)")
    activate(page)
    focus_is(page, "#close-cancel", "(in the close confirmation again)")
    tab_to(page, "#close-confirmed", backwards=True)
    activate(page)
    expect(page.locator("#closed-badge")).to_be_visible()
    focus_is(page, "#record-title", "(after closing the session)")
    with sqlite3.connect(server.db_path) as conn:
        state = conn.execute(
            "SELECT live_state FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
    assert state == ("closed",)
    tab_to(page, "#record-summary")

    for phone in (phone_a, phone_b):
        phone.context.close()
    assert_clean(page, problems)
    context.close()


def tab_through(page: Page, what: str, limit: int = 400) -> int:
    """Tab from the top of the page through every stop until the focus comes round again;
    each stop must show its focus. Returns how many stops there were."""
    # From the top: the page itself has the focus, and no stop is marked from a round before.
    page.evaluate(
        """() => {
          document.querySelectorAll('[data-k1-seen]').forEach((el) => delete el.dataset.k1Seen);
          const body = document.body;
          body.setAttribute('tabindex', '-1');
          body.focus();
          body.removeAttribute('tabindex');
          window.scrollTo(0, 0);
        }"""
    )
    seen = nowhere = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        again = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return 'none';
              if (el.dataset.k1Seen) return 'again';
              el.dataset.k1Seen = '1';
              return 'new';
            }"""
        )
        # Round again, or out of the page after its last stop (or a page with none).
        nowhere = nowhere + 1 if again == "none" else 0
        if again == "again" or (again == "none" and seen) or nowhere > 2:
            return seen
        if again == "new":
            seen += 1
            assert_focus_visible(page, f"(tabbing through {what})")
    raise AssertionError(f"more than {limit} stops on {what}")


DEMO_PROGRAMME = "Lederutviklingsprogram 2027 (demo)"


def test_every_focus_stop_shows_its_focus_on_every_screen_of_the_demo_day(
    browser: Browser, server: LiveServer
) -> None:
    """The whole demo day (an item of every kind): the facilitator's pages, the control
    panel, the presenter and a phone at each item, with an answer in where a text is
    asked; every element the keyboard reaches shows a focus of 3:1 against its
    background. Setting the day up may click; the check is the keyboard's."""
    problems = PageProblems()
    facilitator = new_context(browser, locale="nb-NO", viewport={"width": 1280, "height": 900})
    control = watch(facilitator.new_page(), problems)
    phone_context = new_context(browser, **{**PHONE, "locale": "nb-NO"})
    phone_problems = PageProblems()
    try:
        control.goto(server.url + "/login")
        tab_through(control, "the login page")
        control.fill("#username", "admin")
        control.fill("#password", server.admin_password)
        control.click("button[type=submit]")
        control.wait_for_url(re.compile(r"/programmes$"))
        tab_through(control, "the programmes")
        control.get_by_role("link", name=DEMO_PROGRAMME).click()
        control.wait_for_url(re.compile(r"/programmes/\d+$"))
        tab_through(control, "a programme")
        control.get_by_role("link", name="Samling 1").click()
        control.wait_for_url(re.compile(r"/sessions/\d+$"))
        session_url = control.url
        tab_through(control, "the agenda editor")
        control.locator("#agenda-list a[id^='edit-']").nth(1).click()
        expect(control.locator("#edit-form")).to_be_visible()
        tab_through(control, "the agenda editor with an item open")
        control.goto(server.url + "/account")
        tab_through(control, "the account page")

        control.goto(session_url + "/control")
        tab_through(control, "the control panel before the start")
        control.click("#start-session")
        expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
        code = control.inner_text("#control-code").replace(" ", "")
        presenter = watch(facilitator.new_page(), problems)
        presenter.goto(session_url + "/present")
        expect(presenter.locator("#connection")).to_have_attribute("data-state", "connected")
        phone = watch(phone_context.new_page(), phone_problems)
        phone.goto(f"{server.url}/j/{code}")
        tab_through(phone, "the join page")
        phone.fill("#name", "Ola Testesen")
        phone.click("button[type=submit]")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")

        titles = control.locator("#control-agenda .what").all_inner_texts()
        for index in range(len(titles)):
            if index:
                before = control.inner_text("#current-title")
                control.click("#next")
                expect(control.locator("#current-title")).not_to_have_text(before)
            title = control.inner_text("#current-title")
            expect(phone.locator("#item-title")).to_have_text(title)
            expect(presenter.locator("#present-title")).to_have_text(title)
            where = f"at {title!r}"
            assert tab_through(control, f"the control panel {where}") > 10
            tab_through(presenter, f"the presenter {where}")
            assert tab_through(phone, f"the phone {where}") > 1
            text = phone.locator("#answer-form textarea#answer-text")
            if text.count() and not phone.locator("#answer-form input[type=radio]").count():
                text.fill("Tillit på tvers")
                phone.click("#answer-form button[type=submit]")
                expect(phone.locator("#own li").first).to_be_attached()
                tab_through(phone, f"the phone with its answer {where}")
                expect(control.locator("#control-kind")).to_contain_text("Tillit på tvers")
                tab_through(control, f"the control panel with an answer {where}")
        control.click("#close-session")
        expect(control.locator("#close-confirm")).to_be_visible()
        tab_through(control, "the close confirmation")
        control.click("#close-confirmed")
        expect(control.locator("#closed-badge")).to_be_visible()
        tab_through(control, "the closed session's record")
        expect(phone.locator("body")).to_contain_text(re.compile(r"\S"))
        tab_through(phone, "the phone after the end")
        assert_clean(control, problems)
        assert_clean(phone, phone_problems)
    finally:
        phone_context.close()
        facilitator.close()


def same_element(page: Page, selector: str) -> None:
    """Mark the element now, so a later check can tell it is still the same one."""
    page.evaluate("(s) => { document.querySelector(s).dataset.k1Before = '1'; }", selector)


def assert_same_element(page: Page, selector: str) -> None:
    assert page.evaluate("(s) => document.querySelector(s).dataset.k1Before === '1'", selector), (
        f"{selector} was put in anew: a region put in with its text is not announced"
    )


def test_status_messages_change_inside_live_regions_that_were_there_before(
    browser: Browser, server: LiveServer
) -> None:
    """What the facilitator's pages say after a change (saved, a request that failed, the
    control panel's connection) is said by screen readers: the text changes inside a
    region (aria-live polite, errors role=alert) that was in the page before."""
    server.add_facilitator("regions", "regions password 1")
    problems = PageProblems()
    context = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = watch(context.new_page(), problems)
    try:
        log_in(page, server, "regions", "regions password 1")
        page.fill("#title", "Regions programme")
        page.click("form[action='/programmes'] button[type=submit]")
        page.wait_for_url(re.compile(r"/programmes/\d+$"))
        page.fill("#session-title", "Regions day")
        page.click("form[action$='/sessions'] button[type=submit]")
        page.wait_for_url(re.compile(r"/sessions/\d+$"))
        session_id = int(page.url.rsplit("/", 1)[1])

        # Saved: the page's status region is there, empty, before the first change.
        region = page.locator("#page-status")
        expect(region).to_have_attribute("aria-live", "polite")
        expect(region).to_have_text("")
        same_element(page, "#page-status")
        for title in ("Opening", "Closing"):
            tab_to(page, "#new-title")
            type_text(page, title)
            activate(page)
            expect(region).to_have_text(f"Added “{title}”.")
        assert_same_element(page, "#page-status")
        opening = stored_item(server.db_path, session_id, "Opening")[0]

        # A change that does not reach the server: said in the alert region, which was in
        # the page (hidden, empty) and is shown before its text comes.
        problem = page.locator("#request-problem")
        expect(problem).to_have_attribute("role", "alert")
        expect(problem).to_be_hidden()
        same_element(page, "#request-problem")
        page.route(re.compile(r"/items/\d+/move$"), lambda route: route.abort())
        tab_to(page, f"#down-{opening}")
        activate(page)
        expect(problem).to_have_text(re.compile(r"^Could not reach the server"))
        expect(problem).to_be_visible()
        assert_same_element(page, "#request-problem")
        focus_is(page, f"#down-{opening}", "(after a change that failed)")
        assert stored_titles(server.db_path, session_id) == ["Opening", "Closing"]
        # Once a change works again, the problem goes.
        page.unroute(re.compile(r"/items/\d+/move$"))
        activate(page)
        expect(region).to_have_text("“Opening” is now number 2 of 2.")
        expect(problem).to_be_hidden()
        assert stored_titles(server.db_path, session_id) == ["Closing", "Opening"]

        # Deleted (after the browser's own confirmation, answered with the keyboard's Enter
        # as the dialog's default): said, and the focus goes to the next item's Edit link.
        page.on("dialog", lambda dialog: dialog.accept())
        tab_to(page, re.compile(r"^Delete Closing$"), backwards=True)
        activate(page)
        expect(region).to_have_text("Deleted “Closing”.")
        focus_is(page, f"#edit-{opening}", "(after deleting the item before it)")
        assert stored_titles(server.db_path, session_id) == ["Opening"]
        assert_same_element(page, "#page-status")

        # The control panel's connection: the same status region says each state.
        sockets: list[WebSocketRoute] = []

        def through(ws: WebSocketRoute) -> None:
            ws.connect_to_server()
            sockets.append(ws)

        page.route_web_socket(re.compile(r"/ws\?view=control"), through)
        tab_to(page, "#run-session", backwards=True, limit=120)
        activate(page)
        page.wait_for_url(re.compile(rf"/sessions/{session_id}/control$"))
        connection = page.locator("#connection")
        expect(connection).to_have_attribute("role", "status")
        expect(connection).to_have_text("Connected")
        same_element(page, "#connection")
        sockets[-1].close(code=1012, reason="restart")
        expect(connection).to_have_text("Offline – reconnecting…")
        expect(connection).to_have_text("Connected", timeout=15_000)
        assert_same_element(page, "#connection")
        assert len(sockets) >= 2
        assert_clean(page, problems)
    finally:
        context.close()
