"""The facilitator plans a day in real Chromium: programme, session, agenda, files, logout."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, LiveServer, PageProblems, assert_clean, log_in, watch

EXAMPLE = ROOT / "examples" / "agenda-samling-1.toml"


def _titles(page: Page) -> list[str]:
    return page.locator("#agenda-list .item-title").all_inner_texts()


def _add_item(
    page: Page, title: str, start: str, minutes: str, kind: str = "talk", question: str = ""
) -> None:
    page.fill("#new-title", title)
    page.fill("#new-start", start)
    page.fill("#new-duration", minutes)
    page.select_option("#new-kind", kind)
    if question:
        page.fill("#new-form textarea[name='settings.question']", question)
    page.click("#new-form button[type=submit]")
    expect(page.locator("#agenda-list .item-title", has_text=title)).to_be_visible()


def test_plan_a_day_export_import_and_log_out(
    browser: Browser, server: LiveServer, tmp_path: Path
) -> None:
    server.add_facilitator("planner", "planner password 1")
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    problems = PageProblems()
    page = watch(context.new_page(), problems)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, server, "planner", "planner password 1")

    page.fill("#title", "Leadership programme 2027")
    page.fill("#client", "Example municipality")
    page.click("form[action='/programmes'] button[type=submit]")
    expect(page.locator("h1")).to_have_text("Leadership programme 2027")
    programme_url = page.url
    page.fill("#session-title", "Session 1")
    page.fill("#session-date", "2027-03-14")
    page.fill("#session-place", "Town hall")
    page.click("form[action$='/sessions'] button[type=submit]")
    expect(page.locator("h1")).to_have_text("Session 1")

    # Build the agenda by hand; htmx saves without reloading the page.
    page.evaluate("window.__samePage = true")
    _add_item(page, "Welcome", "08:30", "15")
    _add_item(page, "Expectations", "08:45", "30", "exercise", "What matters most?")
    _add_item(page, "Break", "09:15", "15", "break")
    assert page.evaluate("window.__samePage === true")
    assert _titles(page) == ["Welcome", "Expectations", "Break"]
    expect(page.locator("#day-summary")).to_contain_text("Planned end of the day: 09:30")
    expect(page.locator("#item-2, #agenda-list li").nth(1)).to_contain_text("What matters most?")

    # A start that overlaps shows a warning.
    page.locator("#agenda-list li", has_text="Break").get_by_role("link", name="Edit").click()
    page.fill("#edit-start", "09:00")
    page.click("#edit-form button[type=submit]")
    expect(page.locator("#agenda-list li", has_text="Break")).to_contain_text(
        "Starts 15 min before the previous item ends."
    )
    expect(page.locator("#day-summary")).to_contain_text("1 warning")

    # Reorder: drag and drop, then the keyboard's buttons.
    page.locator("#agenda-list li", has_text="Break").drag_to(
        page.locator("#agenda-list li", has_text="Welcome"), target_position={"x": 20, "y": 5}
    )
    expect(page.locator("#agenda-list .item-title").first).to_have_text("Break")
    up = page.locator("#agenda-list li", has_text="Expectations").locator("button[value=up]")
    up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#agenda-list .item-title")).to_have_text(
        ["Break", "Expectations", "Welcome"]
    )
    page.reload()
    assert _titles(page) == ["Break", "Expectations", "Welcome"]

    # Export, then import the example day into another session.
    with page.expect_download() as download:
        page.click("#export-link")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("samling_agenda = 1")
    assert exported.index("Break") < exported.index("Expectations") < exported.index("Welcome")

    page.goto(programme_url)
    page.fill("#session-title", "Session 2")
    page.click("form[action$='/sessions'] button[type=submit]")
    page.set_input_files("#import-file", str(EXAMPLE))
    page.click("form[action$='/import'] button[type=submit]")
    expect(page.locator("#agenda-list > li")).to_have_count(
        EXAMPLE.read_text(encoding="utf-8").count("[[item]]")
    )
    expect(page.locator("#agenda-list")).to_contain_text("Velkommen til første ledersamling")

    # A malformed file is refused with its line and field; nothing changes.
    before = _titles(page)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'samling_agenda = 1\n\n[[item]]\ntitle = "A"\nduration = "ten"\n', encoding="utf-8"
    )
    page.set_input_files("#import-file", str(bad))
    page.click("form[action$='/import'] button[type=submit]")
    expect(page.locator("#import-error")).to_contain_text("Line 5")
    expect(page.locator("#import-error")).to_contain_text("item[1].duration")
    assert _titles(page) == before

    # Log out: the old cookie no longer opens anything.
    cookie = next(c for c in context.cookies() if c["name"] == "samling_login")
    page.click("form[action='/logout'] button")
    page.wait_for_url(re.compile(r"/login$"))
    assert_clean(page, problems)
    context.close()

    thief = browser.new_context(locale="en-GB")
    thief.add_cookies([cookie])
    stolen = thief.new_page()
    stolen.goto(server.url + "/programmes")
    expect(stolen).to_have_url(re.compile(r"/login\?next=/programmes$"))
    thief.close()


def test_a_refused_item_focuses_its_wrong_field_at_once_and_never_later(
    browser: Browser, server: LiveServer
) -> None:
    """The field a refusal names takes the focus as the refusal comes in. When the
    facilitator has moved on to another field by the time the new content settles, the
    focus stays there, so what they type next lands where they are typing."""
    server.add_facilitator("quick", "quick password 1")
    context = browser.new_context(locale="en-GB")
    problems = PageProblems()
    page = watch(context.new_page(), problems)
    log_in(page, server, "quick", "quick password 1")
    page.fill("#title", "Quick programme")
    page.click("form[action='/programmes'] button[type=submit]")
    page.fill("#session-title", "Quick day")
    page.click("form[action$='/sessions'] button[type=submit]")
    expect(page.locator("h1")).to_have_text("Quick day")
    # A long settle: a fast hand is in another field well before the content settles.
    page.evaluate("htmx.config.defaultSettleDelay = 1500")

    page.fill("#new-title", "Check-in")
    page.fill("#new-duration", "10")
    page.select_option("#new-kind", "exercise")
    page.select_option("#new-exercise", "scale")
    page.fill("#new-settings-steps", "99")
    page.click("#new-form button[type=submit]")
    expect(page.locator("#new-settings-steps")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"

    page.fill("#new-title", "Check-in round")
    expect(page.locator(".htmx-settling")).to_have_count(0)
    expect(page.locator("#new-title")).to_be_focused()
    page.keyboard.type(" one")
    expect(page.locator("#new-title")).to_have_value("Check-in round one")
    expect(page.locator("#new-settings-steps")).to_have_value("99")
    assert_clean(page, problems)
    context.close()
