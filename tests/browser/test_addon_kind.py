"""An exercise kind from an add-on, switched on through the environment, end to end.

``tests/addon`` holds a test-only kind, ``relay`` (phones pass words to their
group), registered as any add-on would be and switched on with
``SAMLING_PLUGINS``; no line outside its package knows of it. Here a
facilitator plans it in the editor, exports and imports it as TOML, forms
groups, and four phones pass words: each group sees its own words live and
never the other's, the presenter counts them, the control panel lists them and
the facilitator stars one, which that group's phones show. Its stylesheet,
script, static file and bokmål translations all reach the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.rooms import join_phone

PLUGINS = "exercises,tests.addon"
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(
        tmp_path_factory.mktemp("addon") / "samling.db", env={"SAMLING_PLUGINS": PLUGINS}
    )
    live.start()
    try:
        yield live
    finally:
        live.stop()


def _phone(
    browser: Browser, server: LiveServer, code: str, locale: str
) -> tuple[Page, PageProblems, BrowserContext]:
    context = new_context(browser, locale=locale, **PHONE)
    problems = PageProblems()
    page = join_phone(watch(context.new_page(), problems), server, code)
    language = locale.split("-")[0]
    if page.get_attribute("html", "lang") != language:
        # The session speaks its participants' language: this phone picks its own.
        page.click(f"#phone-languages a[data-language={language}]")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    return page, problems, context


def test_an_add_on_kind_runs_end_to_end(
    browser: Browser, server: LiveServer, tmp_path: Path
) -> None:
    server.add_facilitator("addon", "addon password 1")
    facilitator = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    problems = PageProblems()
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, "addon", "addon password 1")
    control.fill("#title", "Add-on programme")
    control.click("form[action='/programmes'] button[type=submit]")
    control.wait_for_url(re.compile(r"/programmes/\d+$"))
    control.fill("#session-title", "Add-on day")
    control.click("form[action$='/sessions'] button[type=submit]")
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(control.url.rsplit("/", 1)[1])

    # The editor offers the kind and its own settings form; bad settings are refused.
    control.fill("#new-title", "Pass it on")
    control.fill("#new-duration", "10")
    control.select_option("#new-kind", "exercise")
    control.select_option("#new-exercise", "relay")
    expect(control.locator("#new-settings-prompt")).to_be_visible()
    control.fill("#new-settings-words_per_phone", "9")
    control.click("#new-form button[type=submit]")
    expect(control.locator("#new-form")).to_contain_text("Must be between 1 and 5.")
    control.fill("#new-settings-prompt", "One word for today")
    control.fill("#new-settings-words_per_phone", "2")
    control.click("#new-form button[type=submit]")
    expect(control.locator("#agenda-list .item-title", has_text="Pass it on")).to_be_visible()

    # Its settings travel in the TOML file, and come back in by import.
    with control.expect_download() as download:
        control.click("#export-link")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert 'exercise = "relay"' in exported
    assert 'prompt = "One word for today"' in exported and "words_per_phone = 2" in exported
    again = tmp_path / "again.toml"
    again.write_text(exported.replace("One word for today", "One word, again"), encoding="utf-8")
    control.on("dialog", lambda dialog: dialog.accept())  # "Importing replaces the agenda"
    control.set_input_files("#import-file", str(again))
    control.click("form[action$='/import'] button[type=submit]")
    expect(control.locator("#import-error")).to_have_count(0)
    expect(control.locator("#agenda-list")).to_contain_text("One word, again")

    # Live: the presenter, four phones (one in bokmål), two groups formed on the spot.
    control.goto(f"{server.url}/sessions/{session_id}/control")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")
    presenter = watch(facilitator.new_page(), problems)
    presenter.goto(f"{server.url}/sessions/{session_id}/present")
    expect(presenter.locator(".relay-prompt")).to_have_text("One word, again")
    phones = [_phone(browser, server, code, "nb-NO" if n == 0 else "en-GB") for n in range(4)]
    try:
        pages = [page for page, _problems, _context in phones]
        norwegian = pages[0]
        expect(norwegian.locator("#relay-no-group")).to_have_text("Du er ikke i en gruppe ennå.")
        control.fill("#groups-number", "2")
        control.click("#form-groups-button")
        groups: dict[str, list[Page]] = {}
        for page in pages:
            heading = page.locator("#relay-group")
            expect(heading).to_be_visible()
            name = re.sub(r"^(Words of|Ordene til) ", "", heading.inner_text().strip())
            groups.setdefault(name, []).append(page)
        assert sorted(len(g) for g in groups.values()) == [2, 2]
        (first_name, first), (second_name, second) = groups.items()

        # The kind's stylesheet, script and static file reach the phone.
        icon_loaded = first[0].evaluate(
            "() => document.getElementById('relay-icon').naturalWidth > 0"
        )
        assert icon_loaded
        first[0].fill("#relay-word", "trust")
        first[0].dispatch_event("#relay-word", "input")
        expect(first[0].locator("#relay-letters")).to_contain_text("5")

        # A word passed goes to its own group's phones live, and to no other group's.
        first[0].click("#relay-form button[type=submit]")
        second[0].fill("#relay-word", "courage")
        second[0].click("#relay-form button[type=submit]")
        for page in first:
            expect(page.locator("#relay-words")).to_contain_text("trust")
            expect(page.locator("#relay-words")).not_to_contain_text("courage")
        for page in second:
            expect(page.locator("#relay-words")).to_contain_text("courage")
            expect(page.locator("#relay-words")).not_to_contain_text("trust")
        second[1].fill("#relay-word", "two words")
        second[1].click("#relay-form button[type=submit]")
        expect(second[1].locator("#shared-problem")).to_have_text("One word, please.")

        # The presenter counts each group's words; the control panel lists them.
        expect(presenter.locator("#relay-counts")).to_contain_text(f"{first_name} 1 word")
        expect(presenter.locator("#relay-counts")).to_contain_text(f"{second_name} 1 word")
        expect(control.locator("#relay-control li")).to_have_count(2)

        # The facilitator stars a word: that group's phones show the star.
        row = control.locator("#relay-control li", has_text="courage")
        row.locator("button").click()
        for page in second:
            expect(page.locator("#relay-words li.starred")).to_have_text("courage")
        starred = first[0].locator("#relay-words li.starred")
        expect(first[0].locator("#relay-words")).to_contain_text("trust")
        assert starred.count() == 0
        color = second[0].evaluate(
            "() => getComputedStyle(document.querySelector('#relay-words li.starred'))"
            ".backgroundColor"
        )
        assert color == "rgb(242, 184, 75)"
        expect(norwegian.locator("#relay-form button[type=submit]")).to_have_text("Send videre")
        for page, found, _context in phones:
            assert_clean(page, found)
        assert_clean(control, problems)
        assert_clean(presenter, problems)
    finally:
        for _page, _found, context in phones:
            context.close()
        facilitator.close()
