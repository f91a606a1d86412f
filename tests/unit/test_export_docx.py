"""The record as a Word document: headings, lists, tables and charts, every shown answer."""

from __future__ import annotations

import dataclasses
import io

import docx
from docx.document import Document
from docx.oxml.ns import qn

from facilitator.export import docx as docx_export
from facilitator.export.record import Record
from tests.unit.export_sample import FORMATS, FORMULA, GROUP, HIDDEN, RTL


def _document(record: Record) -> Document:
    return docx.Document(io.BytesIO(docx_export.render(record)))


def _paragraphs(document: Document) -> list[tuple[str, str]]:
    """(style, text) of every paragraph, the tables' cells included."""
    found = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [(p.style.name if p.style else "", p.text) for p in cell.paragraphs]
    return found


def _texts(document: Document) -> list[str]:
    return [text for _style, text in _paragraphs(document)]


def _styled(document: Document, style: str) -> list[str]:
    return [text for name, text in _paragraphs(document) if name == style]


def test_every_shown_answer_is_a_list_item_verbatim_and_hidden_ones_are_absent() -> None:
    document = _document(FORMATS.session())
    items = _styled(document, "List Bullet")
    for answer in FORMATS.answers:
        assert any(answer in item for item in items), answer
    # Word runs no formula from text: the answer stays as it was written.
    assert FORMULA in items
    assert "-2" in items and "+1" in items and "@x" in items
    assert "\tinnrykk med tab" in items and "ord\tmed\ttab" in items
    assert "Linje én\nlinje to" in items
    assert not any(HIDDEN in text for text in _texts(document))
    body = document.element.xml
    assert "instrText" not in body and "fldSimple" not in body


def test_the_document_has_a_title_facts_agenda_and_a_heading_per_exercise() -> None:
    document = _document(FORMATS.session())
    assert _styled(document, "Title") == ["Ledersamling: Ærlighet & mot"]
    texts = _texts(document)
    for fact in (
        "Dato: tirsdag 1. desember 2026",
        "Sted: Kommunestyresalen, Tromsø",
        "Program: Lederprogrammet 2026",
        "Oppdragsgiver: Nordkommune",
        "Telefoner som ble med: 23",
        "Telefoner som svarte: 19",
    ):
        assert fact in texts
    assert _styled(document, "Heading 1") == [
        "Dagsprogram",
        "Hva er god ledelse? [del 1/2]",
        "Hva er god ledelse? [del 1/2]",
        "Prioriter",
        "Refleksjon",
    ]
    assert _styled(document, "Heading 2") == ["Tema: Tillit", "No theme"]
    assert "Open question · 11 telefoner svarte · 11 svar · 1 svar skjult" in texts
    assert _styled(document, "Quote")[0] == "Hva er god ledelse for deg?"
    agenda = document.tables[0]
    assert [c.text for c in agenda.rows[0].cells] == [
        "Planlagt start",
        "Punkt",
        "Type",
        "Planlagte minutter",
        "Startet",
        "Varte (minutter)",
    ]
    assert [c.text for c in agenda.rows[1].cells] == [
        "09:00",
        "Velkommen",
        "Talk",
        "15",
        "09:02",
        "14",
    ]
    assert [c.text for c in agenda.rows[3].cells] == ["", "Lunsj", "Break", "45", "11:30", "50"]
    # The header row repeats on each page a long table runs over.
    assert agenda.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # The reflection gives its count and nothing else.
    assert texts[texts.index("Refleksjon") + 1 :][:2] == [
        "Reflection",
        "3 phones wrote reflections",
    ]


def test_tables_write_numbers_for_the_language() -> None:
    document = _document(FORMATS.session())
    means = document.tables[1]
    assert [c.text for c in means.rows[1].cells] == ["Tillit", "4,3", "8"]
    english = _document(dataclasses.replace(FORMATS.session(), language="en"))
    assert [c.text for c in english.tables[1].rows[1].cells] == ["Tillit", "4.3", "8"]
    assert "Agenda" in _styled(english, "Heading 1")
    assert "Date: Tuesday, December 1, 2026" in _texts(english)


def test_highlighted_entries_are_starred_bold_and_highlighted() -> None:
    document = _document(FORMATS.session())
    item = next(p for p in document.paragraphs if "Blåbærsyltetøy" in p.text)
    assert item.text == "★ Blåbærsyltetøy på ærlig vis"
    star, text = item.runs
    assert star.text == "★ " and text.bold
    assert text.font.highlight_color is not None
    plain = next(p for p in document.paragraphs if p.text == "+1")
    assert not any(run.bold for run in plain.runs)


def test_numbered_lists_each_count_from_one_and_details_follow_the_entry() -> None:
    document = _document(FORMATS.session())
    numbered = [p for p in document.paragraphs if p.style and p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["Å lytte — 60 points", "Ø — 40 points"]
    num_id = numbered[0]._p.pPr.numPr.numId.val
    assert {p._p.pPr.numPr.numId.val for p in numbered} == {num_id}
    numbering = document.part.numbering_part.element
    start = numbering.num_having_numId(num_id).find(qn("w:lvlOverride")).find(qn("w:startOverride"))
    assert start.get(qn("w:val")) == "1"


def test_a_right_to_left_override_is_closed_so_it_turns_nothing_after_it() -> None:
    assert docx_export._clean(RTL) == RTL + "\u202c"
    assert docx_export._clean("a\u2067b") == "a\u2067b\u2069"
    assert docx_export._clean("\u202eab\u202c") == "\u202eab\u202c"
    assert docx_export._clean("\u2066\u202ex\u2069y\u202e") == "\u2066\u202ex\u2069y\u202e\u202c"
    assert docx_export._clean("plain æøå 🎉") == "plain æøå 🎉"
    assert docx_export._clean("a\x00b\x1bc") == "abc"
    item = next(p for p in _document(FORMATS.session()).paragraphs if RTL in p.text)
    assert item.text == RTL + "\u202c"


def test_charts_are_pictures_with_alt_text() -> None:
    document = _document(FORMATS.session())
    shapes = list(document.inline_shapes)
    alts = [shape._inline.docPr.get("descr") for shape in shapes]
    assert alts == [
        "Means: Tillit 4.3, Mot 3.5",
        "Points: Å lytte 60, Ø 40",
        "Cloud: tillit 5, mot 2",
    ]
    for shape in shapes:
        picture = shape._inline.graphic.graphicData.pic
        assert picture.nvPicPr.cNvPr.get("descr") == shape._inline.docPr.get("descr")
        blip = picture.blipFill.blip.embed
        assert document.part.related_parts[blip].blob.startswith(b"\x89PNG")
        assert shape.width <= docx_export._CHART_WIDTH
        assert shape.height <= docx_export._CHART_HEIGHT


def test_the_page_is_a4_in_the_records_language_with_a_footer() -> None:
    document = _document(FORMATS.session())
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    lang = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert lang.get(qn("w:val")) == "nb-NO"
    assert document.core_properties.title == "Ledersamling: Ærlighet & mot"
    made = FORMATS.session().made_at.astimezone()  # written in the server's local time
    day = f"{made.day}. desember 2026" if made.month == 12 else ""
    footer = f"Laget med Samling {day} kl. {made:%H:%M}"
    assert section.footer.paragraphs[0].text == footer


def test_a_programme_has_every_session_in_order_and_what_runs_across() -> None:
    document = _document(FORMATS.programme())
    assert _styled(document, "Title") == ["Lederprogrammet 2026"]
    headings = _styled(document, "Heading 1")
    assert headings == ["Samling 1", "Samling 2", "På tvers av samlingene"]
    assert _styled(document, "Heading 2").count("Prioriter") == 2
    assert _styled(document, "Heading 3").count("Tema: Tillit") == 2
    texts = _texts(document)
    for answer in FORMATS.answers:
        assert sum(answer in text for text in texts) == 2, answer
    assert "Evalueringen samling for samling" in texts
    assert GROUP in _styled(document, "Heading 2")
    assert "Felles punkt på tvers — Samling 2" in texts
    assert "3,8" in texts  # the across table's mean of 3.75, rounded half up
