"""The HTML summary in headless Chromium, opened from a file with every request stopped:
it asks for nothing outside itself, draws its fonts and charts, and prints to A4 PDF."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import Page, Request, Route, expect
from pypdf import PdfReader

from facilitator.export import html
from tests.unit import export_sample as sample


def _open(page: Page, path: Path) -> list[str]:
    """Open ``path`` with every request but the file's own stopped; the requests made."""
    asked: list[str] = []
    url = path.as_uri()

    def stop(route: Route, request: Request) -> None:
        if request.url == url:
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", stop)
    page.on("request", lambda request: asked.append(request.url))
    page.on("dialog", lambda dialog: asked.append(f"dialog: {dialog.message}"))  # alert(1)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert not failed, failed
    return asked


def test_the_summary_file_asks_for_nothing_and_renders_completely(
    page: Page, tmp_path: Path
) -> None:
    path = tmp_path / "summary.html"
    path.write_bytes(html.render(sample.SUMMARY.programme()))
    asked = _open(page, path)
    # data: URLs never go out; the file itself is the only request made.
    assert [u for u in asked if not u.startswith("data:")] == [path.as_uri()]

    expect(page.locator("h1")).to_have_text("\u2068Lederprogrammet 2026\u2069")  # isolated
    for answer in (sample.NORWEGIAN, sample.EMOJI, sample.FORMULA, sample.SCRIPT, sample.RTL):
        expect(page.get_by_text(answer).first).to_be_visible()
    assert page.locator("script").count() == 0

    fonts = page.evaluate("[...document.fonts].map(f => [f.family, f.weight, f.status])")
    assert sorted(fonts) == [
        ["Samling Sans", "400", "loaded"],
        ["Samling Sans", "700", "loaded"],
    ]
    images = page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth, i.alt])")
    assert len(images) == 2 * 3 + 1  # three charts a session, one across the programme
    assert all(complete and width > 500 for complete, width, _alt in images), images

    # On paper each session starts a page; a table row or a chart is never split.
    page.emulate_media(media="print")
    breaks = page.evaluate(
        "[...document.querySelectorAll('section.session')].map("
        "s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["page", "page", "page"]
    assert page.evaluate("getComputedStyle(document.querySelector('tr')).breakInside") == "avoid"


def test_the_summary_prints_to_pdf(page: Page, tmp_path: Path) -> None:
    path = tmp_path / "summary.html"
    path.write_bytes(html.render(sample.SUMMARY.session()))
    _open(page, path)
    data = page.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2  # A4
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in (sample.NORWEGIAN, sample.FORMULA, sample.SCRIPT, "3 svar skjult"):
        assert expected in text, expected
