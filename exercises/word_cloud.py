"""word_cloud: each phone sends up to N short entries; equal phrases grow in a cloud.

Entries are grouped by a key (Unicode NFC, case folded, punctuation and
quotes stripped, whitespace collapsed), so "Felles forståelse!" and
«felles forståelse» are one phrase; a phrase stays a phrase. An entry that is
one stop word (bokmål, nynorsk, Danish, English) is counted but not drawn.
The spelling shown is the one most people used.

The facilitator curates the cloud: merge one entry into another, hide an
entry (both also hold for entries that arrive later), show it again. The
layout is CPU work: :func:`layout` runs in a worker process (the live loop
does that, at most every two seconds and only when the table changed); this
module's other functions are pure and quick.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from workshop import forms
from workshop.i18n import N_, Message
from workshop.kinds import Curation, ResponseRecord, Settings, Value

QUESTION_MAX = 500
ENTRIES_MAX = 10
LENGTH_MIN, LENGTH_MAX = 5, 100
#: At most this many phrases are drawn; the rest are still counted and listed.
DRAWN_MAX = 150
#: The layout canvas: half of a 1600×900 screen, drawn at scale by the SVG's viewBox.
WIDTH, HEIGHT = 800, 450
COLOURS = 6
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


def key(text: str) -> str:
    """What makes two entries the same phrase."""
    out = []
    for char in unicodedata.normalize("NFC", text).casefold():
        if char in _DROPPED:
            continue
        out.append(" " if unicodedata.category(char).startswith("P") else char)
    return " ".join("".join(out).split())


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

    entries: list[Entry]  # visible phrases, most first
    hidden: list[Entry]
    total: int  # entries sent (visible ones)
    phones: int

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


def _target(merges: Mapping[str, str], k: str) -> str:
    seen = set()
    while k in merges and k not in seen:
        seen.add(k)
        k = merges[k]
    return k


@dataclass(frozen=True)
class Placed:
    """One drawn phrase: SVG text attributes computed by the layout."""

    text: str
    size: float
    x: float
    y: float
    vertical: bool
    colour: int


def layout(table: Sequence[tuple[str, int]], seed: int = 7) -> list[Placed]:
    """Lay the phrases out (CPU work: run it in a worker process)."""
    if not table:
        return []
    from PIL import Image, ImageFont
    from wordcloud import WordCloud

    cloud = WordCloud(
        width=WIDTH,
        height=HEIGHT,
        max_words=DRAWN_MAX,
        prefer_horizontal=0.9,
        relative_scaling=0.5,
        min_font_size=8,
        random_state=seed,
        mode="RGBA",
        background_color=None,
    ).generate_from_frequencies(dict(table))
    placed = []
    for i, ((word, _count), font_size, (row, col), orientation, _colour) in enumerate(
        cloud.layout_
    ):
        font = ImageFont.truetype(cloud.font_path, int(font_size))
        (width, _height), (offset_x, offset_y) = font.font.getsize(word)  # type: ignore[call-arg]
        ascent, _descent = font.getmetrics()
        top = ascent - offset_y
        if orientation == Image.Transpose.ROTATE_90:
            x, y, vertical = col + top, row + width, True
        else:
            x, y, vertical = col - offset_x, row + top, False
        placed.append(Placed(word, float(font_size), float(x), float(y), vertical, i % COLOURS))
    return placed


def font_path() -> str:
    """The font the layout measures with; the browser must draw with the same one."""
    import wordcloud

    return str(__import__("pathlib").Path(wordcloud.__file__).with_name("DroidSansMono.ttf"))


class WordCloudKind:
    name: ClassVar[str] = "word_cloud"
    label: ClassVar[str] = N_("Word cloud")
    template: ClassVar[str] = "exercises/word_cloud.html"
    appends: ClassVar[bool] = False
    moderated: ClassVar[bool] = False

    def default_settings(self) -> Settings:
        """A blank question; three entries per phone of up to 25 characters."""
        return {"question": "", "entries_per_phone": 3, "max_length": 25}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Question required; 1–10 entries per phone; 5–100 characters each."""
        check = forms.Checker()
        for k in sorted(set(raw) - {"question", "entries_per_phone", "max_length"}):
            check.errors[k] = Message("Unknown setting.")
        question = check.field(
            "question",
            forms.text,
            raw.get("question"),
            max_length=QUESTION_MAX,
            required=True,
            multiline=True,
        )
        entries = check.field(
            "entries_per_phone",
            forms.integer,
            raw.get("entries_per_phone"),
            minimum=1,
            maximum=ENTRIES_MAX,
            default=3,
        )
        length = check.field(
            "max_length",
            forms.integer,
            raw.get("max_length"),
            minimum=LENGTH_MIN,
            maximum=LENGTH_MAX,
            default=25,
        )
        check.done()
        return {"question": question, "entries_per_phone": entries, "max_length": length}

    def validate_response(self, settings: Settings, raw: Mapping[str, object]) -> Value:
        """One entry: a word or a short phrase on one line, within the length limit."""
        check = forms.Checker()
        entry = check.field(
            "text",
            forms.text,
            raw.get("text"),
            max_length=int(settings["max_length"]),
            required=True,
        )
        if entry is not None and not check.errors and not key(entry):
            check.errors["text"] = Message("Write a word or a short phrase.")
        check.done()
        return {"text": _clean(entry)}

    def shown_text(self, value: Value) -> str:
        """The answer's text (moderation checks it against the blocklist)."""
        return str(value.get("text", ""))

    def responses_allowed(self, settings: Settings) -> int:
        """As many entries as the facilitator allows per phone."""
        return int(settings["entries_per_phone"])

    def summarise(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Cloud:
        """Group the entries; apply the facilitator's merges and hidden entries."""
        merges: Mapping[str, str] = (curation or {}).get("merges", {})
        hidden_keys = set((curation or {}).get("hidden", []))
        spellings: dict[str, Counter[str]] = {}
        order: dict[str, int] = {}
        phones: dict[str, set[int]] = {}
        merged_from: dict[str, set[str]] = {}
        for response in responses:
            if response.hidden:
                continue
            text = str(response.value.get("text", ""))
            own = key(text)
            if not own:
                continue
            group = _target(merges, own)
            if group != own:
                merged_from.setdefault(group, set()).add(shown(text))
                spellings.setdefault(group, Counter())
                # A merged entry counts for its target; its spelling is not a candidate.
                spellings[group][""] += 1
            else:
                spellings.setdefault(group, Counter())[shown(text)] += 1
            order.setdefault(group, response.id)
            phones.setdefault(group, set()).add(response.participant_id)
        stops = stop_words()
        visible, hidden, total, all_phones = [], [], 0, set()
        for group, counter in spellings.items():
            candidates = [(n, -i, s) for i, (s, n) in enumerate(counter.items()) if s]
            text = max(candidates)[2] if candidates else group
            count = sum(counter.values())
            entry = Entry(
                group,
                text,
                count,
                stop_word=" " not in group and group in stops,
                hidden=group in hidden_keys,
                merged=tuple(sorted(merged_from.get(group, ()))),
            )
            if entry.hidden:
                hidden.append(entry)
            else:
                visible.append(entry)
                total += count
                all_phones |= phones[group]
        visible.sort(key=lambda e: (-e.count, order[e.key]))
        hidden.sort(key=lambda e: (-e.count, order[e.key]))
        return Cloud(visible, hidden, total, len(all_phones))

    def curate(self, settings: Settings, curation: Curation, raw: Mapping[str, object]) -> Curation:
        """The facilitator's action on an entry: merge it into another, hide or show it."""
        merges = dict(curation.get("merges", {}))
        hidden = list(curation.get("hidden", []))
        action = raw.get("action")
        entry = key(str(raw.get("entry", "")))
        if not entry:
            raise forms.Invalid({"entry": Message("Choose an entry.")})
        if action == "hide":
            if entry not in hidden:
                hidden.append(entry)
        elif action == "show":
            hidden = [k for k in hidden if k != entry]
        elif action == "merge":
            into = key(str(raw.get("into", "")))
            if not into or _target(merges, into) == entry:
                raise forms.Invalid({"into": Message("Choose another entry to merge into.")})
            merges[entry] = _target(merges, into)
        elif action == "unmerge":
            merges = {k: v for k, v in merges.items() if k != entry}
        else:
            raise forms.Invalid({"action": Message("Invalid value.")})
        return {"merges": merges, "hidden": hidden}

    def drawing_job(self, result: Cloud) -> tuple[str, Callable[..., Any], tuple[Any, ...]]:
        """The layout of the drawn phrases (a worker process runs it)."""
        return result.signature, layout, (result.table,)

    def summary(
        self,
        settings: Settings,
        responses: Sequence[ResponseRecord],
        curation: Curation | None = None,
    ) -> Any:
        """The question and the entries, most sent first."""
        cloud = self.summarise(settings, responses, curation)
        return {"question": settings["question"], "entries": cloud.entries, "total": cloud.total}
