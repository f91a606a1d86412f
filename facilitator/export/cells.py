"""Cells and names for the spreadsheets (XLSX, CSV): no formula ever runs, no name breaks.

A participant's answer that begins like a formula (``=HYPERLINK(...)``, ``+1``, ``-2``,
``@x``, or a tab or carriage return before one) would run when the file is opened in a
spreadsheet. Every such text gets a leading apostrophe and stays text; numbers the kinds
give as numbers stay numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from workshop.summary import Cell

#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 has no place for these control characters: an XLSX cannot hold them at all.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel's limits for a sheet's name.
SHEET_NAME_LENGTH = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters Windows, macOS or Linux refuse in a file's name, and the controls.
_FILE_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def storable(text: str) -> str:
    """``text`` without the control characters no XML file (XLSX, DOCX) can hold."""
    return _UNSTORABLE.sub("", text)


def neutralised(cell: Cell) -> Cell:
    """The cell as a spreadsheet may safely show it: formula-like text made plain text."""
    if isinstance(cell, str):
        text = storable(cell)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return cell


def _one_line(text: str) -> str:
    # Bidi controls and other format characters would make a name read other than it is.
    shown = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    return _SPACES.sub(" ", shown).strip()


def sheet_names(titles: Iterable[str], fallback: str, taken: Iterable[str] = ()) -> Iterator[str]:
    """A name for each sheet: at most 31 characters, none of ``[]:*?/\\``, unique.

    Excel compares sheet names without case, refuses an apostrophe at either end and
    keeps "History" for itself; ``taken`` are names already in the workbook.
    """
    used = {name.casefold() for name in taken} | {"history"}
    for title in titles:
        base = _one_line(_SHEET_FORBIDDEN.sub(" ", title)).strip("' ") or fallback
        name = _unique(base, SHEET_NAME_LENGTH, used)
        used.add(name.casefold())
        yield name


def file_names(titles: Iterable[str], extension: str, fallback: str) -> Iterator[str]:
    """A file name for each title that every system accepts, unique within the zip."""
    used: set[str] = set()
    for title in titles:
        base = _one_line(_FILE_FORBIDDEN.sub(" ", title)).strip(". ") or fallback
        if _WINDOWS_RESERVED.match(base):
            base = f"_{base}"
        stem = _unique(base, 80, used)
        used.add(stem.casefold())
        yield f"{stem}.{extension}"


def _unique(base: str, limit: int, used: set[str]) -> str:
    """``base`` cut to ``limit``, with " (2)", " (3)"... until it is not in ``used``."""
    number = 1
    while True:
        tail = f" ({number})" if number > 1 else ""
        name = base[: limit - len(tail)].rstrip(" '.") + tail
        if name.casefold() not in used:
            return name
        number += 1
