"""Network groups in real Chromium: made on the programme page, picked by phones as they
join (from the QR link, or after typing the code), or given by a pasted name.

One server, one programme and one started session for the module (the server's demo
programme has groups of its own: every query names ours). What a phone joined
is read from the SQLite file: the control panel's view of the groups is not ours to test.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

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
from tests.browser.rooms import PHONE

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


@dataclass
class Day:
    browser: Browser
    server: LiveServer
    facilitator: BrowserContext
    problems: PageProblems
    programme_id: int
    session_id: int
    code: str

    def programme_page(self) -> Page:
        page = watch(self.facilitator.new_page(), self.problems)
        page.goto(f"{self.server.url}/programmes/{self.programme_id}")
        expect(page.locator("#groups-card h2")).to_have_text("Groups")
        return page

    def group_id(self, name: str) -> int:
        [(found,)] = self.rows(
            "SELECT id FROM groups WHERE programme_id = ? AND name = ?", self.programme_id, name
        )
        return int(str(found))

    def rows(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(f"file:{self.server.db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def groups(self) -> list[tuple[object, ...]]:
        return self.rows(
            "SELECT name, members FROM groups WHERE programme_id = ? ORDER BY position, id",
            self.programme_id,
        )

    def group_of(self, phone_name: str) -> object:
        [(group,)] = self.rows(
            "SELECT g.name FROM participants p LEFT JOIN groups g ON g.id = p.group_id"
            " WHERE p.session_id = ? AND p.name = ?",
            self.session_id,
            phone_name,
        )
        return group


@pytest.fixture(scope="module")
def day(browser: Browser, server: LiveServer) -> Iterator[Day]:
    server.add_facilitator("grouper", "grouper password 1")
    problems = PageProblems()
    facilitator = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = watch(facilitator.new_page(), problems)
    log_in(page, server, "grouper", "grouper password 1")
    page.fill("#title", "Lederprogram 2027")
    page.click("form[action='/programmes'] button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes/\d+$"))
    programme_id = int(page.url.rsplit("/", 1)[1])
    page.fill("#session-title", "Samling 1")
    page.click("form[action$='/sessions'] button[type=submit]")
    page.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(page.url.rsplit("/", 1)[1])
    page.goto(f"{server.url}/sessions/{session_id}/control")
    page.click("#start-session")
    expect(page.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = page.inner_text("#control-code").replace(" ", "")
    page.close()
    try:
        yield Day(browser, server, facilitator, problems, programme_id, session_id, code)
    finally:
        facilitator.close()


@pytest.fixture
def phone(day: Day) -> Iterator[Page]:
    context = new_context(day.browser, **PHONE)
    problems = PageProblems()
    page = watch(context.new_page(), problems)
    yield page
    assert_clean(page, problems)
    context.close()


def _create(page: Page, name: str, members: str) -> None:
    page.fill("#group-name-new", name)
    page.fill("#group-members-new", members)
    page.click("#group-new button[type=submit]")


def test_groups_are_made_renamed_edited_and_deleted(day: Day) -> None:
    page = day.programme_page()
    expect(page.locator("#no-groups")).to_be_visible()
    url = page.url

    # Pasted lists: blank lines, stray spaces and repeats (in any case) are dropped.
    _create(page, "Gygrene", "Kari Nordmann\n\n  Ola   Hansen \nkari nordmann\n")
    expect(page.locator("#groups-notice")).to_have_text("The group is created.")
    gygrene = day.group_id("Gygrene")
    expect(page.locator(f"#group-{gygrene} h3")).to_contain_text("Gygrene")
    expect(page.locator(f"#group-members-{gygrene}")).to_have_value("Kari Nordmann\nOla Hansen")
    _create(page, "Stjernelaget", "Åse Ødegård\nPer")
    expect(page.locator("#groups > li")).to_have_count(2)
    stjerne = day.group_id("Stjernelaget")
    # The new-group form is empty again, and the page was never reloaded (htmx swapped the card).
    expect(page.locator("#group-name-new")).to_have_value("")
    assert page.url == url
    assert day.groups() == [
        ("Gygrene", "Kari Nordmann\nOla Hansen"),
        ("Stjernelaget", "Åse Ødegård\nPer"),
    ]

    # Rename one, edit the other's members.
    page.fill(f"#group-name-{stjerne}", "Blåveis")
    page.click(f"#group-save-{stjerne}")
    expect(page.locator("#groups-notice")).to_have_text("The group is saved.")
    expect(page.locator(f"#group-{stjerne} h3")).to_contain_text("Blåveis")
    page.fill(f"#group-members-{gygrene}", "Kari Nordmann\nOla Hansen\nTrude Berg")
    page.click(f"#group-save-{gygrene}")
    expect(page.locator(f"#group-{gygrene} h3")).to_contain_text("3 members")
    assert day.groups() == [
        ("Gygrene", "Kari Nordmann\nOla Hansen\nTrude Berg"),
        ("Blåveis", "Åse Ødegård\nPer"),
    ]

    # A name that is taken (in another case) is refused, what was typed stays, nothing changes.
    _create(page, "GYGRENE", "Someone")
    expect(page.locator("#group-name-new-error")).to_have_text(
        "Another group in this programme is already called GYGRENE."
    )
    expect(page.locator("#group-name-new")).to_have_value("GYGRENE")
    expect(page.locator("#group-members-new")).to_have_value("Someone")
    page.fill(f"#group-name-{stjerne}", "gygrene")
    page.click(f"#group-save-{stjerne}")
    expect(page.locator(f"#group-name-{stjerne}-error")).to_have_text(
        "Another group in this programme is already called gygrene."
    )
    page.fill(f"#group-members-{gygrene}", "Kari\n" + "x" * 61)
    page.click(f"#group-save-{gygrene}")
    expect(page.locator(f"#group-members-{gygrene}-error")).to_have_text(
        "Line 2: At most 60 characters."
    )
    assert len(day.groups()) == 2
    assert day.groups()[1] == ("Blåveis", "Åse Ødegård\nPer")

    # Delete, after confirming.
    page.goto(url)
    _create(page, "Midlertidig", "")
    expect(page.locator("#groups-notice")).to_have_text("The group is created.")
    temporary = day.group_id("Midlertidig")
    dialogs: list[str] = []

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.click(f"#group-delete-{temporary}")
    expect(page.locator("#groups-notice")).to_have_text("The group is deleted.")
    expect(page.locator(f"#group-{temporary}")).to_have_count(0)
    page.remove_listener("dialog", accept)
    assert dialogs == ["Delete Midlertidig?"]
    assert [name for name, _members in day.groups()] == ["Gygrene", "Blåveis"]
    page.close()


def test_without_javascript_the_forms_still_work(day: Day) -> None:
    context = new_context(
        day.browser, locale="en-GB", java_script_enabled=False, storage_state=None
    )
    context.add_cookies(day.facilitator.cookies())
    page = context.new_page()
    page.goto(f"{day.server.url}/programmes/{day.programme_id}")
    _create(page, "Uten skript", "Nina")
    page.wait_for_url(re.compile(r"\?done=group-created"))
    expect(page.locator("#groups-notice")).to_have_text("The group is created.")
    group = day.group_id("Uten skript")
    _create(page, "uten SKRIPT", "")
    expect(page.locator("#group-name-new-error")).to_have_text(
        "Another group in this programme is already called uten SKRIPT."
    )
    page.click(f"#group-delete-{group}")
    page.wait_for_url(re.compile(r"\?done=group-deleted"))
    assert [name for name, _members in day.groups()] == ["Gygrene", "Blåveis"]
    context.close()


def test_a_phone_from_the_qr_link_picks_its_group(day: Day, phone: Page) -> None:
    phone.goto(f"{day.server.url}/j/{day.code}")
    select = phone.locator("#group")
    expect(select.locator("option")).to_have_text(["I don't know yet", "Gygrene", "Blåveis"])
    expect(select).to_have_value("")
    # No one's pasted name is offered before joining: whoever has the code would see them.
    expect(phone.locator("datalist")).to_have_count(0)
    expect(phone.locator("#names-listed")).to_be_visible()
    assert "Kari Nordmann" not in phone.content()
    phone.fill("#name", "Mona")
    select.select_option(label="Blåveis")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{day.code}$"))
    assert day.group_of("Mona") == "Blåveis"


def test_a_phone_that_typed_the_code_is_asked_for_its_group(day: Day, phone: Page) -> None:
    phone.goto(day.server.url + "/")
    expect(phone.locator("#group")).to_have_count(0)
    phone.fill("#code", day.code[:4] + " " + day.code[4:])
    phone.fill("#name", "Trond")
    phone.click("button[type=submit]")
    expect(phone.locator("#group-step")).to_be_visible()
    expect(phone.locator("#name")).to_have_value("Trond")
    expect(phone.locator("#group")).to_have_value("")
    assert day.rows("SELECT 1 FROM participants WHERE name = 'Trond'") == []  # not yet
    phone.select_option("#group", label="Gygrene")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{day.code}$"))
    assert day.group_of("Trond") == "Gygrene"


def test_a_phone_that_does_not_know_is_left_for_the_facilitator(day: Day, phone: Page) -> None:
    phone.goto(day.server.url + "/")
    phone.fill("#code", day.code)
    phone.fill("#name", "Nykommer")
    phone.click("button[type=submit]")
    expect(phone.locator("#group-step")).to_be_visible()
    phone.click("button[type=submit]")  # "I don't know yet"
    phone.wait_for_url(re.compile(rf"/s/{day.code}$"))
    assert day.group_of("Nykommer") is None


def test_a_pasted_name_lands_in_its_group(day: Day, phone: Page) -> None:
    phone.goto(f"{day.server.url}/j/{day.code}")
    phone.fill("#name", "kari  NORDMANN")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{day.code}$"))
    assert day.group_of("kari  NORDMANN") == "Gygrene"


def test_a_pasted_name_lands_in_its_group_after_a_typed_code(day: Day, phone: Page) -> None:
    phone.goto(day.server.url + "/")
    phone.fill("#code", day.code)
    phone.fill("#name", "åse ødegård")
    phone.click("button[type=submit]")
    expect(phone.locator("#group-step")).to_be_visible()
    # The step does not say which group the name is in; joining places the phone there.
    expect(phone.locator("#group")).to_have_value("")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{day.code}$"))
    assert day.group_of("åse ødegård") == "Blåveis"


def test_hostile_group_names_and_members_are_shown_as_text(day: Day, phone: Page) -> None:
    page = day.programme_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _create(page, SCRIPT, f"{IMG}\n{SCRIPT}")
    expect(page.locator("#groups-notice")).to_be_visible()
    group = day.group_id(SCRIPT)
    expect(page.locator(f"#group-{group} h3")).to_contain_text(SCRIPT)
    expect(page.locator(f"#group-name-{group}")).to_have_value(SCRIPT)
    expect(page.locator(f"#group-members-{group}")).to_have_value(f"{IMG}\n{SCRIPT}")
    page.reload()
    expect(page.locator(f"#group-{group} h3")).to_contain_text(SCRIPT)
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("[onerror]").count() == 0
    assert page.locator("#main script").count() == 0
    assert dialogs == []
    page.close()

    phone.goto(f"{day.server.url}/j/{day.code}")
    expect(phone.locator(f"#group option[value='{group}']")).to_have_text(SCRIPT)
    # The pasted names are not shown before joining, as text or as an option.
    expect(phone.locator("datalist")).to_have_count(0)
    assert "onerror" not in phone.content() and "onerror" not in phone.inner_text("body")
    assert phone.locator("img[src='x']").count() == 0
    assert phone.locator("main script").count() == 0
    phone.fill("#name", IMG)  # pasted in that group alone: the phone lands there
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{day.code}$"))
    assert day.group_of(IMG) == SCRIPT
