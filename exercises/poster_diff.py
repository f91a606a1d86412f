"""Two versions of a poster compared word by word (the standard library's difflib).

A version is a list of points; the comparison is one line per point of either version,
each a run of words that are in both, only in the older (removed) or only in the newer
(added). Points are compared as a whole text, so a word that moved to the next point is
shown removed here and added there. Everything stays plain text: the template escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Change = Literal["same", "added", "removed"]
#: Stands between two points in the sequence of words (no word holds a newline).
_BREAK = "\n"


@dataclass(frozen=True)
class Words:
    """A run of words with the same change."""

    change: Change
    text: str


@dataclass(frozen=True)
class Diff:
    """Two versions compared: their names, and one line of runs per point."""

    old_name: str
    new_name: str
    lines: tuple[tuple[Words, ...], ...]

    @property
    def added(self) -> int:
        return sum(len(w.text.split()) for line in self.lines for w in line if w.change == "added")

    @property
    def removed(self) -> int:
        return sum(
            len(w.text.split()) for line in self.lines for w in line if w.change == "removed"
        )

    @property
    def same(self) -> bool:
        return self.added == 0 and self.removed == 0


def _tokens(points: Sequence[str]) -> list[str]:
    tokens: list[str] = []
    for point in points:
        tokens.extend(point.split())
        tokens.append(_BREAK)
    return tokens


def word_diff(old: Sequence[str], new: Sequence[str]) -> tuple[tuple[Words, ...], ...]:
    """The lines of the comparison of two lists of points, word by word."""
    a, b = _tokens(old), _tokens(new)
    marked: list[tuple[Change, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            marked += [("same", t) for t in b[j1:j2]]
            continue
        if op in ("delete", "replace"):
            marked += [("removed", t) for t in a[i1:i2]]
        if op in ("insert", "replace"):
            marked += [("added", t) for t in b[j1:j2]]
    lines: list[tuple[Words, ...]] = []
    line: list[Words] = []
    for change, token in marked:
        if token == _BREAK:
            # A point that ends in both versions, or a point only one of them has.
            if line:
                lines.append(tuple(line))
            line = []
            continue
        if line and line[-1].change == change:
            line[-1] = Words(change, f"{line[-1].text} {token}")
        else:
            line.append(Words(change, token))
    if line:
        lines.append(tuple(line))
    return tuple(lines)


def compare_drafts(old_name: str, old: Sequence[str], new_name: str, new: Sequence[str]) -> Diff:
    """Two named versions compared."""
    return Diff(old_name, new_name, word_diff(old, new))
