"""The agenda editor in real Chromium: plan a session, reorder, export, import.

One server for the module and one English-speaking facilitator ("planner").
The main test follows the issue's flow from login to logout; the others
reorder from the keyboard, edit items in place and feed the editor bad input.
Every page is watched for CSP violations and script errors (the ``page``
fixture). Accounts, language and sharing: test_facilitator_accounts.py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from babel.dates import format_date
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    ROOT,
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)

USERNAME = "planner"
PASSWORD = "planner password 1"
EXAMPLE = ROOT / "examples" / "agenda-samling-1.toml"


@pytest.fixture(scope="module")
def planner(server: LiveServer) -> str:
    """An English-speaking facilitator of this module's server."""
    server.add_facilitator(USERNAME, PASSWORD)
    return USERNAME


# Helpers: each does what a facilitator does, and waits for the page to show it.


def create_programme(
    page: Page, server: LiveServer, title: str, client: str = "Example municipality"
) -> int:
    page.goto(server.url + "/programmes")
    page.fill("#title", title)
    page.fill("#client", client)
    page.click("form[action='/programmes'] button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes/\d+$"))
    expect(page.locator("h1")).to_have_text(title)
    return int(page.url.rsplit("/", 1)[1])


def create_session(
    page: Page, server: LiveServer, programme_id: int, title: str, date: str, place: str
) -> int:
    """Add a session on the programme page; the browser lands in its agenda editor."""
    page.goto(f"{server.url}/programmes/{programme_id}")
    page.fill("#session-title", title)
    page.fill("#session-date", date)
    page.fill("#session-place", place)
    page.click("form[action$='/sessions'] button[type=submit]")
    page.wait_for_url(re.compile(r"/sessions/\d+$"))
    expect(page.locator("h1")).to_have_text(title)
    # The day in words, in the facilitator's language (English here).
    day = format_date(dt.date.fromisoformat(date), format="long", locale="en")
    expect(page.locator("main p.muted").first).to_have_text(f"{day} · {place}")
    return int(page.url.rsplit("/", 1)[1])


def agenda_items(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("#agenda-list > li")


def agenda_titles(page: Page) -> list[str]:
    return page.locator("#agenda-list > li .item-title").all_inner_texts()


def item_id(page: Page, title: str) -> int:
    """The id of the (first) agenda item with this title."""
    li = page.locator("#agenda-list > li", has=page.locator(".item-title", has_text=title))
    return int(li.first.get_attribute("data-item-id") or "0")


def fill_item_form(
    page: Page,
    prefix: str,
    title: str,
    *,
    start: str = "",
    duration: int | str = 15,
    kind: str = "talk",
    question: str | None = None,
) -> None:
    """Fill the add form ("new") or the edit form ("edit")."""
    page.fill(f"#{prefix}-title", title)
    page.fill(f"#{prefix}-start", start)
    page.fill(f"#{prefix}-duration", str(duration))
    page.select_option(f"#{prefix}-kind", kind)
    exercise = page.locator(f"#{prefix}-form .exercise-fields")
    if kind == "exercise":
        # Choosing the kind "exercise" reveals the exercise's fieldset.
        expect(exercise).to_be_visible()
        expect(page.locator(f"#{prefix}-exercise")).to_have_value("open_text")
        if question is not None:
            page.locator(f"#{prefix}-form textarea[name='settings.question']").fill(question)
    else:
        expect(exercise).to_be_hidden()


def add_item(page: Page, title: str, **fields: object) -> None:
    """Add an item with the form under the agenda; wait until the list shows it."""
    before = agenda_items(page).count()
    fill_item_form(page, "new", title, **fields)  # type: ignore[arg-type]
    page.click("#new-form button[type=submit]")
    expect(agenda_items(page)).to_have_count(before + 1)
    expect(agenda_items(page).last.locator(".item-title")).to_have_text(title)
    # A successful add empties the form for the next item.
    expect(page.locator("#new-title")).to_have_value("")
    settled(page)


def settled(page: Page) -> None:
    """Wait until htmx has finished the editor's swap (call once the new content shows).

    htmx wires up swapped-in forms only when it settles, 20 ms after the swap;
    a key pressed before that submits the form the plain way (a full page load).
    """
    expect(page.locator("#agenda-editor")).not_to_have_class(re.compile(r"htmx-settling"))


def mark_page(page: Page) -> None:
    """Set a marker that only survives while no full page load happens."""
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


WELCOME, COFFEE, MATTERS, ROUND_UP = (
    "Welcome and opening",
    "Coffee",
    "What matters most",
    "Round-up",
)


def test_plan_a_session_export_import_and_log_out(
    browser: Browser, server: LiveServer, planner: str, page: Page
) -> None:
    log_in(page, server, planner, PASSWORD)
    programme_id = create_programme(page, server, "Leadership programme 2027")
    session_id = create_session(
        page, server, programme_id, "First gathering", "2027-03-14", "Town hall"
    )
    expect(page.locator("#day-summary")).to_contain_text("The agenda is empty")

    # Build the day by hand; htmx swaps the editor, the page is never reloaded.
    mark_page(page)
    add_item(page, WELCOME, start="08:30", duration=15, kind="talk")
    add_item(page, COFFEE, duration=15, kind="break")
    add_item(
        page, MATTERS, duration=20, kind="exercise", question="What matters most to you today?"
    )
    add_item(page, ROUND_UP, duration=10, kind="talk")
    assert_not_reloaded(page)
    titles = page.locator("#agenda-list > li .item-title")
    expect(titles).to_have_text([WELCOME, COFFEE, MATTERS, ROUND_UP])
    welcome, coffee, matters, round_up = (
        item_id(page, t) for t in (WELCOME, COFFEE, MATTERS, ROUND_UP)
    )
    expect(page.locator(f"#item-{welcome} .time")).to_have_text("08:30–08:45")
    expect(page.locator(f"#item-{coffee} .time")).to_have_text("08:45–09:00")
    expect(page.locator(f"#item-{matters} .time")).to_have_text("09:00–09:20")
    expect(page.locator(f"#item-{coffee} .badge")).to_have_text("Break")
    expect(page.locator(f"#item-{matters} .badge")).to_have_text("Exercise: Open text")
    expect(page.locator(f"#item-{matters} .question")).to_have_text(
        "What matters most to you today?"
    )
    summary = page.locator("#day-summary")
    expect(summary).to_contain_text("Planned end of the day: 09:30")
    expect(summary).to_contain_text("4 items")
    expect(summary).not_to_contain_text("warning")

    # Drag and drop: the exercise goes to the top (dropped on the top edge of the first).
    page.locator(f"#item-{matters}").drag_to(
        page.locator(f"#item-{welcome}"), target_position={"x": 40, "y": 3}
    )
    expect(titles).to_have_text([MATTERS, WELCOME, COFFEE, ROUND_UP])
    # The order was saved: the times come from the server (the first item has no start).
    expect(page.locator(f"#item-{matters} .time")).to_have_text("–")
    expect(page.locator(f"#up-{matters}")).to_have_attribute("aria-disabled", "true")
    settled(page)
    assert_not_reloaded(page)
    page.reload()
    assert agenda_titles(page) == [MATTERS, WELCOME, COFFEE, ROUND_UP]

    # The keyboard: focus the exercise's "down" button and press Enter, then Space.
    mark_page(page)
    page.locator(f"#down-{matters}").focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text([WELCOME, MATTERS, COFFEE, ROUND_UP])
    settled(page)
    # The focus stays on the same button of the moved item, so it can go on.
    expect(page.locator(f"#down-{matters}")).to_be_focused()
    page.keyboard.press("Space")
    expect(titles).to_have_text([WELCOME, COFFEE, MATTERS, ROUND_UP])
    settled(page)
    expect(page.locator(f"#down-{matters}")).to_be_focused()
    # Shift+Tab reaches its "up" button; Enter moves it back up.
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f"#up-{matters}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(titles).to_have_text([WELCOME, MATTERS, COFFEE, ROUND_UP])
    settled(page)
    expect(page.locator(f"#up-{matters}")).to_be_focused()
    assert_not_reloaded(page)
    expect(summary).to_contain_text("Planned end of the day: 09:30")

    # A plain reload shows the saved order and times.
    page.reload()
    assert agenda_titles(page) == [WELCOME, MATTERS, COFFEE, ROUND_UP]
    expect(page.locator(f"#item-{matters} .time")).to_have_text("08:45–09:05")
    expect(page.locator(f"#item-{coffee} .time")).to_have_text("09:05–09:20")
    expect(page.locator(f"#item-{round_up} .time")).to_have_text("09:20–09:30")

    # Export: a TOML file with the day in it.
    with page.expect_download() as download_info:
        page.click("#export-link")
    download = download_info.value
    assert download.suggested_filename == "first-gathering.toml"
    exported = Path(download.path()).read_text(encoding="utf-8")
    assert exported.startswith("samling_agenda = 1\n")
    positions = [exported.index(f'title = "{title}"') for title in agenda_titles(page)]
    assert positions == sorted(positions), "the file keeps the agenda's order"
    assert exported.count("[[item]]") == 4
    assert 'start = "08:30"' in exported
    assert 'question = "What matters most to you today?"' in exported

    # A second session gets the example day by import.
    second_id = create_session(
        page, server, programme_id, "Second gathering", "2027-04-11", "Library"
    )
    assert second_id != session_id
    example_titles = re.findall(r'^title = "(.*)"$', EXAMPLE.read_text("utf-8"), re.M)
    assert len(example_titles) == EXAMPLE.read_text("utf-8").count("[[item]]") >= 20
    mark_page(page)
    dialogs: list[str] = []

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.set_input_files("#import-file", EXAMPLE)
    page.click("#agenda-editor form[action$='/import'] button[type=submit]")
    expect(agenda_items(page)).to_have_count(len(example_titles))
    assert dialogs == ["Importing replaces the whole agenda. Continue?"]
    imported = f"Imported {len(example_titles)} items."
    expect(page.locator("#agenda-editor .notice")).to_have_text(imported)
    assert agenda_titles(page) == example_titles
    expect(page.locator("#day-summary")).to_contain_text("Planned end of the day: 15:30")
    assert_not_reloaded(page)
    page.remove_listener("dialog", accept)
    # The first session kept its own agenda.
    page.goto(f"{server.url}/sessions/{session_id}")
    assert agenda_titles(page) == [WELCOME, MATTERS, COFFEE, ROUND_UP]

    # Log out: the old login cookie stops working for good.
    login_cookie = next(c for c in page.context.cookies() if c["name"] == "samling_login")
    assert _reaches_programmes(browser, server, login_cookie), "the cookie should work before"
    page.locator("nav").get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login$"))
    assert not any(c["name"] == "samling_login" for c in page.context.cookies())
    assert not _reaches_programmes(browser, server, login_cookie)
    page.goto(f"{server.url}/sessions/{session_id}")
    assert urlparse(page.url).path == "/login"


def _reaches_programmes(browser: Browser, server: LiveServer, cookie: dict) -> bool:  # type: ignore[type-arg]
    """Whether a fresh browser holding only this cookie gets the programmes page."""
    context = new_context(browser, locale="en-GB")
    try:
        context.add_cookies([cookie])  # type: ignore[list-item]
        problems = PageProblems()
        other = watch(context.new_page(), problems)
        response = other.goto(f"{server.url}/programmes")
        assert response is not None and response.ok
        path = urlparse(other.url).path
        assert_clean(other, problems)
        if path == "/login":
            expect(other.locator("#username")).to_be_visible()
            return False
        assert path == "/programmes"
        expect(other.locator("#programmes")).to_contain_text("Leadership programme 2027")
        return True
    finally:
        context.close()


def new_day(page: Page, server: LiveServer, title: str) -> int:
    """A programme with one session, its (empty) agenda editor open."""
    programme_id = create_programme(page, server, f"Programme for {title}")
    return create_session(page, server, programme_id, title, "2027-05-02", "Community hall")


def open_editor(page: Page, title: str) -> int:
    """Click an item's Edit link; the form opens in place of the item."""
    target = item_id(page, title)
    page.get_by_role("link", name=f"Edit {title}", exact=True).click()
    expect(page.locator(f"#item-{target} #edit-form")).to_be_visible()
    settled(page)
    return target


def save_editor(page: Page) -> None:
    page.click("#edit-form button[type=submit]")
    expect(page.locator("#edit-form")).to_have_count(0)
    settled(page)


def test_keyboard_focus_survives_moving_an_item_to_either_end(
    server: LiveServer, planner: str, page: Page
) -> None:
    """The arrow buttons are the keyboard's way to reorder: the focus must stay with them.

    At either end of the list the arrow just pressed no longer applies; the
    focus must then stay with the item (say, on its other arrow) rather than
    fall back to the top of the page, where a keyboard user loses their place.
    """
    log_in(page, server, planner, PASSWORD)
    new_day(page, server, "Keyboard day")
    for title in ("First", "Second", "Third"):
        add_item(page, title, duration=10)
    second = item_id(page, "Second")
    titles = page.locator("#agenda-list > li .item-title")
    focus_on_second = page.locator(f"#item-{second} .item-actions button:focus")
    mark_page(page)

    page.locator(f"#down-{second}").focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["First", "Third", "Second"])
    settled(page)
    expect(focus_on_second).to_have_count(1)

    page.locator(f"#up-{second}").focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["First", "Second", "Third"])
    settled(page)
    expect(page.locator(f"#up-{second}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["Second", "First", "Third"])
    settled(page)
    expect(focus_on_second).to_have_count(1)
    assert_not_reloaded(page)


def test_edit_items_in_place_and_see_overlaps_and_gaps(
    server: LiveServer, planner: str, page: Page
) -> None:
    log_in(page, server, planner, PASSWORD)
    new_day(page, server, "Editing day")
    add_item(page, "Welcome", start="09:00", duration=30, kind="talk")
    add_item(page, "Group work", duration=45, kind="exercise", question="What should change?")
    add_item(page, "Lunch", duration=30, kind="break")
    summary = page.locator("#day-summary")
    expect(summary).to_contain_text("Planned end of the day: 10:45")
    expect(summary).not_to_contain_text("warning")
    welcome, group, lunch = (item_id(page, t) for t in ("Welcome", "Group work", "Lunch"))
    mark_page(page)

    # Edit opens the item's own form in its place, filled in; the item cannot be dragged.
    open_editor(page, "Welcome")
    expect(page.locator(f"#item-{welcome}")).not_to_have_attribute("draggable", "true")
    expect(page.locator("#edit-title")).to_have_value("Welcome")
    expect(page.locator("#edit-start")).to_have_value("09:00")
    expect(page.locator("#edit-duration")).to_have_value("30")
    expect(page.locator("#edit-kind")).to_have_value("talk")
    expect(page.locator("#edit-form .exercise-fields")).to_be_hidden()
    expect(agenda_items(page)).to_have_count(3)
    page.fill("#edit-title", "Welcome and introductions")
    page.fill("#edit-duration", "45")
    save_editor(page)
    expect(page.locator(f"#item-{welcome} .item-title")).to_have_text("Welcome and introductions")
    expect(page.locator(f"#item-{welcome} .muted")).to_have_text("45 min")
    expect(page.locator(f"#item-{welcome} .time")).to_have_text("09:00–09:45")
    expect(page.locator(f"#item-{group} .time")).to_have_text("09:45–10:30")
    expect(page.locator(f"#item-{lunch} .time")).to_have_text("10:30–11:00")
    expect(summary).to_contain_text("Planned end of the day: 11:00")
    expect(summary).not_to_contain_text("warning")

    # Cancel leaves the item as it was.
    open_editor(page, "Lunch")
    page.fill("#edit-title", "Long lunch")
    page.locator("#edit-form").get_by_role("link", name="Cancel").click()
    expect(page.locator("#edit-form")).to_have_count(0)
    settled(page)
    expect(page.locator(f"#item-{lunch} .item-title")).to_have_text("Lunch")

    # A planned start before the previous item ends: an overlap.
    open_editor(page, "Group work")
    expect(page.locator("#edit-kind")).to_have_value("exercise")
    expect(page.locator("#edit-form textarea[name='settings.question']")).to_have_value(
        "What should change?"
    )
    page.fill("#edit-start", "09:30")
    save_editor(page)
    expect(page.locator(f"#item-{group} .warning")).to_have_text(
        "Starts 15 min before the previous item ends."
    )
    expect(page.locator(f"#item-{group}")).to_have_class(re.compile(r"\bhas-warning\b"))
    expect(page.locator(f"#item-{group} .time")).to_have_text("09:30–10:15")
    expect(summary).to_contain_text("1 warning")

    # A planned start after the previous item ends: a gap.
    open_editor(page, "Lunch")
    page.fill("#edit-start", "11:30")
    save_editor(page)
    expect(page.locator(f"#item-{lunch} .warning")).to_have_text("75 min gap before this item.")
    expect(summary).to_contain_text("2 warnings")
    expect(summary).to_contain_text("Planned end of the day: 12:00")
    expect(page.locator(f"#item-{welcome} .warning")).to_have_count(0)

    # Moving the exercise back to 09:45 ends the overlap; the gap remains.
    open_editor(page, "Group work")
    page.fill("#edit-start", "09:45")
    save_editor(page)
    expect(page.locator(f"#item-{group} .warning")).to_have_count(0)
    expect(page.locator(f"#item-{lunch} .warning")).to_have_text("60 min gap before this item.")
    expect(summary).to_contain_text("1 warning")
    expect(summary).not_to_contain_text("1 warnings")

    # A bad value in the edit form: the error shows in place, the item is unchanged.
    open_editor(page, "Lunch")
    page.fill("#edit-duration", "99999")
    page.click("#edit-form button[type=submit]")
    expect(page.locator(f"#item-{lunch} #edit-duration-error")).to_have_text(
        "Must be between 0 and 1440."
    )
    settled(page)
    page.locator("#edit-form").get_by_role("link", name="Cancel").click()
    expect(page.locator("#edit-form")).to_have_count(0)
    settled(page)
    expect(page.locator(f"#item-{lunch} .muted")).to_have_text("30 min")
    assert_not_reloaded(page)

    page.reload()
    assert agenda_titles(page) == ["Welcome and introductions", "Group work", "Lunch"]
    expect(page.locator(f"#item-{lunch} .warning")).to_have_text("60 min gap before this item.")
    expect(page.locator(f"#item-{group} .question")).to_have_text("What should change?")


def test_the_add_form_keeps_its_labels_while_an_exercise_is_edited(
    server: LiveServer, planner: str, page: Page
) -> None:
    """Both item forms are on the page at once: their fields need ids of their own."""
    log_in(page, server, planner, PASSWORD)
    new_day(page, server, "Labels day")
    add_item(page, "Reflection", duration=10, kind="exercise", question="What did you learn?")
    open_editor(page, "Reflection")
    duplicates = page.evaluate(
        """() => {
            const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
            return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
        }"""
    )
    assert duplicates == [], f"ids used more than once: {duplicates}"
    # Each form's "Question" label names that form's own field.
    edit_question = page.locator("#edit-form").get_by_label("Question", exact=True)
    expect(edit_question).to_have_value("What did you learn?")
    page.select_option("#new-kind", "exercise")
    expect(page.locator("#new-form").get_by_label("Question", exact=True)).to_have_value("")


def test_bad_input_is_refused_next_to_the_field(
    server: LiveServer, planner: str, page: Page, tmp_path: Path
) -> None:
    log_in(page, server, planner, PASSWORD)
    new_day(page, server, "Bad input day")
    add_item(page, "Welcome", start="09:00", duration=15)
    add_item(page, "Discussion", duration=20, kind="exercise", question="What do you think?")
    before = agenda_titles(page)
    mark_page(page)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    def refused(field: str, message: str) -> None:
        """The form came back with this error under the field, and nothing was added."""
        error = page.locator(f"#new-{field}-error")
        expect(error).to_have_text(message)
        expect(page.locator(f"#new-{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#new-{field}")).to_have_attribute(
            "aria-describedby", f"new-{field}-error"
        )
        settled(page)
        assert agenda_titles(page) == before
        expect(page.locator("#new-form .field-error")).to_have_count(1)

    # An empty title: the browser itself refuses to send the form.
    fill_item_form(page, "new", "", duration=10)
    page.click("#new-form button[type=submit]")
    assert page.eval_on_selector("#new-title", "el => el.validity.valueMissing")
    assert page.eval_on_selector("#new-title", "el => el.validationMessage")
    # Only blanks passes the browser's check; the server says what is wrong.
    fill_item_form(page, "new", "   ", duration=10)
    page.click("#new-form button[type=submit]")
    refused("title", "Required.")
    expect(page.locator("#new-duration")).to_have_value("10")  # what was typed stays

    # 25:00 is no time of day. (A browser without a time picker sends what was typed.)
    fill_item_form(page, "new", "Late talk", duration=10)
    page.eval_on_selector("#new-start", "el => { el.type = 'text'; }")
    page.fill("#new-start", "25:00")
    page.click("#new-form button[type=submit]")
    refused("start", "Write the time as HH:MM, for example 08:30.")
    expect(page.locator("#new-title")).to_have_value("Late talk")

    fill_item_form(page, "new", "Endless talk", duration=99999)
    page.click("#new-form button[type=submit]")
    refused("duration", "Must be between 0 and 1440.")
    expect(page.locator("#new-duration")).to_have_value("99999")

    # An exercise needs its question.
    fill_item_form(page, "new", "Silent exercise", duration=10, kind="exercise", question="")
    page.click("#new-form button[type=submit]")
    error = page.locator("#new-form .exercise-fields .field-error")
    expect(error).to_have_text("Required.")
    expect(page.locator("#new-form .exercise-fields")).to_be_visible()
    settled(page)
    assert agenda_titles(page) == before
    assert len([u for u in posts if u.endswith("/items")]) == 4, posts

    # Corrected, the item goes in and the errors go away.
    fill_item_form(page, "new", "Endless talk", duration=90)
    page.click("#new-form button[type=submit]")
    expect(agenda_items(page)).to_have_count(3)
    expect(page.locator("#new-form .field-error")).to_have_count(0)
    settled(page)
    before = agenda_titles(page)

    # A malformed file is refused with its line and field; the agenda stays as it is.
    page.on("dialog", lambda dialog: dialog.accept())
    bad_type = tmp_path / "bad-duration.toml"
    bad_type.write_text(
        "samling_agenda = 1\n"
        "\n"
        "[[item]]\n"
        'title = "Welcome"\n'
        "duration = 15\n"
        "\n"
        "[[item]]\n"
        'title = "Ten minutes of talk"\n'
        'duration = "ten"\n',
        encoding="utf-8",
    )
    not_toml = tmp_path / "not-toml.toml"
    not_toml.write_text(
        'samling_agenda = 1\n\n[[item]]\ntitle = "Unclosed\nduration = 5\n', encoding="utf-8"
    )
    for path, expected in (
        (bad_type, "Line 9, item[2].duration: Must be a whole number."),
        (not_toml, re.compile(r"^Line 4: This is not valid TOML \(.+\)\.$")),
    ):
        page.set_input_files("#import-file", path)
        page.click("#agenda-editor form[action$='/import'] button[type=submit]")
        expect(page.locator("#import-error")).to_have_text(expected)
        settled(page)
        assert agenda_titles(page) == before
    assert_not_reloaded(page)
    page.reload()
    assert agenda_titles(page) == before
    expect(page.locator("#import-error")).to_have_count(0)
