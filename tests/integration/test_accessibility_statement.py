"""The accessibility statement: public, in the visitor's language, with the operator's
contact (escaped) or else the organiser, and linked from the footer of every page but
the presenter's projected frame."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import CSRF_INPUT, Facilitator, browser_of
from workshop.app import create_app
from workshop.settings import ENV_ACCESSIBILITY_CONTACT, Settings

pytestmark = pytest.mark.usefixtures("quick_hashes")

#: Each language's title, and the review day as Babel writes it there.
TITLES = {
    "nb": ("Tilgjengelighetserklæring", "1. desember 2026"),
    "nn": ("Tilgjengelegheitserklæring", "1. desember 2026"),
    "da": ("Tilgængelighedserklæring", "1. december 2026"),
    "en": ("Accessibility statement", "December 1, 2026"),
}
#: The footer's link: to the statement in the language of the page it is on.
FOOTER = re.compile(
    r'<footer class="site-foot">\s*<a href="/tilgjengelighet\?lang=(\w+)"'
    r' id="accessibility-link">([^<]+)</a>'
)
ORGANISER = "tell the organiser of the workshop you are taking part in"


def _client_with(tmp_path: Path, contact: str | None) -> Iterator[TestClient]:
    settings = Settings(
        db_path=tmp_path / "samling.db",
        public_url="http://testserver",
        accessibility_contact=contact,
    )
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize("language", sorted(TITLES))
def test_the_statement_is_public_and_in_the_visitors_language(
    app_client: TestClient, language: str
) -> None:
    title, reviewed = TITLES[language]
    visitor = browser_of(app_client, headers={"Accept-Language": f"{language},en;q=0.5"})
    for path in ("/tilgjengelighet", "/accessibility"):
        page = visitor.get(path, follow_redirects=False)
        assert page.status_code == 200, (path, page.status_code)
        assert f'<html lang="{language}">' in page.text
        assert f"<h1>{title}</h1>" in page.text
        assert f"<title>{title} · Samling</title>" in page.text
        assert re.search(rf'<time datetime="2026-12-01" id="reviewed">{reviewed}</time>', page.text)
        assert "(WCAG) 2.2" in page.text and "axe-core" in page.text
    # No English leaks into a translated statement.
    if language != "en":
        assert "What is known not to conform" not in page.text
        assert "Report a barrier" not in page.text


def test_without_a_contact_the_statement_names_the_organiser(app_client: TestClient) -> None:
    page = browser_of(app_client, headers={"Accept-Language": "en"}).get("/tilgjengelighet")
    assert ORGANISER in page.text
    assert 'id="accessibility-contact"' not in page.text


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (
            "uu@kommune.example",
            '<a id="accessibility-contact" href="mailto:uu@kommune.example">uu@kommune.example</a>',
        ),
        (
            "https://kommune.example/uu?a=1&b=2",
            '<a id="accessibility-contact" href="https://kommune.example/uu?a=1&amp;b=2">https://kommune.example/uu?a=1&amp;b=2</a>',
        ),
        (
            "Servicetorget, 55 00 00 00",
            '<span id="accessibility-contact">Servicetorget, 55 00 00 00</span>',
        ),
        (
            '<script>alert("x")</script>@x',
            '<span id="accessibility-contact">&lt;script&gt;alert(&#34;x&#34;)'
            "&lt;/script&gt;@x</span>",
        ),
        ("javascript:alert(1)", '<span id="accessibility-contact">javascript:alert(1)</span>'),
    ],
)
def test_the_operators_contact_is_shown_escaped(
    tmp_path: Path, contact: str, expected: str
) -> None:
    for client in _client_with(tmp_path, contact):
        page = client.get("/tilgjengelighet", headers={"Accept-Language": "en"})
        assert expected in page.text, page.text
        assert ORGANISER not in page.text
        assert "<script>" not in page.text.split("<body", 1)[1].replace("<script src=", "")


def test_the_contact_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ACCESSIBILITY_CONTACT, "  uu@kommune.example ")
    assert Settings.from_env().accessibility_contact == "uu@kommune.example"
    assert Settings.from_env(accessibility_contact="flag@x.example").accessibility_contact == (
        "flag@x.example"
    )
    monkeypatch.setenv(ENV_ACCESSIBILITY_CONTACT, " ")
    assert Settings.from_env().accessibility_contact is None


def test_every_page_but_the_presenter_links_the_statement(
    app_client: TestClient, facilitator: Facilitator
) -> None:
    programme = facilitator.create_programme()
    session = facilitator.create_session(programme, "Samling 1")
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    control = facilitator.client.get(f"/sessions/{session}/control")
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control.text)
    assert code
    join_code = code[1] + code[2]

    stranger = browser_of(app_client, headers={"Accept-Language": "en"})
    phone = browser_of(app_client, headers={"Accept-Language": "en"})
    token = CSRF_INPUT.search(phone.get("/").text)
    assert token
    joined = phone.post(
        "/join", data={"code": join_code, "csrf_token": token[1]}, follow_redirects=False
    )
    assert joined.status_code == 303

    pages = {
        "the join page": stranger.get("/"),
        "the QR code's join page": stranger.get(f"/j/{join_code}"),
        "the login page": stranger.get("/login"),
        "an error page": stranger.get("/no-such-page"),
        "the statement": stranger.get("/tilgjengelighet"),
        "the programmes": facilitator.client.get("/programmes"),
        "a programme": facilitator.client.get(f"/programmes/{programme}"),
        "the agenda editor": facilitator.client.get(f"/sessions/{session}"),
        "the control panel": control,
        "the account": facilitator.client.get("/account"),
        "the phone's live page": phone.get(f"/s/{join_code}"),
    }
    for name, page in pages.items():
        assert page.status_code in (200, 404), (name, page.status_code)
        assert page.text.count('id="accessibility-link"') == 1, name
        footer = FOOTER.search(page.text)
        assert footer, name
        page_language = re.search(r'<html lang="(\w+)">', page.text)
        assert page_language and footer[1] == page_language[1], name
        assert footer[2] == TITLES[footer[1]][0], name
        opened = stranger.get(f"/tilgjengelighet?lang={footer[1]}")
        assert f"<h1>{footer[2]}</h1>" in opened.text, name
    present = facilitator.client.get(f"/sessions/{session}/present")
    assert present.status_code == 200
    assert "/tilgjengelighet" not in present.text
    assert 'class="site-foot"' not in present.text


def test_the_statement_opens_in_the_linking_pages_language(app_client: TestClient) -> None:
    """``?lang=`` (the footer's link) wins over the browser's languages; anything but a
    language Samling speaks is ignored."""
    visitor = browser_of(app_client, headers={"Accept-Language": "en"})
    assert "<h1>Tilgjengelegheitserklæring</h1>" in visitor.get("/tilgjengelighet?lang=nn").text
    assert '<html lang="da">' in visitor.get("/accessibility?lang=da").text
    for junk in ("xx", "", "<script>", "en-GB"):
        page = visitor.get("/tilgjengelighet", params={"lang": junk})
        assert page.status_code == 200
        assert "<h1>Accessibility statement</h1>" in page.text, junk
        assert "<script>" not in page.text.split("<body", 1)[1].replace("<script src=", "")
