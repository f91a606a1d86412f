"""The evaluation in real Chromium: three phones evaluate, the presenter shows the mean, its
distribution and the answers (moderated as open text), and the programme's page compares
the evaluations of its sessions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.rooms import LiveRoom, live_room
from workshop.settings import ROOT

AGENDA = """samling_agenda = 1

[[item]]
title = "Evaluation"
duration = 5
kind = "exercise"
exercise = "evaluation"

[item.settings]
question = "How was the day?"
steps = 5
low_label = "Poor"
high_label = "Very good"
statements = ["Relevant for my work"]
good_question = "What was good, and why?"
better_question = "What could have been better, and how?"
max_length = 500
open_until = "23:59"
"""
#: Screenshots to look at (not compared).
ARTIFACTS = ROOT / "test-artifacts" / "evaluation"
ANSWERS = (
    (5, 4, "The group work, we met across units", "More breaks"),
    (4, 4, "Honest talk about leadership", ""),
    (2, 3, "Årets beste dag 🙂", "Shorter talks, <b>more</b> time"),
)


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveRoom]:
    with live_room(
        browser,
        server,
        tmp_path_factory.mktemp("evaluation"),
        username="evaluator",
        title="Evaluation",
        agenda=AGENDA,
        phones=4,  # the fourth leaves early: it evaluates after the close
    ) as live:
        yield live


def evaluate(phone: Page, overall: int, relevant: int, good: str, better: str) -> None:
    phone.check(f"#answer-text-0-{overall}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "phone-form.png"), full_page=True)
    phone.check(f"#answer-text-1-{relevant}")
    phone.fill("#answer-text-good", good)
    phone.fill("#answer-text-better", better)
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own li")).to_have_count(3)
    expect(phone.locator("#all-sent")).to_be_visible()


def test_phones_evaluate_and_the_presenter_shows_the_mean(room: LiveRoom) -> None:
    item = room.go("Evaluation")
    for phone, answer in zip(room.phones[:3], ANSWERS, strict=True):
        evaluate(phone, *answer)
    presenter = room.presenter
    # (5 + 4 + 2) / 3 = 3.67: written with one decimal, rounded half up.
    expect(presenter.locator(f"#eval-mean-{item}")).to_have_text("3.7")
    expect(presenter.locator(f"#eval-mean-{item}-1")).to_have_text("3.7")
    expect(presenter.locator(".eval-histogram")).to_have_attribute(
        "aria-label", re.compile(r"1: 0, 2: 1, 3: 0, 4: 1, 5: 1$")
    )
    good = presenter.locator(f"#eval-good-{item} li")
    expect(good).to_have_text(
        [
            "Honest talk about leadership",
            "The group work, we met across units",
            "Årets beste dag 🙂",
        ]
    )
    better = presenter.locator(f"#eval-better-{item} li")
    expect(better).to_have_text(["More breaks", "Shorter talks, <b>more</b> time"])
    expect(presenter.locator("#present-counts")).to_contain_text("3 phones have evaluated")
    presenter.screenshot(path=str(ARTIFACTS / "presenter.png"))

    # The control panel moderates each text on its own, and never lists a rating.
    control = room.control
    expect(control.locator(f"#control-mean-{item}")).to_have_text("3.7")
    rows = control.locator(f"#responses-{item}-better li")
    expect(rows).to_have_count(2)
    expect(control.locator("#control-kind")).not_to_contain_text("How was the day?:")
    rows.filter(has_text="More breaks").locator("button[name=hidden]").click()
    expect(better).to_have_text(["Shorter talks, <b>more</b> time"])
    good_rows = control.locator(f"#responses-{item}-good li")
    good_rows.filter(has_text="Honest talk").locator("button[name=highlighted]").click()
    expect(presenter.locator(f"#eval-good-{item} li.highlighted")).to_have_text(
        "Honest talk about leadership"
    )
    # Hiding a text leaves the ratings as they were.
    expect(presenter.locator(f"#eval-mean-{item}")).to_have_text("3.7")

    # The second phone adds the text it left out: one part of its evaluation changes.
    second = room.phones[1]
    part = second.locator("#own li").filter(has_text="What could have been better, and how?")
    part.locator(".own-edit-link").click()
    part.locator("form.own-edit textarea").fill("A walk after lunch")
    part.locator("form.own-edit button[type=submit]").click()
    expect(second.locator("#own")).to_contain_text("A walk after lunch")
    expect(better).to_have_text(["A walk after lunch", "Shorter talks, <b>more</b> time"])
    expect(second.locator("#own li")).to_have_count(3)
    expect(second.locator("#own")).not_to_contain_text("Delete")


def test_the_programme_page_compares_the_sessions_evaluations(
    room: LiveRoom, server: LiveServer
) -> None:
    page = room.control
    page.goto(f"{server.url}/programmes/{room.programme_id}")
    compared = page.locator("#compared")
    expect(compared.locator("h2")).to_have_text("Evaluation across the sessions")
    bars = compared.locator(".compare-bars tr")
    expect(bars).to_have_count(1)
    expect(bars.first).to_contain_text("Evaluation day")
    expect(bars.first.locator(".compare-value")).to_have_text("3.7")
    table = compared.locator("table.data")
    expect(table.locator("thead")).to_contain_text("Evaluation day: mean")
    expect(table.locator("tbody tr").first).to_contain_text("Overall rating")
    expect(table.locator("tbody tr").first).to_contain_text("3.7")
    expect(compared).to_contain_text("Phones that evaluated: Evaluation day 3")
    compared.screenshot(path=str(ARTIFACTS / "programme-compared.png"))


def test_a_phone_that_left_early_evaluates_after_the_close(
    room: LiveRoom, server: LiveServer
) -> None:
    control = room.control
    control.goto(f"{server.url}/sessions/{room.session_id}/control")
    control.click("#close-session")
    control.click("#close-confirmed")
    expect(control.locator("#closed-badge")).to_be_visible()
    late = room.phones[3]
    expect(late.locator("#stage h1")).to_have_text("The session has ended. Thank you!")
    expect(late.locator("#still-open")).to_have_text("“Evaluation” is open until 23:59.")
    late.screenshot(path=str(ARTIFACTS / "phone-closed.png"))
    late.click("#still-open-link")
    expect(late.locator("#item-title")).to_have_text("Evaluation")
    expect(late.locator("#connection")).to_have_attribute("data-state", "connected")
    evaluate(late, 1, 2, "Fin lunsj", "Jeg måtte gå tidlig")
    expect(late.locator("#own")).to_contain_text("Jeg måtte gå tidlig")
    # A phone that evaluated before the close finds its evaluation, and nothing to send.
    first = room.phones[0]
    first.click("#still-open-link")
    expect(first.locator("#all-sent")).to_be_visible()
    expect(first.locator("#own li")).to_have_count(3)
    # The programme page counts the late evaluation: (5 + 4 + 2 + 1) / 4 = 3.0.
    control.goto(f"{server.url}/programmes/{room.programme_id}")
    expect(control.locator("#compared .compare-value").first).to_have_text("3.0")
