"""word_cloud: each phone sends up to N short entries; equal phrases grow in a cloud.

Entries are grouped by a key (Unicode NFC, case folded, punctuation and
quotes stripped, whitespace collapsed), so "Felles forståelse!" and
«felles forståelse» are one phrase; a phrase stays a phrase. An entry that is
one stop word (bokmål, nynorsk, Danish, English) is counted but not drawn.
The spelling shown is the one most people used.

The facilitator curates the cloud: merge one entry into another, hide an
entry (both also hold for entries that arrive later), show it again. The
layout is CPU work: :func:`layout` runs in a worker process (the live loop
does that, at most every two seconds and only when the table changed); it
measures with the chart font (DejaVu Sans, ``workshop.fonts``), the file the
browser gets to draw the cloud with. This module's other functions are pure
and quick.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from workshop import fonts, forms
from workshop.actions import answering
from workshop.effects import Effects, SetCuration
from workshop.i18n import N_, Message, format_number, gettext, ngettext
from workshop.kinds import (
    Curation,
    FacilitatorAction,
    Fields,
    PhoneAction,
    ResponseRecord,
    Settings,
    Value,
)
from workshop.summary import (
    Cell,
    CloudChart,
    Element,
    Paragraph,
    Prompt,
    SummaryContext,
    Table,
)

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

    from workshop.live.state import LiveState

QUESTION_MAX = 500
ENTRIES_MAX = 10
LENGTH_MIN, LENGTH_MAX = 5, 100
#: At most this many phrases are drawn; the rest are still counted and listed.
DRAWN_MAX = 150
#: Phrases a live result keeps for the screens (the control panel lists up to 500).
KEPT = 500
#: The layout canvas: half of a 1600×900 screen, drawn at scale by the SVG's viewBox.
WIDTH, HEIGHT = 800, 450
COLOURS = 6
#: The smallest phrase drawn, in canvas units.
MIN_SIZE = 10
#: The chart font as the browser fetches it: /kinds/word_cloud/cloud.ttf.
FONT_FILE = "cloud.ttf"
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


@dataclass(frozen=True)
class Placed:
    """One drawn phrase: SVG text attributes computed by the layout."""

    text: str
    size: float
    x: float
    y: float
    vertical: bool
    colour: int
    #: Its advance in the chart font at ``size``: the browser draws it to this length.
    length: float = 0.0


def layout(table: Sequence[tuple[str, int]], seed: int = 7) -> list[Placed]:
    """Lay the phrases out (CPU work: run it in a worker process).

    Each phrase takes the box the browser gives its text (its advance by the font's
    ascent and descent, measured with the chart font: ``workshop.fonts``, the file the
    kind serves), so no two phrases' boxes overlap and every box lies inside the
    WIDTH × HEIGHT canvas. The most sent phrase comes first (its size: ``_first_size``),
    each next one smaller by its count (wordcloud's relative scaling), in a random free
    place that wordcloud's occupancy map finds (the same for the same table); one that
    finds none is turned, then made smaller, and those after it follow from its size.
    A phrase with no room even at MIN_SIZE is left out (the list beside the cloud has
    it all the same).
    """
    if not table:
        return []
    import numpy as np
    from wordcloud.wordcloud import IntegralOccupancyMap

    ranked = sorted(table, key=lambda entry: -entry[1])[:DRAWN_MAX]
    random = Random(seed)
    occupancy = IntegralOccupancyMap(HEIGHT, WIDTH, None)
    taken = np.zeros((HEIGHT, WIDTH), dtype=np.uint32)
    size = _first_size(ranked)
    last = float(ranked[0][1])
    placed: list[Placed] = []
    for text, count in ranked:
        size = max(MIN_SIZE, round(_relative(count, last) * size))
        last = float(count)
        vertical = random.random() >= _HORIZONTAL
        turned = False
        while True:
            ascent, descent, advance = _box(text, size)
            across, down = math.ceil(advance), ascent + descent
            if vertical:
                across, down = down, across
            spot = occupancy.sample_position(down + _MARGIN, across + _MARGIN, random)
            if spot is not None or (size == MIN_SIZE and turned):
                break
            if not turned:  # turned the other way before it is made smaller
                vertical, turned = not vertical, True
            else:
                size = max(MIN_SIZE, min(size - 1, int(size * 0.9)))
        if spot is None:
            continue
        row, col = spot[0] + 1, spot[1] + 1  # the free area starts past the corner found
        taken[row : row + down + _MARGIN, col : col + across + _MARGIN] = 1
        occupancy.update(taken, row, col)
        top, left = row + _MARGIN / 2, col + _MARGIN / 2
        # The SVG text's origin is on its baseline; turned a quarter to the left, the
        # baseline runs up the box, the ascent on its left.
        x, y = (left + ascent, top + advance) if vertical else (left, top + ascent)
        placed.append(
            Placed(
                text,
                float(size),
                round(x, 2),
                round(y, 2),
                vertical,
                len(placed) % COLOURS,
                round(advance, 2),
            )
        )
    return placed


def _relative(count: float, before: float) -> float:
    """How much smaller a phrase is than the one before it (wordcloud's relative scaling)."""
    return _RELATIVE * count / before + 1 - _RELATIVE


def _first_size(ranked: Sequence[tuple[str, int]]) -> int:
    """The most sent phrase's size, chosen so that the phrases sent at least half as often
    as it fill at most 40 % of the canvas, and all the phrases at most 55 % of it (room
    for many), but never smaller than a tenth of the canvas's height nor wider than it."""
    most = ranked[0][1]
    weight, weights = 1.0, []
    for (_text, count), (_before, before) in zip(ranked, [ranked[0], *ranked], strict=False):
        weight *= _relative(count, before)
        weights.append(weight)
    widths = [_advance(text, _MEASURE) / _MEASURE * _LINE for text, _count in ranked]

    def area(size: float) -> float:
        return sum(
            max(MIN_SIZE, size * w) ** 2 * width for w, width in zip(weights, widths, strict=True)
        )

    top = sum(
        w * w * width
        for w, width, (_text, count) in zip(weights, widths, ranked, strict=True)
        if 2 * count >= most
    )
    largest = min(HEIGHT / 3, (WIDTH - 2 * _MARGIN - 2) * _LINE / widths[0])
    size = min(largest, math.sqrt(_TOP_FILL * WIDTH * HEIGHT / top))
    smallest = min(size, HEIGHT / 10)
    while size > smallest and area(size) > _FILL * WIDTH * HEIGHT:
        size = max(smallest, size * 0.95)
    return max(MIN_SIZE, int(size))


#: Measured at this size, a phrase's advance scales with the size.
_MEASURE = 100
#: The height of a phrase's box, in em (DejaVu Sans: ascent 0.93, descent 0.24).
_LINE = 1.17
#: Room between two phrases' boxes; wordcloud's relative scaling (a phrase sent half as often
#: as the one before it is three quarters its size); how many run across rather than up.
_MARGIN = 4
_RELATIVE = 0.5
_HORIZONTAL = 0.9
#: The share of the canvas the most sent phrases, and all of them, are sized to fill.
_TOP_FILL = 0.4
_FILL = 0.55


@lru_cache(maxsize=512)
def _face(size: int) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path()), size)


def _advance(text: str, size: int) -> float:
    return float(_face(size).getlength(text))


def _box(text: str, size: int) -> tuple[int, int, float]:
    """The font's ascent and descent at ``size``, and the phrase's advance."""
    ascent, descent = _face(size).getmetrics()
    return ascent, descent, _advance(text, size)


def font_path() -> Path:
    """The font the layout measures with; the browser draws with the same file."""
    return fonts.chart_font()


#: The facilitator's actions on the cloud's entries (see ``WordCloudKind.curate``).
CURATIONS = ("merge", "unmerge", "hide", "show")


class WordCloudKind:
    name: ClassVar[str] = "word_cloud"
    label: ClassVar[str] = N_("Word cloud")
    template: ClassVar[str] = "word_cloud/word_cloud.html"
    folder: ClassVar[Path] = Path(__file__).with_suffix("")
    appends: ClassVar[bool] = False
    phones_see: ClassVar[Literal["nothing", "room", "group"]] = "nothing"

    def default_settings(self) -> Settings:
        """A blank question; three entries per phone of up to 25 characters."""
        return {"question": "", "entries_per_phone": 3, "max_length": 25}

    def validate_settings(self, raw: Mapping[str, object]) -> Settings:
        """Question required; 1–10 entries per phone; 5–100 characters each."""
        check = forms.Checker()
        check.only(raw, ("question", "entries_per_phone", "max_length"))
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

    def phone_actions(self) -> Mapping[str, PhoneAction]:
        """Send entries, and edit or delete one's own."""
        return answering(self.validate_response)

    def facilitator_actions(self) -> Mapping[str, FacilitatorAction]:
        """Merge an entry into another, hide it or show it again."""

        def curating(action: str) -> FacilitatorAction:
            def handle(settings: Settings, state: LiveState, fields: Fields) -> Effects:
                """Merge, unmerge, hide or show an entry (it holds for entries to come)."""
                return SetCuration(
                    self.curate(settings, state.curation, {**fields, "action": action})
                )

            return FacilitatorAction(handle)

        return {action: curating(action) for action in CURATIONS}

    def static_files(self) -> Mapping[str, Path]:
        """The font the cloud is measured and drawn with."""
        return {FONT_FILE: font_path()}

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
        """Group the entries; apply the facilitator's merges and hidden entries.

        Every entry is counted; the result keeps the most sent KEPT phrases (what the
        screens show and the cloud draws), so a push with thousands of distinct
        phrases groups them without building an object for each.
        """
        return _group(responses, curation, KEPT)

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
        context: SummaryContext | None = None,
    ) -> Sequence[Element]:
        """The question, the cloud, and every entry with how many sent it, most first (with
        the spellings merged into it); the entries the facilitator hid are only counted."""
        cloud = _group(responses, curation, None)
        elements: list[Element] = [Prompt(str(settings["question"]))]
        if not cloud.entries:
            elements.append(Paragraph(gettext("No entries"), muted=True))
        else:
            top = "; ".join(f"{e.text} {format_number(e.count)}" for e in cloud.drawn[:10])
            if cloud.drawn:
                elements.append(
                    CloudChart(
                        cloud.table,
                        alt=gettext("A word cloud; the most sent entries: %(top)s", top=top),
                    )
                )
            merged = any(e.merged for e in cloud.entries)
            headers: tuple[str, ...] = (gettext("Entry"), gettext("Times sent"))
            if merged:
                headers += (gettext("Merged into it"),)
            elements.append(
                Table(
                    headers,
                    tuple(
                        (e.text, e.count, *((", ".join(e.merged),) if merged else ()))
                        for e in cloud.entries
                    ),
                )
            )
            elements.append(
                Paragraph(
                    ngettext(
                        "%(num)d entry from %(phones)s phones",
                        "%(num)d entries from %(phones)s phones",
                        cloud.total,
                        phones=format_number(cloud.phones),
                    )
                )
            )
        hidden = sum(e.count for e in cloud.hidden)
        if hidden:
            elements.append(
                Paragraph(
                    ngettext(
                        "%(num)d entry hidden from the cloud",
                        "%(num)d entries hidden from the cloud",
                        hidden,
                    ),
                    muted=True,
                )
            )
        return tuple(elements)

    def columns(self, settings: Settings) -> Sequence[str]:
        """One column: the entry as it was sent."""
        return (gettext("Entry"),)

    def cells(self, settings: Settings, value: Value) -> Sequence[Cell]:
        """The entry's text."""
        return (str(value.get("text", "")),)
