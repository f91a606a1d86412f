"""The HTML summary: one self-contained file, every shown answer as text, nothing run."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from fontTools.ttLib import TTFont

from facilitator.export import html
from tests.unit import export_sample as sample
from tests.unit.html_page import ISOLATE, POP
from tests.unit.html_page import Page as _Page
from tests.unit.html_page import read as _read
from workshop import app, i18n, templating
from workshop.summary import BarChart, CloudChart, Entries, Entry, Part


@pytest.fixture(scope="module")
def session_page() -> tuple[bytes, _Page]:
    data = html.render(sample.SUMMARY.session())
    return data, _read(data)


def test_every_shown_answer_is_text_and_nothing_runs(session_page: tuple[bytes, _Page]) -> None:
    data, page = session_page
    for answer in sample.SUMMARY.answers:
        assert answer in page.text, answer
    assert sample.HIDDEN not in data.decode()
    names = [tag for tag, _attrs in page.tags]
    assert "script" not in names and "i" not in names and "b" not in names
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in data.decode()
    assert not any(key.startswith("on") for _tag, attrs in page.tags for key in attrs)
    # The override stays inside its answer: isolated, as <bdi> would (without its box).
    assert f"{ISOLATE}før\u202eevil{POP}" in page.text


def test_nothing_leaves_the_file(session_page: tuple[bytes, _Page]) -> None:
    _data, page = session_page
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "base", "script")
        for key in ("src", "href", "srcset", "action", "poster"):
            if attrs.get(key) is not None:
                assert (attrs[key] or "").startswith("data:"), (tag, key)
    css = "".join(page.styles)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
    assert urls and all(url.startswith("data:font/woff;base64,") for url in urls)
    assert "@import" not in css


def test_the_fonts_are_dejavu_cut_to_the_page(session_page: tuple[bytes, _Page]) -> None:
    import base64

    _data, page = session_page
    css = "".join(page.styles)
    faces = re.findall(r"font-weight: (\d+);[^}]*base64,([A-Za-z0-9+/=]+)", css)
    assert [weight for weight, _b64 in faces] == ["400", "700"]
    for _weight, b64 in faces:
        font = TTFont(io.BytesIO(base64.b64decode(b64)))
        assert "DejaVu Sans" in font["name"].getDebugName(1)
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in "æøåÆØ")
        assert len(cmap) < 400  # cut down: the whole face maps some 6,000 characters
    assert len(_data) < 600_000


def test_a_session_reads_as_a_report(session_page: tuple[bytes, _Page]) -> None:
    _data, page = session_page
    text = page.words
    assert page.tags[0][0] == "html" and page.tags[0][1]["lang"] == "nb"
    h1 = [t for t, _a in page.tags if t == "h1"]
    assert len(h1) == 1
    for expected in (
        "Ledersamling: Ærlighet & mot",
        "tirsdag 1. desember 2026",
        "Kommunestyresalen, Tromsø",
        "Lederprogrammet 2026",
        "Nordkommune",
        "Programmet slik det gikk",  # the agenda: planned and actual start, minutes taken
        "09:15 Hva er god ledelse? Open question 20 09:16 31",
        "30 telefoner svarte · 6 svar · 3 svar skjult",
        "Tillit & mot",
        "7 votes · answered",
        "Gruppe Ørn <b>",
        "66,7",  # a float with one decimal, as bokmål writes it
    ):
        assert expected in text, expected


def test_every_chart_is_an_image_with_its_alt_text(session_page: tuple[bytes, _Page]) -> None:
    _data, page = session_page
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert [a["alt"] for a in images] == ["Votes", "Means", "Cloud of words"]
    assert all((a["src"] or "").startswith("data:image/png;base64,iVBOR") for a in images)


def test_a_programme_has_every_session_then_what_runs_across(tmp_path: object) -> None:
    page = _read(html.render(sample.SUMMARY.programme()))
    text = page.words
    assert text.index("Oppsummering av programmet") < text.index("Samling 1")
    assert text.index("Samling 1") < text.index("Samling 2") < text.index("På tvers av programmet")
    assert text.count("Hva kjennetegner god ledelse? <i>") == 2
    sections = [a.get("class") for t, a in page.tags if t == "section"]
    assert sections.count("session") == 2 and "session across" in sections
    assert "break-before: page" in "".join(page.styles)


def test_english_record_is_written_in_english() -> None:
    record = dataclasses.replace(sample.SUMMARY.session(), language="en")
    text = _read(html.render(record)).words
    assert "The agenda as it ran" in text and "Tuesday, December 1, 2026" in text
    assert "66.7" in text
    assert i18n.current_language() == i18n.DEFAULT_LANGUAGE  # left as it was


def test_preview_is_the_article_alone() -> None:
    preview = html.preview(sample.SUMMARY.session())
    assert preview.startswith("<article") and "<style" not in preview and "<html" not in preview
    assert "Blåbærsyltetøy på Ærøy" in preview and "&lt;script&gt;" in preview
    assert "data:image/png;base64," in preview


def test_the_macros_render_in_the_apps_templates_and_fall_back_to_tables() -> None:
    """The app's environment (the summary page, the programme page) imports the same
    macros; a chart with no image given is shown as its numbers."""
    env = templating.environment(app.template_dirs())
    template = env.from_string(
        '{% import "facilitator/export/_elements.html" as e %}{{ e.elements(items, charts, 4) }}'
    )
    bar = BarChart(("Ærlig", sample.SCRIPT), (3, 1.5), "Votes")
    cloud = CloudChart(((sample.RTL, 2),), "Cloud")
    items = (Part(sample.GROUP, (bar, cloud, Entries((Entry(sample.SCRIPT, "x"),)))),)
    with i18n.language("nb"):
        out = template.render(items=items, charts={cloud: "data:image/png;base64,AAAA"})
    page = _read(out.encode())
    assert [t for t, _a in page.tags if t == "h4"] == ["h4"]
    assert "script" not in [t for t, _a in page.tags]
    assert "1,5" in page.words and "Ærlig" in page.words  # the bar chart as a table
    assert [a["src"] for t, a in page.tags if t == "img"] == ["data:image/png;base64,AAAA"]


def test_an_empty_day_still_makes_a_page() -> None:
    """No date, no place, no agenda, no exercise; a programme with no session yet."""
    empty = dataclasses.replace(
        sample.SUMMARY.session(),
        date=None,
        place="",
        programme="",
        client="",
        agenda=(),
        exercises=(),
    )
    text = _read(html.render(empty)).words
    assert "Ingen øvelser ble kjørt i denne samlingen." in text
    assert "Dato" not in text and "Programmet slik det gikk" not in text
    nothing = dataclasses.replace(sample.SUMMARY.programme(), sessions=(), across=(), client="")
    text = _read(html.render(nothing)).words
    assert "Ingen samlinger i programmet ennå." in text
