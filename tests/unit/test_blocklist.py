"""The blocklist: cleaning what a facilitator writes, and matching entries."""

from __future__ import annotations

import pytest

from workshop import blocklist, forms
from workshop.i18n import language


def test_lines_are_folded_deduplicated_and_empty_ones_dropped() -> None:
    assert blocklist.clean("Faen\n\n  DRIT* \nfaen\nFy  søren!\n") == ["faen", "drit*", "fy søren"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ok\na*b", "Line 2: a * may only end a word, as in drit*."),
        ("*", "Line 1: a * may only end a word, as in drit*."),
        ("x" * 61, "Line 1 is longer than 60 characters."),
        ("\n".join(f"w{n}" for n in range(501)), "At most 500 lines."),
    ],
)
def test_bad_lists_are_refused_with_a_reason(raw: str, message: str) -> None:
    with pytest.raises(forms.Invalid) as caught:
        blocklist.check(raw)
    with language("en"):
        assert str(caught.value.errors["blocklist"]) == message


def test_whole_words_match_and_a_star_matches_a_beginning() -> None:
    blocked = blocklist.matcher(["faen", "drit*", "fy søren"])
    assert blocked("Hva FAEN skjer?")
    assert blocked("faen!")
    assert blocked("For noe dritt")
    assert blocked("dritsekk")
    assert blocked("Fy, søren")  # punctuation between the words of a phrase
    assert blocked("FY SØREN")
    assert not blocked("faenskap")  # a whole word, not a part of one
    assert not blocked("sfaen")
    assert not blocked("Vi trenger mer tid")
    assert not blocked("fy")
    assert not blocklist.matcher([])("faen")


def test_decomposed_letters_match_their_composed_form() -> None:
    assert blocklist.matcher(["røv*"])("RØVHUL")
    assert blocklist.matcher(["kælling*"])("KÆLLING")
    assert blocklist.matcher(["å"])("a\u030a")  # decomposed å


def test_starter_lists_exist_for_every_language_and_join_without_repeats() -> None:
    for language_code in ("nb", "nn", "da", "en"):
        assert blocklist.starter(language_code), language_code
        assert blocklist.clean("\n".join(blocklist.starter(language_code)))
    joined = blocklist.starter("nb", "nn")
    assert len(joined) == len(set(joined))
    assert blocklist.starter("xx") == []
