"""The poster's text: cleaned to one line that a page or an XML file can hold, isolated
(U+2068 … U+2069) so an override in it turns nothing after it, and the date written out."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from babel.dates import format_date

_ISOLATE, _POP = "\u2068", "\u2069"

#: Characters a page or an XML file cannot hold (controls, surrogates, non-characters),
#: and runs of white space, which the poster draws as one space.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    cleaned = _UNPRINTABLE.sub("", unicodedata.normalize("NFC", value))
    return " ".join(cleaned.split())


def _isolated(text: str) -> str:
    return f"{_ISOLATE}{text}{_POP}"


def _long_date(day: dt.date | None, language: str) -> str:
    return format_date(day, format="long", locale=language) if day else ""
