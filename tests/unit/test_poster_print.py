"""The final purpose poster: one A4 page as PDF, a printable page and an SVG, each with the
programme's title, the date, the preamble and every common point, escaped, fetching
nothing."""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from pypdf import PdfReader

from exercises import poster_print
from facilitator.export import pdf as summary_pdf
from tests.unit.html_page import ISOLATE, POP
from tests.unit.html_page import read as _read
from workshop import fonts, printing
from workshop.kinds import DraftRecord, FileContext, Value

SVG = "{http://www.w3.org/2000/svg}"
PREAMBLE = poster_print.DEFAULT_PREAMBLE
LONG = (
    "Anerkjenne hverandres kompetanse, gi trygghet og tillit, ha forståelse for hverandre "
    "og kunne prioritere bedre på tvers av hele organisasjonen, punkt"
)
#: Twelve long points, as a room of leaders writes them at the end of a long day.
TWELVE = tuple(f"{LONG} {n}" for n in range(1, 13))
HOSTILE = (
    "<script>alert(1)</script>",
    "Tom & Jerry sier \"ja\" og 'nei'",
    "Blåbærsyltetøy på Ærøy",
    "Mer tid til pauser 🎉",
    "før\u202eevil",
    "<img src=http://127.0.0.1:9/x.png> url(http://127.0.0.1:9/f.woff)",
    "Et‐ord‐så‐langt‐at‐det‐ikke‐får‐plass‐på‐én‐linje‐uten‐å‐brytes‐inne‐i‐seg‐selv‐" * 2,
)
DAY = dt.date(2026, 12, 1)


def _version(
    id: int, content: tuple[str, ...], *, group: int | None = None, name: str = "Utkast 1"
) -> DraftRecord:
    values: tuple[Value, ...] = tuple({"text": text} for text in content)
    return DraftRecord(
        id=id,
        group_id=group,
        name=name,
        content=values,
        session_id=1,
        session_title="Samling 1",
        saved_at=dt.datetime(2026, 11, 3, 14, id),
    )


def _context(
    points: tuple[str, ...] = TWELVE, orientation: str = "portrait", **changes: Any
) -> FileContext:
    ctx = FileContext(
        settings={"heading": "Formålsplakaten", "preamble": PREAMBLE, "orientation": orientation},
        item_title="Formålsplakaten",
        programme_title="Lederprogrammet 2026",
        session_title="Samling 2",
        date=DAY,
        language="nb",
        drafts=(_version(1, ("Et tidlig utkast",)), _version(2, points, name="Utkast 2")),
        curation=None,
        groups={7: "Gruppe Ørn"},
    )
    return dataclasses.replace(ctx, **changes)


def _pdf_pages(data: bytes) -> list[str]:
    """Each page's text, whitespace made single (see test_export_pdf: a NUL before each
    character of a font that lacks a glyph)."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().replace("\x00", "").split()) for page in reader.pages]


def _words(text: str) -> str:
    return " ".join(text.replace(ISOLATE, "").replace(POP, "").split())


@pytest.fixture(scope="module")
def portrait_pdf() -> bytes:
    return poster_print.pdf(_context())


def test_twelve_long_points_print_on_one_a4_page(portrait_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(portrait_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, upright
    text = _pdf_pages(portrait_pdf)[0]
    for expected in ("Formålsplakaten", "Lederprogrammet 2026", "1. desember 2026", PREAMBLE):
        assert expected in text, expected
    for number, point in enumerate(TWELVE, start=1):
        assert f"{number}. {point}" in text, point
    assert "Et tidlig utkast" not in text  # an older version


def test_landscape_is_a4_on_its_side(laid_out: list[int]) -> None:
    data = poster_print.pdf(_context(orientation="landscape"))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert laid_out == [1, 1]  # the measure was right the first time
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert f"12. {TWELVE[-1]}" in _pdf_pages(data)[0]
    assert b"size: A4 landscape" in poster_print.html(_context(orientation="landscape"))
    assert b"size: A4 portrait" in poster_print.html(_context())


def test_the_text_shrinks_as_the_points_grow() -> None:
    few = poster_print.layout(poster_print.read(_context(points=TWELVE[:3])))
    many = poster_print.layout(poster_print.read(_context()))
    assert poster_print.SMALLEST < many.size < few.size <= poster_print.LARGEST
    very_long = tuple(" ".join([LONG] * 3) + f" {n}" for n in range(12))
    data = poster_print.pdf(_context(points=very_long))
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = _pdf_pages(data)[0]
    assert all(point in text for point in very_long)


def test_the_svg_holds_every_point_wrapped_inside_its_width() -> None:
    root = ET.fromstring(poster_print.svg(_context()))
    assert root.tag == f"{SVG}svg"
    width, height = (float(n) for n in root.attrib["viewBox"].split()[2:])
    assert (round(width), round(height)) == (595, 842)
    assert (root.attrib["width"], root.attrib["height"]) == ("210mm", "297mm")
    points = root.findall(f"{SVG}g[@class='point']")
    assert [p.attrib["data-number"] for p in points] == [str(n) for n in range(1, 13)]
    right = width - poster_print.MARGIN
    for point, expected in zip(points, TWELVE, strict=True):
        lines = point.findall(f"{SVG}text[@class='text']")
        assert len(lines) >= 2  # long points are wrapped
        assert _words(" ".join(line.text or "" for line in lines)) == expected
        for line in lines:
            drawn = _words(line.text or "")
            size = float(line.attrib["font-size"])
            assert float(line.attrib["x"]) + fonts.text_width(drawn, size) <= right + 0.01
            assert poster_print.MARGIN < float(line.attrib["y"]) < height - poster_print.MARGIN
    texts = " ".join(_words(t.text or "") for t in root.iter(f"{SVG}text"))
    for expected in ("Formålsplakaten", "Lederprogrammet 2026 · 1. desember 2026", "Samling 1"):
        assert expected in texts
    preamble = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "preamble"]
    assert _words(" ".join(preamble)) == PREAMBLE


def test_landscape_svg_is_wider_than_tall() -> None:
    root = ET.fromstring(poster_print.svg(_context(orientation="landscape")))
    assert (root.attrib["width"], root.attrib["height"]) == ("297mm", "210mm")


def test_participant_text_is_escaped_and_isolated_everywhere() -> None:
    ctx = _context(points=HOSTILE, programme_title="Program <b>&</b>")
    page = _read(poster_print.html(ctx))
    assert [tag for tag, _ in page.tags if tag in {"script", "img", "b"}] == []
    items = [t for t in page.texts if t.strip() and t.startswith(ISOLATE)]
    for text in HOSTILE:
        isolated = f"{ISOLATE}{' '.join(text.split())}{POP}"
        assert isolated in items, text  # an override inside turns nothing after it
    assert f"{ISOLATE}Program <b>&</b> · 1. desember 2026{POP}" in items

    root = ET.fromstring(poster_print.svg(ctx))  # well-formed XML whatever was typed
    assert [e.tag for e in root.iter() if not e.tag.startswith(SVG)] == []
    drawn = {"svg", "title", "style", "rect", "g", "text"}
    assert {e.tag for e in root.iter()} <= {f"{SVG}{tag}" for tag in drawn}
    for point, text in zip(root.findall(f"{SVG}g[@class='point']"), HOSTILE, strict=True):
        lines = [line.text or "" for line in point.findall(f"{SVG}text[@class='text']")]
        assert all(line.startswith(ISOLATE) and line.endswith(POP) for line in lines)
        assert _words(" ".join(lines)).replace(" ", "") == text.replace(" ", "")

    text = _pdf_pages(poster_print.pdf(ctx))[0]
    for answer in HOSTILE[:4]:
        assert answer in text, answer


def test_characters_no_page_can_hold_are_left_out() -> None:
    ctx = _context(points=("Null\x00 og\x0b vertikal\ud800 tab\ttegn",))
    root = ET.fromstring(poster_print.svg(ctx))
    point = root.find(f"{SVG}g[@class='point']/{SVG}text[@class='text']")
    assert point is not None and _words(point.text or "") == "Null og vertikal tab tegn"
    assert f"{ISOLATE}Null og vertikal tab tegn{POP}" in _read(poster_print.html(ctx)).texts


def test_the_files_fetch_nothing_outside_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = _context(points=HOSTILE)
    page = _read(poster_print.html(ctx))
    links = [v for _, attrs in page.tags for k, v in attrs.items() if k in {"src", "href"}]
    assert links == []
    styles = " ".join(page.styles)
    urls = re.findall(r"url\(\"?([^\")]*)", styles)
    assert urls and all(u.startswith("data:font/woff;base64,") for u in urls)
    assert "@import" not in styles
    svg = poster_print.svg(ctx).decode()
    assert re.findall(r'href="', svg) == []
    style = ET.fromstring(svg).find(f"{SVG}style")
    assert style is not None and style.text
    svg_urls = re.findall(r"url\(\"?([^\")]*)", style.text)
    assert len(svg_urls) == 2  # DejaVu Sans and its bold; the url() typed is text
    assert all(u.startswith("data:font/woff;base64,") for u in svg_urls)

    from weasyprint.urls import URLFetcher

    asked: list[str] = []

    class Recording(URLFetcher):  # type: ignore[misc]  # untyped
        def __call__(self, url: str) -> Any:
            asked.append(url)
            return super().__call__(url)

    monkeypatch.setattr(printing, "fetcher", lambda: Recording(allowed_protocols=("data",)))
    poster_print.pdf(ctx)
    assert asked and all(url.startswith("data:") for url in asked)


def test_the_working_common_draft_comes_before_the_saved_versions() -> None:
    group = _version(3, ("Gruppens eget punkt",), group=7)
    curation = {"common": [{"text": "Skape fellesskap", "from": ["Gruppe Ørn"]}, {"text": " "}]}
    ctx = _context(drafts=(*_context().drafts, group), curation=curation)
    poster = poster_print.read(ctx)
    assert poster.points == ("Skape fellesskap",)
    assert poster.foot == "Samling 2"  # the working draft is this session's
    latest = poster_print.read(_context(drafts=(*_context().drafts, group)))
    assert latest.points == TWELVE  # the newest common version, never a group's
    assert latest.foot == "Samling 1 · Utkast 2"
    assert poster_print.read(_context(curation={"common": []})).points == ()
    assert poster_print.read(_context(curation={"other": 1})).points == TWELVE
    empty = poster_print.read(_context(drafts=(group,)))
    assert empty.points == () and empty.preamble == PREAMBLE
    assert f"{ISOLATE}{PREAMBLE}{POP}" in _read(poster_print.html(_context(drafts=()))).texts


def test_the_heading_date_and_preamble_have_their_defaults() -> None:
    ctx = _context(settings={}, date=None, programme_title="", item_title="Plakaten")
    poster = poster_print.read(ctx)
    assert poster.heading == "Plakaten"
    assert poster.preamble == PREAMBLE and not poster.landscape
    assert poster.top == "Samling 2 · 3. november 2026"  # the version's day, no programme
    english = poster_print.read(dataclasses.replace(ctx, language="en"))
    assert english.top == "Samling 2 · November 3, 2026"


def test_without_pango_the_pdf_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(summary_pdf.PdfUnavailable) as caught:  # what the routes catch
        poster_print.pdf(_context())
    assert str(caught.value).startswith("PDF kan ikke lages")
    assert "libpango-1.0-0" in str(caught.value)
    assert poster_print.html(_context()).startswith(b"<!doctype html>")  # the rest work


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pages each page the PDF lays out takes, in order: its checks of the text
    in the flow (which takes a second page where it does not fit), then the print."""
    counts: list[int] = []
    real = printing.document

    def counting(page: str, language: str) -> Any:
        document = real(page, language)
        counts.append(len(document.pages))
        return document

    monkeypatch.setattr(printing, "document", counting)
    return counts


def test_the_most_the_settings_allow_still_prints_on_one_page(laid_out: list[int]) -> None:
    """Thirty points of 300 characters (the kind's limits), on its side too."""
    point = ("Anerkjenne hverandres kompetanse og tillit på tvers av organisasjonen " * 5)[:300]
    points = tuple(f"{n}: {point}" for n in range(30))
    for orientation in ("portrait", "landscape"):
        laid_out.clear()
        data = poster_print.pdf(_context(points=points, orientation=orientation))
        assert len(PdfReader(io.BytesIO(data)).pages) == 1
        assert laid_out[-2:] == [1, 1]  # the text in the flow fits: nothing is cut off


def test_the_pdf_shrinks_the_text_where_the_printer_needs_more_room(
    monkeypatch: pytest.MonkeyPatch, laid_out: list[int]
) -> None:
    """Should the measure leave too little room, the printed page's own check goes down."""
    monkeypatch.setattr(poster_print, "_SLACK_HEIGHT", 1.25)  # a measure too generous
    data = poster_print.pdf(_context())
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert laid_out[0] == 2 and laid_out[-2:] == [1, 1]  # too big, then fitted, then printed
    assert all(f"{n}. {p}" in _pdf_pages(data)[0] for n, p in enumerate(TWELVE, start=1))
