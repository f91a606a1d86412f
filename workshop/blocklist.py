"""Words that hold an entry back for the facilitator's approval.

Each programme keeps its own list, one word or phrase per line, which the
facilitator edits; a new programme starts with the short list of its
facilitator's language and English. A line matches whole words in an entry
after the same folding the word cloud uses for grouping (case, accents as
written, punctuation as space); a line ending in ``*`` matches every word that
begins with it ("drit*" holds back "dritt" and "dritsekk").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from workshop import forms
from workshop.i18n import Message

#: Most lines and characters a programme's list may have.
MAX_LINES = 500
MAX_LINE = 60

#: Short starter lists (swearing and the commonest insults), per language. A
#: facilitator adds what their room needs; nothing here is meant to be complete.
STARTER: dict[str, tuple[str, ...]] = {
    "nb": (
        "faen",
        "fanden",
        "helvete",
        "jævla",
        "jævel*",
        "satan",
        "dritt*",
        "drit*",
        "fitte*",
        "kuk",
        "pikk*",
        "hore*",
        "ræv*",
        "idiot*",
        "dust",
        "tulling",
    ),
    "nn": (
        "faen",
        "helvete",
        "jævla",
        "jævel*",
        "satan",
        "dritt*",
        "drit*",
        "fitte*",
        "kuk",
        "pikk*",
        "hore*",
        "ræv*",
        "idiot*",
        "dust",
        "tulling",
    ),
    "da": (
        "fanden",
        "fandme",
        "helvede",
        "satan",
        "lort*",
        "pis",
        "pisse*",
        "kraftedeme",
        "kælling*",
        "luder*",
        "fisse*",
        "pik",
        "røv*",
        "idiot*",
        "spasser*",
        "nar",
    ),
    "en": (
        "fuck*",
        "shit*",
        "bullshit",
        "crap",
        "damn",
        "bitch*",
        "bastard*",
        "asshole*",
        "arse*",
        "cunt*",
        "dick*",
        "piss*",
        "wanker*",
        "idiot*",
        "moron*",
        "stupid",
    ),
}

_PUNCTUATION = re.compile(r"[^\w*]+")


def fold(text: str) -> str:
    """Case-folded NFC text with every run of non-word characters as one space."""
    text = unicodedata.normalize("NFC", text).casefold().replace("'", "").replace("’", "")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def starter(*languages: str) -> list[str]:
    """The starter lines of these languages, in order, without repeats."""
    seen: dict[str, None] = {}
    for language in languages:
        for word in STARTER.get(language, ()):
            seen.setdefault(word, None)
    return list(seen)


def clean(raw: object) -> list[str]:
    """A posted list (one per line) as clean lines, or raise ``ValueError(Message)``."""
    if not isinstance(raw, str):
        raise ValueError(Message("Must be text."))
    lines: dict[str, None] = {}
    for number, line in enumerate(raw.splitlines(), start=1):
        folded = fold(line)
        if not folded:
            continue
        if len(folded) > MAX_LINE:
            raise ValueError(
                Message(
                    "Line %(line)d is longer than %(max)d characters.", line=number, max=MAX_LINE
                )
            )
        if "*" in folded.rstrip("*") or folded == "*":
            raise ValueError(
                Message("Line %(line)d: a * may only end a word, as in drit*.", line=number)
            )
        lines.setdefault(folded, None)
    if len(lines) > MAX_LINES:
        raise ValueError(Message("At most %(max)d lines.", max=MAX_LINES))
    return list(lines)


def check(raw: object) -> list[str]:
    """:func:`clean` for a form: raise ``forms.Invalid`` naming the field ``blocklist``."""
    try:
        return clean(raw)
    except ValueError as exc:
        message = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else None
        raise forms.Invalid({"blocklist": message or Message("Invalid value.")}) from exc


def matcher(lines: Iterable[str]) -> Callable[[str], bool]:
    """A test for entries that contain one of the lines (whole words, ``*`` a prefix)."""
    patterns = []
    for line in lines:
        folded = fold(line)
        if not folded:
            continue
        prefix = folded.endswith("*")
        words = folded.rstrip("*").split()
        if not words:
            continue
        body = r"\s+".join(re.escape(w) for w in words)
        patterns.append(rf"(?<!\w){body}" + (r"\w*" if prefix else r"(?!\w)"))
    if not patterns:
        return lambda _text: False
    pattern = re.compile("|".join(patterns))
    return lambda text: pattern.search(fold(text)) is not None
