"""Translations: every string is marked, every marked string has a translation in every
language Samling speaks (bokmål, nynorsk, Danish; English is the source)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from workshop import i18n

ROOT = Path(__file__).resolve().parents[2]
#: The built-in kinds: the modules of exercises/ with a folder holding their catalogs (the
#: others are a kind's helpers, such as poster_print.py).
KINDS = sorted(
    p.stem for p in (ROOT / "exercises").glob("*.py") if (p.with_suffix("") / "locale").is_dir()
)
TEMPLATE_DIRS = [
    *(ROOT / p / "templates" for p in ("workshop", "facilitator", "participant")),
    *(ROOT / "exercises" / kind for kind in KINDS),
]
# Words that are the same in every language: the product's name and file formats.
UNTRANSLATED = {"Samling", "TOML"}


def _extract(folder: Path, config: str, *inputs: str) -> set[str]:
    pot = folder / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", config, "-k", "N_", "-k", "Message"]
        + ["--no-location", "-o", str(pot), *inputs],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def _translated(path: Path) -> tuple[set[str], list[object]]:
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="nb")
    translated = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not message.fuzzy:
            translated.add(key)
    return translated, [(m.id, errors) for m, errors in catalog.check() if errors]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    return _extract(tmp_path_factory.mktemp("pot"), "babel.cfg", ".")


@pytest.mark.parametrize("language", i18n.TRANSLATED)
def test_every_marked_string_has_a_translation_in_every_language(
    extracted: set[str], language: str
) -> None:
    catalog = ROOT / "workshop" / "locale" / language / "LC_MESSAGES" / "messages.po"
    translated, problems = _translated(catalog)
    missing = sorted(extracted - translated)
    assert not missing, f"not translated to {language} (run `make messages`): {missing}"
    assert not problems, problems


@pytest.mark.parametrize("language", i18n.TRANSLATED)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_brings_its_catalog_in_every_language(
    kind: str, language: str, tmp_path: Path
) -> None:
    helpers = sorted(f"exercises/{p.name}" for p in (ROOT / "exercises").glob(f"{kind}_*.py"))
    strings = _extract(
        tmp_path, "babel-kind.cfg", f"exercises/{kind}.py", *helpers, f"exercises/{kind}"
    )
    catalog = ROOT / "exercises" / kind / "locale" / language / "LC_MESSAGES" / f"{kind}.po"
    translated, problems = _translated(catalog)
    missing = sorted(strings - translated)
    assert not missing, f"{kind}: not translated to {language} (run `make messages`): {missing}"
    assert not problems, problems


def test_translations_keep_their_placeholders() -> None:
    with i18n.language("nb"):
        assert i18n.gettext("At most %(max)d characters.", max=5) == "Høyst 5 tegn."
        assert i18n.ngettext("%(num)d item", "%(num)d items", 2) == "2 punkter"
    with i18n.language("nn"):
        assert i18n.gettext("At most %(max)d characters.", max=5) == "Høgst 5 teikn."
    with i18n.language("en"):
        assert str(i18n.Message("At most %(max)d characters.", max=5)) == "At most 5 characters."


def _bare_text(source: str) -> list[str]:
    """Words in a template that do not go through gettext."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", " ", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", " ", source, flags=re.S)
    source = re.sub(r"&[a-z]+;", " ", source)
    return [w for w in re.findall(r"[^\W\d_]{2,}", source) if w not in UNTRANSLATED]


def test_templates_have_no_untranslated_text() -> None:
    found = {}
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            words = _bare_text(path.read_text(encoding="utf-8"))
            if words:
                found[str(path.relative_to(ROOT))] = words
    assert not found, f"text outside _(...) in templates: {found}"


def test_accept_language_picks_a_supported_language() -> None:
    assert i18n.best_language("en-GB,en;q=0.9") == "en"
    assert i18n.best_language("da, en;q=0.5") == "da"
    assert i18n.best_language("nn-NO,nb;q=0.9,en;q=0.8") == "nn"
    assert i18n.best_language("sv, da;q=0.6") == "da"
    assert i18n.best_language("no;q=0.8, en;q=0.7") == "nb"
    assert i18n.best_language("fr") == i18n.DEFAULT_LANGUAGE
    assert i18n.best_language("") == i18n.DEFAULT_LANGUAGE
