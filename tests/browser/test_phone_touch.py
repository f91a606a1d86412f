"""The phone in real Chromium, on the demo day: made for a thumb on a small screen.

One server for the module (its first start makes the ``admin`` login and the
demo day with an item of every exercise kind). A phone-sized context goes
through every exercise; on each, every control it shows is measured (its
bounding box, or its label's for a radio or a checkbox) before and after
answering. Then the small wordings: how many characters an answer has left,
the points answer's separators, "Saved" that belongs to one phase, and
"Sent" that belongs to one item on a phone without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    ROOT,
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)

EXAMPLE = ROOT / "examples" / "agenda-samling-1.toml"
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "locale": "nb-NO",
    "is_mobile": True,
    "has_touch": True,
}
TOUCH = 44  # CSS px, each way
GROUP_WORK = "Samskaping i gruppene"

# Every control a thumb may use, as it is drawn: a radio or a checkbox by its label.
MEASURE = """(root) => {
  const found = [];
  const seen = new Set();
  const scope = document.querySelector(root);
  scope.querySelectorAll(
    "a[href], button, select, textarea, summary, input:not([type=hidden])"
  ).forEach((el) => {
    const box = el.matches("input[type=radio], input[type=checkbox]")
      ? el.closest("label") || el : el;
    if (seen.has(box)) return;
    seen.add(box);
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;  // not shown (display: none)
    if (box.closest(".visually-hidden") || getComputedStyle(box).visibility === "hidden") return;
    const name = (box.getAttribute("aria-label") || box.innerText || box.value || "").trim();
    const what = box.tagName.toLowerCase() + (box.id ? "#" + box.id : "") + " " + name;
    found.push({what: what.slice(0, 60), width: r.width, height: r.height});
  });
  return found;
}"""


@dataclass
class Day:
    control: Page
    phone: Page
    items: dict[str, int]
    code: str


@pytest.fixture(scope="module")
def day(browser: Browser, server: LiveServer) -> Iterator[Day]:
    """The demo session, started, its control panel open, one phone joined."""
    problems = PageProblems()
    contexts: list[BrowserContext] = []
    facilitator = new_context(browser, locale="nb-NO", viewport={"width": 1280, "height": 900})
    contexts.append(facilitator)
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, "admin", server.admin_password)
    control.get_by_role("link", name="Lederutviklingsprogram 2027 (demo)").click()
    control.get_by_role("link", name="Samling 1").click()
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    control.goto(control.url + "/control")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")
    ids = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control.content())]
    titles = re.findall(r'^title = "(.*)"$', EXAMPLE.read_text("utf-8"), flags=re.M)

    phone_context = new_context(browser, **PHONE)
    contexts.append(phone_context)
    phone_problems = PageProblems()
    phone = watch(phone_context.new_page(), phone_problems)
    phone.goto(f"{server.url}/j/{code}")
    # The join form is for thumbs too.
    assert_touchable(phone, "main")
    phone.fill("#name", "Ola Berg")
    phone.click("button[type=submit]")
    expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
    try:
        yield Day(control, phone, dict(zip(titles, ids, strict=True)), code)
        assert_clean(control, problems)
        assert_clean(phone, phone_problems)
    finally:
        for ctx in contexts:
            ctx.close()


def go(day: Day, title: str) -> None:
    item = day.items[title]
    if day.control.locator(f"#control-item-{item}.current").count() == 0:
        day.control.click(f"#go-{item}")
    expect(day.control.locator("#current-title")).to_have_text(title)
    expect(day.phone.locator("#item-title")).to_have_text(title)


def assert_touchable(page: Page, root: str = "#live") -> list[dict[str, Any]]:
    """Every control shown under ``root`` is at least 44×44 CSS px; returns them."""
    found: list[dict[str, Any]] = page.evaluate(MEASURE, root)
    assert found, f"no control under {root}"
    small = [c for c in found if c["width"] < TOUCH - 0.5 or c["height"] < TOUCH - 0.5]
    assert not small, f"smaller than {TOUCH}×{TOUCH} px: {small}"
    return found


def send(phone: Page) -> None:
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own")).to_be_visible()


def own_controls(phone: Page) -> None:
    """The phone's own answer: its Edit link and Delete button are thumb-sized too."""
    found = assert_touchable(phone)
    names = " ".join(c["what"] for c in found)
    assert "Rediger" in names and "Slett" in names, names


def test_every_kind_s_controls_are_thumb_sized(day: Day) -> None:
    phone = day.phone
    # open_text
    go(day, "Gruppeoppgave: det aller viktigste")
    assert_touchable(phone)
    phone.fill("#answer-text", "Felles mål")
    send(phone)
    own_controls(phone)
    # The edit form that the Edit link opens.
    phone.locator("#own a.own-edit-link").first.click()
    expect(phone.locator("#own form.own-edit")).to_be_visible()
    assert_touchable(phone)

    # word_cloud
    go(day, "Hva gjør programmet nyttig for deg?")
    assert_touchable(phone)
    phone.fill("#answer-text", "tillit")
    send(phone)
    own_controls(phone)

    # choice: the options' labels are the targets
    go(day, "Hvor vil du vokse som leder?")
    found = assert_touchable(phone)
    assert sum(1 for c in found if c["what"].startswith("label")) == 4
    phone.locator("#answer-form label.choice-option").nth(1).click()
    send(phone)
    own_controls(phone)

    # points
    go(day, "Hva skal lederplattformen bidra mest til?")
    assert_touchable(phone)
    phone.fill("#answer-text-0", "100")
    send(phone)
    own_controls(phone)

    # scale: eight statements of five steps
    go(day, "Oppstart av eget individuelt arbeid")
    found = assert_touchable(phone)
    assert sum(1 for c in found if c["what"].startswith("label")) == 8 * 5
    for row in phone.locator("#answer-form .scale-row").all():
        row.locator("label.scale-step").nth(2).click()
    send(phone)
    own_controls(phone)

    # qa: the question, the name, then the votes
    go(day, "Oppsummering og veien videre")
    assert_touchable(phone)
    phone.fill("#answer-text", "Når er neste samling?")
    send(phone)
    expect(phone.locator(".qa-votable button.vote")).to_have_count(1)
    own_controls(phone)

    # reflection: the answers and their save, the recovery code, the downloads and the
    # form for another phone's code
    go(day, "Til første møte i nettverksgruppen")
    phone.fill("#reflection-answer-1", "Tydelig retning")
    phone.click("#reflection-form button[type=submit]")
    expect(phone.locator("#recovery-code-value")).to_be_visible()
    phone.locator("#reflection-recover summary").click()
    found = assert_touchable(phone)
    names = " ".join(c["what"] for c in found)
    assert "Last ned som tekst" in names and "Vis mine tidligere refleksjoner" in names, names

    # group_work: the notepad, then the group's list with its keeper's controls (this
    # phone is the only one of its group, and no phone keeps the list: it may edit).
    go(day, GROUP_WORK)
    assert_touchable(phone)
    group_round(day)
    for text in ("Vi skaper sammen", "Brukerne først"):
        phone.fill("#point-text", text)
        phone.click("#point-form button[type=submit]")
        expect(phone.locator("#group-points")).to_contain_text(text)
    expect(phone.locator("#group-points .keeper-only").first).to_be_visible()
    found = assert_touchable(phone)
    names = [c["what"] for c in found]
    for control in ("Rediger", "Slett", "Flytt opp", "Flytt ned"):
        assert sum(control in n for n in names) == 2, (control, names)
    phone.locator("#group-points summary").first.click()
    assert_touchable(phone)


def test_an_answer_field_says_how_many_characters_are_left(day: Day) -> None:
    phone = day.phone
    go(day, "Summeoppgave: hva vil du bidra med?")  # open text, 120 characters
    left = phone.locator("#answer-text-left")
    expect(left).to_have_text("Tegn igjen: 120")
    expect(phone.locator("#answer-text")).to_have_attribute("aria-describedby", "answer-text-left")
    phone.locator("#answer-text").press_sequentially("Engasjement")
    expect(left).to_have_text("Tegn igjen: 109")
    phone.fill("#answer-text", "x" * 115)
    expect(left).to_have_text("Tegn igjen: 5")
    expect(left).to_have_class(re.compile(r"\bfew\b"))
    phone.fill("#answer-text", "Engasjement og tid")
    expect(left).to_have_text("Tegn igjen: 102")
    send(phone)
    # The next answer starts again from the whole length.
    expect(left).to_have_text("Tegn igjen: 120")


def test_the_phone_s_own_points_answer_has_no_trailing_separator(day: Day) -> None:
    phone = day.phone
    go(day, "Hva skal lederplattformen bidra mest til?")
    if phone.locator("#own").count():
        phone.locator("#own button.danger-text").click()  # take back the earlier answer
    expect(phone.locator("#answer-form")).to_be_visible()
    phone.fill("#answer-text-0", "60")
    phone.fill("#answer-text-2", "40")
    send(phone)
    expect(phone.locator("#own .own-text")).to_have_text(
        "Felles verdier og holdninger: 60; Trygghet og stabilitet for medarbeiderne: 40"
    )


# Holds a phone's answer to /do/note until its page shows another stage: the answer to
# a note saved just as the phase ended comes after the push of the next phase.
_HOLD_NOTE = """() => {
  const real = window.fetch;
  window.fetch = (url, options) => {
    const answer = real(url, options);
    if (!String(url).endsWith("/do/note")) return answer;
    const stage = document.getElementById("stage").dataset.stage;
    return answer.then((response) => new Promise((resolve) => {
      new MutationObserver((changes, observer) => {
        if (document.getElementById("stage").dataset.stage !== stage) {
          observer.disconnect();
          resolve(response);
        }
      }).observe(document.body, {subtree: true, childList: true, attributes: true});
    }));
  };
}"""


def group_round(day: Day) -> None:
    """The group work item, in its group round (its second phase)."""
    phone, control = day.phone, day.control
    go(day, GROUP_WORK)
    if phone.locator("#phase-waiting").count():
        control.click("#timer-start")
        expect(phone.locator("#phase-name")).to_have_text("Individuell refleksjon")
    if phone.inner_text("#phase-name") == "Individuell refleksjon":
        control.click("#phase-next")
    expect(phone.locator("#phase-name")).to_have_text("Rekkefremlegg i gruppa")


def test_saved_belongs_to_the_phase_it_was_saved_in(day: Day) -> None:
    phone, control = day.phone, day.control
    group_round(day)
    status = phone.locator("#note-status")
    phone.fill("#note-text", "Tanker om samskaping")
    phone.click("#notepad button[type=submit]")
    expect(status).to_have_text("Lagret")
    control.click("#phase-next")
    expect(phone.locator("#phase-name")).to_have_text("Plenum")
    expect(status).to_have_text("")
    expect(phone.locator("#note-text")).to_have_value("Tanker om samskaping")

    # Saved as the phase ends: the answer comes after the push that ends it.
    phone.evaluate(_HOLD_NOTE)
    phone.fill("#note-text", "Tanker om samskaping, og mer")
    phone.click("#notepad button[type=submit]")
    expect(status).to_have_text("Sender …")
    control.click("#phase-next")  # ends the last phase
    expect(phone.locator("#phase-over")).to_be_visible()
    expect(phone.locator("#notepad")).not_to_have_class(re.compile(r"\bsending\b"))
    expect(status).to_have_text("")


def test_sent_belongs_to_the_item_on_a_phone_without_javascript(
    browser: Browser, server: LiveServer, day: Day
) -> None:
    plain = new_context(browser, **{**PHONE, "java_script_enabled": False})
    try:
        page = plain.new_page()
        page.goto(f"{server.url}/j/{day.code}")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/s/\d+$"))
        go_quietly(day, "Trinn 1: hva er lederplattform for oss?")
        page.reload()
        expect(page.locator("#item-title")).to_have_text("Trinn 1: hva er lederplattform for oss?")
        page.fill("#answer-text", "Takk for i dag")
        page.click("#answer-form button[type=submit]")
        expect(page.locator("#own")).to_contain_text("Takk for i dag")
        expect(page.locator("#answer-form .send-status")).to_have_text("Sendt")
        # The facilitator moves on; the phone reloads to follow (no scripts): its next
        # item's form does not say "Sent".
        go_quietly(day, "Gruppeoppgave: det aller viktigste")
        page.reload()
        expect(page.locator("#item-title")).to_have_text("Gruppeoppgave: det aller viktigste")
        expect(page.locator("#answer-form .send-status")).to_have_text("")
    finally:
        plain.close()


def go_quietly(day: Day, title: str) -> None:
    """Go to an item on the panel (the scripted phone follows)."""
    go(day, title)
