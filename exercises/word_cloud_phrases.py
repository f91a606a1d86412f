"""word_cloud's phrases: how entries are grouped into phrases, and the live result.

Entries are grouped by a key (Unicode NFC, case folded, punctuation and
quotes stripped, whitespace collapsed), so "Felles forståelse!" and
«felles forståelse» are one phrase; a phrase stays a phrase. An entry that is
one stop word (bokmål, nynorsk, Danish, English) is counted but not drawn.
The spelling shown is the one most people used. Pure and quick.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from workshop.kinds import Curation, ResponseRecord

#: At most this many phrases are drawn; the rest are still counted and listed.
DRAWN_MAX = 150
#: Phrases a live result keeps for the screens (the control panel lists up to 500).
KEPT = 500
#: Characters dropped from a key outright (so "don't" and "dont" meet); other
#: punctuation becomes a space.
_DROPPED = {"'", "’", "ʼ", "´", "`"}


@cache
def stop_words() -> frozenset[str]:
    """Single words not worth drawing: bokmål and nynorsk, Danish, English."""
    from stop_words import get_stop_words
    from wordcloud import STOPWORDS

    words = set(get_stop_words("norwegian")) | set(get_stop_words("danish")) | set(STOPWORDS)
    return frozenset(key(w) for w in words)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """What makes two entries the same phrase (cached: every push groups them again)."""
    out = []
    for char in unicodedata.normalize("NFC", text).casefold():
        if char in _DROPPED:
            continue
        out.append(" " if unicodedata.category(char).startswith("P") else char)
    return " ".join("".join(out).split())


@lru_cache(maxsize=1 << 16)
def shown(text: str) -> str:
    """An entry as people wrote it, without the quotes and punctuation around it."""
    clean = _clean(text)
    start, end = 0, len(clean)
    while start < end and unicodedata.category(clean[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(clean[end - 1]).startswith("P"):
        end -= 1
    return clean[start:end].strip()


@dataclass(frozen=True)
class Entry:
    """One phrase of the cloud: its key, the spelling shown, and how many sent it."""

    key: str
    text: str
    count: int
    stop_word: bool = False
    hidden: bool = False
    merged: tuple[str, ...] = ()  # the spellings merged into it


@dataclass(frozen=True)
class Cloud:
    """The live result: every phrase, most sent first, and what is drawn."""

    entries: list[Entry]  # visible phrases, most first (the first KEPT of them)
    hidden: list[Entry]
    total: int  # entries sent (visible ones)
    phones: int
    distinct: int = 0  # visible phrases, also those beyond ``entries``

    @property
    def drawn(self) -> list[Entry]:
        return [e for e in self.entries if not e.stop_word][:DRAWN_MAX]

    @property
    def table(self) -> tuple[tuple[str, int], ...]:
        """The frequency table the layout draws (what decides a redraw)."""
        return tuple((e.text, e.count) for e in self.drawn)

    @property
    def signature(self) -> str:
        return hashlib.sha256(repr(self.table).encode()).hexdigest()[:16]


def _group(
    responses: Sequence[ResponseRecord], curation: Curation | None, keep: int | None
) -> Cloud:
    """The grouping behind ``summarise``: ``keep`` phrases get an Entry (None: all)."""
    merges: Mapping[str, str] = (curation or {}).get("merges", {})
    hidden_keys = set((curation or {}).get("hidden", []))
    # Per group: [count, first response id, spellings (as written: how many), phones].
    groups: dict[str, list[Any]] = {}
    merged_from: dict[str, set[str]] = {}
    for response in responses:
        if response.hidden:
            continue
        text = str(response.value.get("text", ""))
        own = key(text)
        if not own:
            continue
        group = _target(merges, own) if merges else own
        found = groups.get(group)
        if found is None:
            found = groups[group] = [0, response.id, {}, set()]
        found[0] += 1
        found[3].add(response.participant_id)
        if group != own:
            # A merged entry counts for its target; its spelling is not a candidate.
            merged_from.setdefault(group, set()).add(shown(text))
        else:
            spelling = shown(text)
            found[2][spelling] = found[2].get(spelling, 0) + 1
    total, phones, distinct = 0, set(), 0
    visible_keys, hidden_keys_found = [], []
    for group, (count, _first, _spellings, group_phones) in groups.items():
        if group in hidden_keys:
            hidden_keys_found.append(group)
        else:
            visible_keys.append(group)
            total += count
            phones |= group_phones
            distinct += 1

    def rank(group: str) -> tuple[int, int]:
        return (-groups[group][0], groups[group][1])

    visible_keys.sort(key=rank)
    hidden_keys_found.sort(key=rank)
    stops = stop_words()

    def entry(group: str) -> Entry:
        count, _first, spellings, _phones = groups[group]
        # The spelling most people used; the first written on a tie.
        best = max(spellings.items(), key=lambda kv: kv[1])[0] if spellings else group
        return Entry(
            group,
            best,
            count,
            stop_word=" " not in group and group in stops,
            hidden=group in hidden_keys,
            merged=tuple(sorted(merged_from.get(group, ()))),
        )

    kept = visible_keys if keep is None else visible_keys[:keep]
    return Cloud(
        [entry(g) for g in kept],
        [entry(g) for g in hidden_keys_found],
        total,
        len(phones),
        distinct,
    )


def _target(merges: Mapping[str, str], k: str) -> str:
    seen = set()
    while k in merges and k not in seen:
        seen.add(k)
        k = merges[k]
    return k
