"""word_cloud: grouping entries (Norwegian and Danish examples), curation and the layout."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from exercises.word_cloud import DRAWN_MAX, WordCloudKind, font_path, key, layout, shown
from workshop import fonts, forms
from workshop.i18n import language
from workshop.kinds import Drawn, ResponseRecord

KIND = WordCloudKind()
SETTINGS = KIND.validate_settings({"question": "Hva trenger vi?"})


def refused(call: Callable[..., Any], *args: object) -> dict[str, str]:
    with pytest.raises(forms.Invalid) as caught:
        call(*args)
    with language("en"):
        return {k: str(m) for k, m in caught.value.errors.items()}


def entries(*texts: str, hidden: tuple[int, ...] = ()) -> list[ResponseRecord]:
    return [
        ResponseRecord(id=n, participant_id=n, value={"text": t}, hidden=n in hidden)
        for n, t in enumerate(texts, start=1)
    ]


def test_defaults_and_settings() -> None:
    assert SETTINGS == {"question": "Hva trenger vi?", "entries_per_phone": 3, "max_length": 25}
    assert refused(KIND.validate_settings, {"question": "", "max_length": "200"}) == {
        "question": "Required.",
        "max_length": "Must be between 5 and 100.",
    }


def test_equal_phrases_meet_whatever_their_case_quotes_and_punctuation() -> None:
    decomposed = unicodedata.normalize("NFD", "felles forståelse")
    assert decomposed != "felles forståelse"
    same = [
        "Felles forståelse!",
        "«felles forståelse»",
        decomposed,
        "  FELLES   forståelse ",
        '"Felles forståelse."',
    ]
    assert {key(t) for t in same} == {"felles forståelse"}
    # Danish and Norwegian letters are letters, not punctuation.
    assert key("Æble, ØL og Åen") == "æble øl og åen"
    assert key("don't") == key("dont")
    assert shown("«Felles forståelse!»") == "Felles forståelse"


def test_a_phrase_stays_one_entry_and_the_most_used_spelling_is_shown() -> None:
    cloud = KIND.summarise(
        SETTINGS,
        entries(
            "felles forståelse", "Felles forståelse!", "«Felles forståelse»", "Tillid", "tillid"
        ),
    )
    assert [(e.text, e.count) for e in cloud.entries] == [
        ("Felles forståelse", 3),
        ("Tillid", 2),
    ]
    assert cloud.total == 5 and cloud.phones == 5


def test_a_single_stop_word_is_counted_but_not_drawn() -> None:
    cloud = KIND.summarise(SETTINGS, entries("og", "Og", "ikkje", "og så videre", "samarbeid"))
    stop = {e.text: e.stop_word for e in cloud.entries}
    assert stop == {
        "og": True,
        "ikkje": False or stop["ikkje"],
        "og så videre": False,
        "samarbeid": False,
    }
    assert stop["ikkje"] is True  # nynorsk
    assert [text for text, _ in cloud.table] == ["og så videre", "samarbeid"]
    assert cloud.total == 5


def test_hidden_responses_and_empty_keys_are_left_out() -> None:
    cloud = KIND.summarise(SETTINGS, entries("Tillit", "Tillit", "Tid", hidden=(2,)))
    assert [(e.text, e.count) for e in cloud.entries] == [("Tillit", 1), ("Tid", 1)]
    assert refused(KIND.validate_response, SETTINGS, {"text": "!!!"}) == {
        "text": "Write a word or a short phrase."
    }
    assert refused(KIND.validate_response, SETTINGS, {"text": "x" * 26}) == {
        "text": "At most 25 characters."
    }
    assert "text" in refused(KIND.validate_response, SETTINGS, {"text": "two\nlines"})


def test_merge_and_hide_hold_for_entries_that_come_later() -> None:
    assert isinstance(KIND, Drawn)
    assert set(KIND.facilitator_actions()) == {"merge", "unmerge", "hide", "show"}
    curation = KIND.curate(
        SETTINGS, {}, {"action": "merge", "entry": "samarbeide", "into": "Samarbeid"}
    )
    curation = KIND.curate(SETTINGS, curation, {"action": "hide", "entry": "Tull"})
    cloud = KIND.summarise(
        SETTINGS, entries("samarbeid", "Samarbeide", "samarbeide", "tull", "Tillit"), curation
    )
    assert [(e.text, e.count) for e in cloud.entries] == [("samarbeid", 3), ("Tillit", 1)]
    assert cloud.entries[0].merged == ("Samarbeide", "samarbeide")
    assert [e.text for e in cloud.hidden] == ["tull"]
    assert cloud.total == 4
    shown_again = KIND.curate(SETTINGS, curation, {"action": "show", "entry": "tull"})
    unmerged = KIND.curate(SETTINGS, shown_again, {"action": "unmerge", "entry": "samarbeide"})
    assert unmerged == {"merges": {}, "hidden": []}


def test_curation_is_refused_with_a_reason() -> None:
    assert refused(KIND.curate, SETTINGS, {}, {"action": "hide", "entry": ""}) == {
        "entry": "Choose an entry."
    }
    assert refused(
        KIND.curate, SETTINGS, {}, {"action": "merge", "entry": "a b", "into": "A B!"}
    ) == {"into": "Choose another entry to merge into."}
    # No cycles: merging the target back into its source is refused.
    once = KIND.curate(SETTINGS, {}, {"action": "merge", "entry": "x", "into": "y"})
    assert "into" in refused(
        KIND.curate, SETTINGS, once, {"action": "merge", "entry": "y", "into": "x"}
    )
    assert refused(KIND.curate, SETTINGS, {}, {"action": "burn", "entry": "x"}) == {
        "action": "Invalid value."
    }


def test_the_drawn_table_is_capped_and_its_signature_follows_it() -> None:
    many = entries(*(f"ord {i}" for i in range(DRAWN_MAX + 50)))
    cloud = KIND.summarise(SETTINGS, many)
    assert len(cloud.table) == DRAWN_MAX and cloud.total == DRAWN_MAX + 50
    again = KIND.summarise(SETTINGS, many)
    assert again.signature == cloud.signature
    assert KIND.summarise(SETTINGS, many[:10]).signature != cloud.signature


def test_layout_places_every_phrase_inside_the_canvas() -> None:
    table = (("felles forståelse", 5), ("tillit", 3), ("Æøå äöü", 2), ("<script>", 1))
    placed = layout(table)
    assert sorted(p.text for p in placed) == sorted(t for t, _ in table)
    for p in placed:
        assert 0 <= p.x <= 800 and 0 <= p.y <= 450 and p.size >= 8
    assert layout(()) == []


def test_hostile_text_is_text_in_the_svg() -> None:
    from workshop.app import kind_registry, templates_for
    from workshop.settings import Settings
    from workshop.templating import render_block

    env = templates_for(kind_registry(Settings().plugins)).env
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    cloud = KIND.summarise(SETTINGS, entries(hostile[:25], "ok"))
    placed = layout(cloud.table)
    with language("en"):
        html = render_block(
            env,
            KIND.template,
            "results",
            {
                "settings": SETTINGS,
                "item": type("I", (), {"id": 1})(),
                "result": cloud,
                "drawing": placed,
            },
        )
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    tree = ElementTree.fromstring(svg)
    tags = {el.tag.split("}")[-1] for el in tree.iter()}
    assert tags == {"svg", "title", "text"}
    assert any(hostile[:25] == (el.text or "") for el in tree.iter() if el.tag.endswith("text"))


def test_the_cloud_is_measured_with_the_font_the_browser_gets(tmp_path: Path) -> None:
    """The worker's layout measures with DejaVu Sans from matplotlib, and that very file is
    what the browser downloads and draws the cloud's text with."""
    import matplotlib
    from PIL import ImageFont
    from starlette.testclient import TestClient

    from workshop.app import create_app
    from workshop.settings import Settings

    served = KIND.static_files()["cloud.ttf"]
    assert served == fonts.chart_font() == font_path()
    assert served == Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    with TestClient(create_app(Settings(db_path=tmp_path / "s.db"))) as client:
        font = client.get("/kinds/word_cloud/cloud.ttf")
        css = client.get("/kinds.css").text
    assert font.status_code == 200 and font.content == served.read_bytes()
    assert (
        '@font-face { font-family: "Samling Cloud"; src: url("/kinds/word_cloud/cloud.ttf")' in css
    )
    assert '.cloud text { font-family: "Samling Cloud"' in css

    # Each phrase is placed at the advance that file gives it (the browser draws it to that
    # length), and the face is proportional with the Nordic and German letters.
    table = (("Ærlighet på øya", 5), ("Grüße aus Köln", 3), ("tillit", 2), ("MMMM", 1))
    for word in layout(table):
        face = ImageFont.truetype(str(served), int(word.size))
        assert word.length == pytest.approx(face.getlength(word.text), abs=0.01)
    face = ImageFont.truetype(str(served), 100)
    assert face.getlength("iiii") < face.getlength("MMMM") / 2
    missing = face.getmask("\U000f0000").getbbox()  # no glyph: the .notdef box
    for letter in "æøåäöüÆØÅÄÖÜ":
        assert face.getmask(letter).getbbox() != missing, letter


def test_every_phrase_s_box_lies_inside_the_canvas_and_apart_from_the_others() -> None:
    """The box the browser gives each phrase's text (its advance by the font's ascent and
    descent, as the SVG places it) is inside the layout's canvas, so the viewBox holds
    the whole cloud, and no two boxes overlap."""
    from PIL import ImageFont

    table = tuple(
        (f"frase nummer {i} æøå" if i % 3 else f"en lengre frase {i}", max(1, 40 // (i + 1)))
        for i in range(300)
    )
    placed = layout(table)
    assert len(placed) > 40
    assert placed[0].text == "en lengre frase 0" and placed[0].size == max(p.size for p in placed)
    boxes = []
    for word in placed:
        face = ImageFont.truetype(str(fonts.chart_font()), int(word.size))
        ascent, descent = face.getmetrics()
        if word.vertical:  # turned a quarter to the left about its origin
            box = (word.x - ascent, word.y - word.length, word.x + descent, word.y)
        else:
            box = (word.x, word.y - ascent, word.x + word.length, word.y + descent)
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= 800 and box[3] <= 450, (word, box)
        for other in boxes:
            apart = box[2] <= other[0] or other[2] <= box[0] or box[3] <= other[1]
            assert apart or other[3] <= box[1], (word, box, other)
        boxes.append(box)
    # The same table gives the same cloud.
    assert layout(table) == placed


def test_a_cloud_of_common_words_only_is_not_waiting_for_a_drawing() -> None:
    from workshop.app import kind_registry, templates_for
    from workshop.settings import Settings
    from workshop.templating import render_block

    env = templates_for(kind_registry(Settings().plugins)).env
    item = type("I", (), {"id": 1})()

    def results(cloud: object, drawing: object) -> str:
        context = {"settings": SETTINGS, "item": item, "result": cloud, "drawing": drawing}
        with language("en"):
            return render_block(env, KIND.template, "results", context)

    common = KIND.summarise(SETTINGS, entries("og", "Og", "the"))
    assert common.entries and not common.table
    assert "Drawing the cloud" not in results(common, None)
    assert "Drawing the cloud" in results(KIND.summarise(SETTINGS, entries("tillit")), None)
