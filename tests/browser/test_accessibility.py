"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA, target-size too) on every screen, in real Chromium.

One server for the module, on the demo day its first start makes: the login page, the
programmes, a programme, the session with its agenda editor, the account page, the
accessibility statement; then the session started, with the control panel, the presenter
and a phone on a talk, a break and each kind of exercise as the current item (four of them
again with a phone's answer in, one with it highlighted, then hidden); the phones and
closing pages; the join page; both summaries, on screen and as downloaded HTML files. Then
the main screens in nynorsk, Danish and English (login, control panel, presenter, the
phone's join and live pages, an answer sorted into a theme with the presenter's themes
view, group work in its plenary), each session in its participants' language. Each
screen has 0 violations, or a reviewed exception listed in ALLOWED with its reason (the
rule and the exact selector, so anything new still fails).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import Allowed, assert_accessible, problems
from tests.browser.conftest import (
    ROOT,
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.live_helpers import csrf_of, facilitator_client, new_session

EXAMPLE = ROOT / "examples" / "agenda-samling-1.toml"
PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "nb-NO", "is_mobile": True}
PROGRAMME = "Lederutviklingsprogram 2027 (demo)"
# A talk, a break, and one item of each kind of exercise the demo agenda has.
CURRENT = [
    "Velkommen til første ledersamling",
    "Gruppeoppgave: det aller viktigste",
    "Hva gjør programmet nyttig for deg?",
    "Pause",
    "Samskaping i gruppene",
    "Hvor vil du vokse som leder?",
    "Hva skal lederplattformen bidra mest til?",
    "Formålsplakaten",
    "Oppstart av eget individuelt arbeid",
    "Oppsummering og veien videre",
    "Til første møte i nettverksgruppen",
    "Evaluering – vel hjem!",
]

# The items a phone answers after the first look, then the three screens are checked again
# with the answer in: open text, word cloud, choice, scale.
ANSWERED = {
    "Gruppeoppgave: det aller viktigste": "Tillit på tvers av sektorene",
    "Hva gjør programmet nyttig for deg?": "samarbeid",
    "Hvor vil du vokse som leder?": "",
    "Oppstart av eget individuelt arbeid": "",
    "Oppsummering og veien videre": "Når er neste samling?",
}

# What the facilitator then does to the answer, each a state checked again: the button
# clicked on the control panel, and what shows that it is done.
MARKS = {
    "Gruppeoppgave: det aller viktigste": [
        (" highlighted", "[id^='highlight-']", "#control-kind [id^='highlight-'][value='no']"),
        (" hidden", "[id^='hide-']", "#control-kind [id^='hide-'][value='no']"),
    ],
    "Oppsummering og veien videre": [
        (" answered", "[id^='answered-']", ".qa-answered li"),
    ],
}

# Reviewed exceptions: (rule id, the node's selector, why it stays for now).
ALLOWED: tuple[Allowed, ...] = ()  # none today: every screen checked has 0 violations


@dataclass
class Day:
    facilitator: BrowserContext
    control: Page
    session_url: str
    programme_url: str


@pytest.fixture(scope="module")
def day(browser: Browser, server: LiveServer) -> Iterator[Day]:
    problems = PageProblems()
    facilitator = new_context(browser, locale="nb-NO", viewport={"width": 1280, "height": 900})
    control = watch(facilitator.new_page(), problems)
    try:
        log_in(control, server, "admin", server.admin_password)
        control.get_by_role("link", name=PROGRAMME).click()
        control.wait_for_url(re.compile(r"/programmes/\d+$"))
        programme_url = control.url
        control.get_by_role("link", name="Samling 1").click()
        control.wait_for_url(re.compile(r"/sessions/\d+$"))
        yield Day(facilitator, control, control.url, programme_url)
        assert_clean(control, problems)
    finally:
        facilitator.close()


def answer(phone: Page, text: str) -> None:
    """Fill the phone's answer form as a participant would (the text, the first option of
    each question), send it, and wait until the phone lists it as its own."""
    form = phone.locator("#answer-form")
    if text:
        form.locator("#answer-text").fill(text)
    names = phone.evaluate(
        "[...new Set([...document.querySelectorAll('#answer-form input[type=radio]')]"
        ".map((i) => i.name))]"
    )
    for name in names:
        form.locator(f"input[type=radio][name='{name}']").first.check()
    boxes = form.locator("input[type=checkbox]")
    if boxes.count():
        boxes.first.check()
    form.locator("button[type=submit]").click()
    expect(phone.locator("#own li").first).to_be_attached()


def test_the_login_page(browser: Browser, server: LiveServer) -> None:
    context = new_context(browser, locale="nb-NO")
    try:
        page = context.new_page()
        page.goto(server.url + "/login")
        assert_accessible(page, "the login page", ALLOWED)
        page.fill("#username", "admin")
        page.fill("#password", "wrong")
        page.click("button[type=submit]")
        expect(page.locator("#password")).to_be_visible()
        assert_accessible(page, "the login page with an error", ALLOWED)
        page.goto(server.url + "/tilgjengelighet")
        assert_accessible(page, "the accessibility statement", ALLOWED)
    finally:
        context.close()


def test_the_facilitator_s_pages_before_the_day(day: Day, server: LiveServer) -> None:
    page = day.control
    failures: list[str] = []
    for url, what in (
        (server.url + "/programmes", "the programmes"),
        (day.programme_url, "a programme"),
        (day.session_url, "the session and its agenda editor"),
        (server.url + "/account", "the account page"),
    ):
        page.goto(url)
        failures += problems(page, what, ALLOWED)
    assert not failures, "\n\n".join(failures)


def test_the_phone_s_join_page(browser: Browser, server: LiveServer) -> None:
    context = new_context(browser, **PHONE)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        assert_accessible(page, "the join page", ALLOWED)
    finally:
        context.close()


def test_the_live_screens_with_each_kind_current(
    day: Day, browser: Browser, server: LiveServer
) -> None:
    control = day.control
    control.goto(day.session_url + "/control")
    assert_accessible(control, "the control panel before the start", ALLOWED)
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")
    ids = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control.content())]
    titles = re.findall(r'^title = "(.*)"$', EXAMPLE.read_text("utf-8"), flags=re.M)
    items = dict(zip(titles, ids, strict=True))

    presenter = day.facilitator.new_page()
    presenter.set_viewport_size({"width": 1920, "height": 1080})
    presenter.goto(day.session_url + "/present")
    expect(presenter.locator("#connection")).to_have_attribute("data-state", "connected")
    phone_context = new_context(browser, **PHONE)
    phone_problems = PageProblems()
    try:
        phone = watch(phone_context.new_page(), phone_problems)
        phone.goto(f"{server.url}/j/{code}")
        failures = problems(phone, "the join page with a code", ALLOWED)
        phone.fill("#name", "Kari Nordmann")
        phone.click("button[type=submit]")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
        for title in CURRENT:
            item = items[title]
            if control.locator(f"#control-item-{item}.current").count() == 0:
                control.click(f"#go-{item}")
            expect(control.locator("#current-title")).to_have_text(title)
            expect(phone.locator("#item-title")).to_have_text(title)
            expect(presenter.locator("#present-title")).to_have_text(title)
            rounds = [("", "", "")]
            if title in ANSWERED:
                rounds += [(" with an answer", "", ""), *MARKS.get(title, [])]
            for state, button, done in rounds:
                if state == " with an answer":
                    answer(phone, ANSWERED[title])
                elif button:
                    control.locator(f"#control-kind {button}").first.click()
                    shown = presenter if done.startswith(".qa") else control
                    expect(shown.locator(done).first).to_be_attached()
                for page, what in (
                    (phone, "phone"),
                    (control, "control panel"),
                    (presenter, "presenter"),
                ):
                    failures += problems(page, f"the {what} on {title!r}{state}", ALLOWED)
        assert not failures, "\n\n".join(failures)
        assert_clean(phone, phone_problems)
    finally:
        phone_context.close()
        presenter.close()
    for path, what in (("/control/phones", "the phones page"), ("/control/close", "closing")):
        control.goto(day.session_url + path)
        assert_accessible(control, what, ALLOWED)
    control.goto(day.session_url + "/summary")
    assert_accessible(control, "the session's summary", ALLOWED)
    control.goto(day.programme_url + "/summary")
    assert_accessible(control, "the programme's summary", ALLOWED)
    # The summaries' HTML files, as a reader opens them once downloaded.
    for url, what in (
        (day.session_url + "/summary.html", "the session's summary file"),
        (day.programme_url + "/summary.html", "the programme's summary file"),
    ):
        downloaded = day.facilitator.request.get(url)
        assert downloaded.ok, downloaded.status
        reader = day.facilitator.new_page()
        try:
            reader.set_content(downloaded.text())
            assert_accessible(reader, what, ALLOWED)
        finally:
            reader.close()


#: The main screens again in each other language: a translation changes the text, and with
#: it what axe checks (names, lengths that wrap or overflow, the page's lang).
OTHER_LANGUAGES = ("nn", "da", "en")
SETTLED = "() => document.getAnimations().every((a) => a.playState !== 'running')"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_the_main_screens_in_each_other_language(
    browser: Browser, server: LiveServer, lang: str
) -> None:
    username, password = f"axe-{lang}", f"axe {lang} password 1"
    client = facilitator_client(server, username, password)
    csrf = csrf_of(client)
    chose = client.post("/account/language", data={"language": lang, "csrf_token": csrf})
    assert chose.status_code == 303
    session, csrf = new_session(client)
    chose = client.post(
        f"/sessions/{session}/language", data={"language": lang, "csrf_token": csrf}
    )
    assert chose.status_code == 303
    server.import_agenda(session, EXAMPLE.read_text("utf-8"))

    failures: list[str] = []
    facilitator = new_context(browser, locale="nb-NO", viewport={"width": 1280, "height": 900})
    phone_context = new_context(browser, **{**PHONE, "locale": "nb-NO"})
    try:
        control = facilitator.new_page()
        control.goto(f"{server.url}/login?lang={lang}")
        expect(control.locator("html")).to_have_attribute("lang", lang)
        failures += problems(control, f"the login page in {lang}", ALLOWED)
        log_in(control, server, username, password)
        control.goto(f"{server.url}/sessions/{session}/control")
        expect(control.locator("html")).to_have_attribute("lang", lang)
        control.click("#start-session")
        expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
        failures += problems(control, f"the control panel in {lang}", ALLOWED)
        code = control.inner_text("#control-code").replace(" ", "")
        ids = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control.content())]
        titles = re.findall(r'^title = "(.*)"$', EXAMPLE.read_text("utf-8"), flags=re.M)
        items = dict(zip(titles, ids, strict=True))

        presenter = facilitator.new_page()
        presenter.set_viewport_size({"width": 1920, "height": 1080})
        presenter.goto(f"{server.url}/sessions/{session}/present")
        expect(presenter.locator("#connection")).to_have_attribute("data-state", "connected")
        expect(presenter.locator("html")).to_have_attribute("lang", lang)
        failures += problems(presenter, f"the presenter in {lang}", ALLOWED)

        phone = phone_context.new_page()
        phone.goto(f"{server.url}/j/{code}")
        # The phone's browser asks for bokmål; the session's language is what it gets.
        expect(phone.locator("html")).to_have_attribute("lang", lang)
        failures += problems(phone, f"the join page in {lang}", ALLOWED)
        phone.fill("#name", "Testa Deltakar")
        phone.click("button[type=submit]")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
        failures += problems(phone, f"the phone's live page in {lang}", ALLOWED)
        for title in ("Gruppeoppgave: det aller viktigste", "Samskaping i gruppene"):
            control.click(f"#go-{items[title]}")
            expect(phone.locator("#item-title")).to_have_text(title)
            expect(presenter.locator("#present-title")).to_have_text(title)
            state = ""
            if title in ANSWERED:
                answer(phone, ANSWERED[title])
                # Sorted into a theme, and the presenter's themes view.
                control.fill("#theme-name", "Tillit")
                control.locator("#theme-name").press("Enter")
                choose = control.locator("#control-kind select[id^='theme-']").first
                expect(choose.locator("option")).to_have_count(2)
                choose.select_option(index=1)
                choose.locator("xpath=..").locator("button[name=set_theme]").click()
                expect(choose).to_have_value(re.compile(r"\d+"))
                control.click("#themes-view-toggle")
                expect(presenter.locator("#present-themes .theme")).to_have_count(1)
                state = " (the themes view)"
            else:
                # Group work, through its phases to the plenary.
                control.click("#timer-start")
                control.click("#phase-next")
                expect(control.locator("#phase-list li.current")).to_be_attached()
                current = control.inner_text("#phase-list li.current")
                control.click("#phase-next")
                expect(control.locator("#phase-list li.current")).not_to_have_text(current)
                expect(control.locator("#phase-list li").last).to_have_class(re.compile("current"))
                state = " (the plenary)"
            for page, what in (
                (phone, "phone"),
                (control, "control panel"),
                (presenter, "presenter"),
            ):
                # A phase change flashes the phase line for a moment: check what then stays.
                page.wait_for_function(SETTLED)
                failures += problems(page, f"the {what} on {title!r}{state} in {lang}", ALLOWED)
        assert not failures, "\n\n".join(failures)
    finally:
        phone_context.close()
        facilitator.close()
        client.close()
