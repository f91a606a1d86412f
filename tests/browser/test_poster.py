"""The purpose poster in real Chromium: two groups draft on their phones (one group on two
phones, each seeing the other's points come), each saves two versions and compares them, the
plenary shows both drafts on the presenter and the phones give dots; the facilitator builds
the common poster on the control panel and saves it; the programme's next session continues
the poster, and its history shows both sessions."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests import poster_days as days
from tests.browser.conftest import LiveServer, PageProblems, assert_clean, new_context, watch
from tests.browser.rooms import join_phone
from tests.live_helpers import close_clients, facilitator_client

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "en-US", "is_mobile": True}
ARTIFACTS = days.ROOT / "test-artifacts" / "poster"


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


class Room:
    """The browsers of a test: phones, the presenter and the control panel, each watched."""

    def __init__(self, browser: Browser, server: LiveServer, fac: httpx2.Client) -> None:
        self.browser, self.server, self.fac = browser, server, fac
        self.contexts: list[BrowserContext] = []
        self.watched: list[tuple[Page, PageProblems]] = []

    def _page(self, **options: object) -> Page:
        context = new_context(self.browser, **options)
        self.contexts.append(context)
        problems = PageProblems()
        page = watch(context.new_page(), problems)
        self.watched.append((page, problems))
        return page

    def phone(self, code: str, name: str, group: str) -> Page:
        page = join_phone(self._page(**PHONE), self.server, code, name=name, group=group)
        expect(page.locator("#group-name")).to_have_text(f"Your group: {group}")
        return page

    def screen(self, path: str, width: int = 1280, height: int = 720) -> Page:
        """A page of the facilitator's (logged in with the test client's cookie)."""
        page = self._page(locale="en-US", viewport={"width": width, "height": height})
        page.context.add_cookies(
            [{"name": k, "value": v, "url": self.server.url} for k, v in self.fac.cookies.items()]
        )
        page.goto(self.server.url + path)
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
        return page

    def close(self) -> None:
        for page, problems in self.watched:
            assert_clean(page, problems)
        for context in self.contexts:
            context.close()


def add(phone: Page, text: str) -> None:
    phone.fill("#point-text", text)
    phone.click("#point-form button[type=submit]")
    expect(phone.locator("#poster-points")).to_contain_text(text)


def save(phone: Page, name: str) -> None:
    phone.fill("#version-name", name)
    phone.click("#version-save")
    expect(phone.locator("#version-list")).to_contain_text(name)


def edit(phone: Page, old: str, new: str) -> None:
    point = phone.locator("#poster-points > li", has_text=old)
    point.locator("summary").click()
    point.locator("textarea").fill(new)
    point.locator("button[id^='point-save-']").click()
    expect(phone.locator("#poster-points")).to_contain_text(new)


def compare(phone: Page, old: str, new: str) -> None:
    for select, name in (("#compare-old", old), ("#compare-new", new)):
        option = phone.locator(f"{select} option", has_text=name).first
        phone.select_option(select, value=option.get_attribute("value"))
    phone.click("#compare-button")
    expect(phone.locator("#phone-diff")).to_be_visible()


def test_two_groups_draft_compare_dot_and_the_next_session_continues(
    browser: Browser, server: LiveServer
) -> None:
    fac = facilitator_client(server, "poster-browser", "poster browser password 1")
    programme, groups = days.programme(fac)
    day = days.day(server, fac, programme, groups, "Samling 1")
    room = Room(browser, server, fac)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        ada = room.phone(day.live.code, "Ada Blå", "Blåveis")
        bo = room.phone(day.live.code, "Bo Blå", "Blåveis")
        cy = room.phone(day.live.code, "Cy Fjell", "Fjellreven")
        presenter = room.screen(f"/sessions/{day.live.id}/present", 1280, 720)
        control = room.screen(f"/sessions/{day.live.id}/control", 1400, 900)
        expect(ada.locator("#poster-preamble")).to_have_text(days.PREAMBLE)

        # Blåveis drafts on two phones: each sees the other's points come.
        add(ada, "Anerkjenne kompetanse")
        expect(bo.locator("#poster-points")).to_contain_text("Anerkjenne kompetanse")
        add(bo, "Gi trygghet og tillit")
        expect(ada.locator("#poster-points")).to_contain_text("Gi trygghet og tillit")
        expect(cy.locator("#poster-points")).not_to_contain_text("Anerkjenne")
        save(ada, "Utkast 1")
        expect(bo.locator("#version-list")).to_contain_text("Utkast 1")
        edit(bo, "Gi trygghet og tillit", "Gi trygghet og mot")
        save(bo, "Utkast 2")
        compare(ada, "Utkast 1", "Utkast 2")
        expect(ada.locator("#phone-diff del")).to_have_text("tillit")
        expect(ada.locator("#phone-diff ins")).to_have_text("mot")
        ada.screenshot(path=str(ARTIFACTS / "phone-compared.png"), full_page=True)

        # Fjellreven drafts, saves twice and compares a version with the draft now.
        add(cy, "Spille hverandre gode")
        save(cy, "Første")
        add(cy, "Være en rollemodell")
        save(cy, "Andre")
        compare(cy, "Første", "Andre")
        expect(cy.locator("#phone-diff ins")).to_have_text("Være en rollemodell")
        expect(cy.locator("#version-list li")).to_have_count(2)
        expect(cy.locator("#version-list")).not_to_contain_text("Utkast")

        # Two phones edit the same point: the later one is shown both texts, nothing lost.
        mine = ada.locator("#poster-points > li", has_text="Anerkjenne kompetanse")
        mine.locator("summary").click()
        mine.locator("textarea").fill("Anerkjenne hverandres kompetanse")
        edit(bo, "Anerkjenne kompetanse", "Anerkjenne og bruke kompetanse")
        expect(ada.locator("#poster-points")).to_contain_text("Anerkjenne og bruke kompetanse")
        # Ada's edit box stayed open with what she typed while Bo's change came in.
        typing = ada.locator("#poster-points > li", has_text="Anerkjenne og bruke").locator(
            "textarea"
        )
        expect(typing).to_have_value("Anerkjenne hverandres kompetanse")
        ada.locator("#poster-points > li", has_text="Anerkjenne og bruke").locator(
            "button[id^='point-save-']"
        ).click()
        for phone in (ada, bo):
            conflict = phone.locator(".poster-conflict")
            expect(conflict).to_contain_text("Anerkjenne og bruke kompetanse")
            expect(conflict).to_contain_text("Anerkjenne hverandres kompetanse")
        ada.screenshot(path=str(ARTIFACTS / "phone-conflict.png"), full_page=True)
        bo.locator(".poster-choice", has_text="hverandres").locator("button").click()
        for phone in (ada, bo):
            expect(phone.locator(".poster-conflict")).to_have_count(0)
            expect(phone.locator("#poster-points")).to_contain_text("Anerkjenne hverandres")

        # The plenary: both drafts on the presenter, dots on the phones.
        control.click("#timer-start")
        control.click("#phase-next")
        expect(presenter.locator(".poster-plenary")).to_be_visible()
        expect(presenter.locator(".poster-list")).to_have_count(2)
        expect(cy.locator(f"#board-{groups['Blåveis']}")).to_contain_text("Anerkjenne")
        blue = cy.locator(f"#board-{groups['Blåveis']} li")
        blue.filter(has_text="Gi trygghet og mot").locator("button.dot").click()
        expect(cy.locator("#dots-left")).to_have_text("Dots left: 2 of 3")
        ada.locator("li", has_text="Være en rollemodell").locator("button.dot").click()
        bo.locator("li", has_text="Være en rollemodell").locator("button.dot").click()
        bo.locator("li", has_text="Anerkjenne hverandres").locator("button.dot").click()
        expect(bo.locator("#dots-left")).to_have_text("Dots left: 1 of 3")
        # A phone's own point takes no dot.
        expect(
            bo.locator("li", has_text="Gi trygghet og mot").locator("button.dot")
        ).to_be_disabled()
        fox = presenter.locator(f"#present-points-{groups['Fjellreven']} li")
        expect(fox.first).to_contain_text("Være en rollemodell")
        expect(fox.first.locator(".poster-dots")).to_have_text("●●")
        presenter.screenshot(path=str(ARTIFACTS / "presenter-plenary.png"))

        # The common poster, from the groups' points, saved as a version.
        control.locator(
            f"#control-draft-{groups['Fjellreven']} li", has_text="rollemodell"
        ).locator("button[id^='pick-']").click()
        expect(control.locator("#common-list")).to_contain_text("Være en rollemodell")
        control.locator(f"#control-draft-{groups['Blåveis']} li", has_text="mot").locator(
            "button[id^='pick-']"
        ).click()
        expect(control.locator("#common-list > li")).to_have_count(2)
        control.fill("#common-new", "Dele og være åpne")
        control.click("#common-add button[type=submit]")
        expect(control.locator("#common-list > li")).to_have_count(3)
        # What the facilitator types stays while the phones' dots re-render the panel.
        first = control.locator("#common-list > li textarea").first
        first.fill("Være en tydelig rollemodell")
        ada.locator("li", has_text="Spille hverandre gode").locator("button.dot").click()
        expect(ada.locator("#dots-left")).to_have_text("Dots left: 1 of 3")
        expect(control.locator("#control-draft-" + str(groups["Fjellreven"]))).to_contain_text(
            "1 dot"
        )
        expect(first).to_have_value("Være en tydelig rollemodell")
        control.locator("#common-list > li").first.locator("button[id^='common-save-']").click()
        expect(control.locator("#common-list > li textarea").first).to_have_value(
            "Være en tydelig rollemodell"
        )
        control.fill("#common-version-name", "Felles utkast 1")
        control.click("#common-version-save")
        expect(control.locator("#poster-history")).to_contain_text("Felles utkast 1")
        control.screenshot(path=str(ARTIFACTS / "control-common.png"), full_page=True)
        # The room sees the common poster on the screen, then the drafts again.
        control.click("#common-screen")
        expect(presenter.locator("#present-common")).to_contain_text("Dele og være åpne")
        presenter.screenshot(path=str(ARTIFACTS / "presenter-common.png"))
        control.click("#common-screen")
        expect(presenter.locator(".poster-list")).to_have_count(2)

        # The programme's next session continues the poster.
        later = days.day(server, fac, programme, groups, "Samling 2")
        dag = room.phone(later.live.code, "Di Fjell", "Fjellreven")
        offer = dag.locator("#poster-continue button", has_text="Andre")
        expect(offer).to_be_visible()
        offer.click()
        expect(dag.locator("#poster-points")).to_contain_text("Være en rollemodell")
        save(dag, "Tredje")
        expect(dag.locator("#version-list li").first).to_contain_text("Samling 2")
        expect(dag.locator("#version-list")).to_contain_text("Samling 1")
        panel = room.screen(f"/sessions/{later.live.id}/control", 1400, 900)
        expect(panel.locator("#common-list textarea").first).to_have_value(
            "Være en tydelig rollemodell"
        )
        history = panel.locator("#poster-history")
        expect(history).to_contain_text("Samling 1")
        expect(history).to_contain_text("Samling 2")
        expect(history.locator("tr", has_text="Tredje")).to_contain_text("Samling 2")
        expect(history.locator("tr", has_text="Felles utkast 1")).to_contain_text("Samling 1")
    finally:
        room.close()
