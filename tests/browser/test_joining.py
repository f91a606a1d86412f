"""Joining from a network that has sent many wrong codes, in real Chromium: the phone is
told why its wrong code is answered slowly, and the right code gets it in at once.

The module has a server of its own: every test here uses up 127.0.0.1's wrong-code budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, PageProblems, assert_clean, new_context, watch
from tests.browser.rooms import PHONE
from tests.live_helpers import CSRF, close_clients, facilitator_client, live_session
from workshop.guesses import WrongCodes


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


@pytest.fixture(scope="module")
def code(server: LiveServer) -> str:
    """The code of a live session on the module's server."""
    fac = facilitator_client(server, "joiner", "joiner password 1")
    return live_session(server, fac).code


def _wrong(code: str, n: int) -> str:
    return f"{(int(code) + 1 + n) % 100_000_000:08d}"


def _guess_past_the_budget(server: LiveServer, code: str) -> None:
    """Someone else on the phone's network (the same address) sends wrong codes, until
    they are answered slowly."""
    with httpx2.Client(base_url=server.url, timeout=30) as other:
        token = CSRF.search(other.get("/").text)
        assert token
        for n in range(WrongCodes.FREE + 1):
            sent = other.post("/join", data={"code": _wrong(code, n), "csrf_token": token[1]})
            if sent.status_code == 429:
                return
    raise AssertionError("the wrong codes were never slowed")


def _phone(browser: Browser, locale: str) -> tuple[Page, PageProblems]:
    context = new_context(browser, **{**PHONE, "locale": locale})
    problems = PageProblems()
    return watch(context.new_page(), problems), problems


@pytest.mark.parametrize(
    ("locale", "slowed"),
    [
        ("en-GB", "wrong codes are now answered slowly. Check the code on the screen; the right"),
        ("nb-NO", "feil koder besvares nå sakte. Sjekk koden på skjermen; riktig kode slipper"),
    ],
    ids=["en", "nb"],
)
def test_a_slowed_phone_is_told_why_and_gets_in_with_the_right_code(
    browser: Browser, server: LiveServer, code: str, locale: str, slowed: str
) -> None:
    _guess_past_the_budget(server, code)
    phone, problems = _phone(browser, locale)
    phone.goto(server.url + "/")
    phone.fill("#code", _wrong(code, 500))
    phone.click("button[type=submit]")
    error = phone.locator("#join-error")
    expect(error).to_contain_text(slowed)
    expect(error).to_have_attribute("role", "alert")
    phone.fill("#code", f"{code[:4]} {code[4:]}")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{code}$"))
    expect(phone.locator("#live")).to_be_visible()
    assert_clean(phone, problems)
    phone.context.close()


def test_the_qr_link_opens_for_a_slowed_network(
    browser: Browser, server: LiveServer, code: str
) -> None:
    _guess_past_the_budget(server, code)
    phone, problems = _phone(browser, "en-GB")
    phone.goto(f"{server.url}/j/{code}")
    expect(phone.locator(".join-title")).to_be_visible()
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{code}$"))
    expect(phone.locator("#live")).to_be_visible()
    assert_clean(phone, problems)
    phone.context.close()
