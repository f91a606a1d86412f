"""The summary's charts as PNG images, drawn without a browser (for HTML, PDF and DOCX).

They draw the plain chart elements of :mod:`workshop.summary` that any kind's summary
returns, so they live beside them: the exports (``facilitator.export``) only call ``png``.

Bars and the radar are drawn with matplotlib's Agg canvas (a ``Figure`` of its own, never
pyplot's global state), the cloud is the wordcloud package's own image; both in DejaVu
Sans (``workshop.fonts``: matplotlib's file), which has æ, ø and å. Labels are the
participants' and facilitators' plain text: matplotlib's mathtext is off (``$x$`` stays
``$x$``, never runs as math), TeX is off, and invisible format characters (a right-to-left
override, zero-width joiners) are dropped, since a chart cannot isolate them as HTML does.
A glyph DejaVu Sans lacks (an emoji) is drawn as its missing-glyph box, without a warning.
Numbers are written for the record's language (Babel), as everywhere in the summary.
"""

from __future__ import annotations

import io
import math
import textwrap
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from workshop import fonts, i18n
from workshop.i18n import gettext as _
from workshop.summary import BarChart, Chart, CloudChart, RadarChart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The summary's colours (static/css/samling.css and the word cloud's palette).
INK = "#1d2a2a"
MUTED = "#5b6b6a"
ACCENT = "#1f5f5b"
LINE = "#d9d4c7"
#: The radar's rings and spokes: read to place a mean, so 3:1 with the white (as on screen).
GRID = "#858585"
CLOUD_COLOURS = ("#1f5f5b", "#a3471a", "#3d5a99", "#7a4d8f", "#5b7a1f", "#8a5a00")
#: Pixels per inch: sharp on paper at a page's width (16 cm wide ≈ 1,300 px).
DPI = 200
#: The widest a chart is drawn, in inches (a page's text width).
WIDTH = 6.4
#: The cloud's image in pixels (16:9, sharp at a page's width).
CLOUD_SIZE = (1600, 900)
#: At most this many phrases are drawn in a cloud (the summary lists the rest).
CLOUD_WORDS = 150
#: A label is wrapped at this many characters (bars: at the chart's left; radar: at a spoke).
_BAR_WRAP = 34
_RADAR_WRAP = 18

_RC: dict[str, Any] = {
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "text.color": INK,
    "axes.edgecolor": LINE,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "svg.fonttype": "path",
}


@lru_cache(maxsize=32)
def png(chart: Chart, language: str) -> bytes:
    """``chart`` as a PNG image, its numbers and remarks written in ``language``.

    Charts are frozen and hashable: a worker that exports one day in several formats
    draws each chart once (a cloud takes some 0.2 s).
    """
    with i18n.language(language):
        if isinstance(chart, CloudChart):
            return _cloud(chart)
        with _drawing():
            figure = _radar(chart) if isinstance(chart, RadarChart) else _bars(chart)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
        return buffer.getvalue()


def label(text: str) -> str:
    """``text`` as a chart can draw it: one line, no invisible format characters."""
    kept = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(kept.split())


@contextmanager
def _drawing() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(_RC), warnings.catch_warnings():  # type: ignore[arg-type]
        # An emoji is not in DejaVu Sans: matplotlib draws the box and says so each time.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        warnings.filterwarnings("ignore", message="Matplotlib currently does not support")
        yield


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _number(value: float) -> str:
    return i18n.format_number(value, 0 if float(value).is_integer() else 1)


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(label(text), width, break_long_words=True)) or "–"


def _bars(chart: BarChart) -> Figure:
    labels = [_wrapped(text, _BAR_WRAP) for text in chart.labels]
    lines = sum(text.count("\n") + 1 for text in labels)
    figure = _figure(WIDTH, max(0.8, 0.28 * lines + 0.14 * len(labels) + 0.35))
    axes = figure.add_subplot()
    if not labels:
        _nothing(axes)
        return figure
    positions = range(len(labels))
    values = [max(0.0, float(v)) for v in chart.values]
    axes.barh(positions, values, color=ACCENT, height=0.55)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()  # the first label on top, as the lists read
    top = max(values, default=0.0) or 1.0
    axes.set_xlim(0, top * 1.15)
    for position, value in zip(positions, values, strict=False):
        axes.text(value + top * 0.01, position, _number(value), va="center", color=INK)
    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    return figure


def _radar(chart: RadarChart) -> Figure:
    count = len(chart.labels)
    if count < 3:  # fewer than three spokes make no wheel: bars say it better
        return _bars(BarChart(chart.labels, chart.values, chart.alt))
    figure = _figure(WIDTH * 0.8, WIDTH * 0.65)  # shown at 80 % of the text width
    from matplotlib.projections.polar import PolarAxes

    axes = figure.add_subplot(projection="polar")
    assert isinstance(axes, PolarAxes)
    # The first spoke is at the top, the others follow clockwise, as a wheel is read.
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    angles = [2 * math.pi * i / count for i in range(count)]
    values = [min(max(float(v), chart.low), chart.high) for v in chart.values]
    closed = [*angles, angles[0]]
    axes.plot(closed, [*values, values[0]], color=ACCENT, linewidth=2)
    axes.fill(closed, [*values, values[0]], color=ACCENT, alpha=0.2)
    axes.set_ylim(chart.low, chart.high)
    axes.set_yticks(list(range(chart.low, chart.high + 1)))
    axes.set_yticklabels([_number(t) for t in range(chart.low, chart.high + 1)], color=MUTED)
    axes.set_xticks(angles)
    axes.set_xticklabels([_wrapped(text, _RADAR_WRAP) for text in chart.labels])
    axes.tick_params(axis="x", pad=12, labelcolor=INK)
    # The axis numbers run up between the first two spokes, clear of both labels.
    axes.set_rlabel_position(180 / count)
    axes.grid(color=GRID)
    axes.spines["polar"].set_color(GRID)
    return figure


def _nothing(axes: object) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    axes.set_axis_off()
    axes.text(0.5, 0.5, _("Nothing to show"), ha="center", va="center", color=MUTED)


def _cloud(chart: CloudChart) -> bytes:
    counts: dict[str, int] = {}
    for text, count in chart.words:
        drawn = label(text)
        if drawn and count > 0:
            counts[drawn] = counts.get(drawn, 0) + count
    if not counts:
        with _drawing():
            figure = _figure(WIDTH, 1.2)
            _nothing(figure.add_subplot())
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
        return buffer.getvalue()
    from wordcloud import WordCloud

    def colour(word: str, **_: object) -> str:
        return CLOUD_COLOURS[sum(map(ord, word)) % len(CLOUD_COLOURS)]

    # Laid out on a half-size canvas and drawn at twice its size: a quarter of the work.
    cloud = WordCloud(
        font_path=str(fonts.chart_font()),
        width=CLOUD_SIZE[0] // 2,
        height=CLOUD_SIZE[1] // 2,
        scale=2,
        background_color="white",
        max_words=CLOUD_WORDS,
        prefer_horizontal=0.9,
        relative_scaling=0.5,
        min_font_size=6,
        # A few phrases would each fill the canvas's height: no bigger than a quarter of it.
        max_font_size=CLOUD_SIZE[1] // 8,
        color_func=colour,
        random_state=7,
    ).generate_from_frequencies(counts)
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return buffer.getvalue()


def charts_in(elements: Sequence[object]) -> Iterator[Chart]:
    """Every chart among ``elements``, those in parts too, in document order."""
    from workshop.summary import CHARTS, Part

    for element in elements:
        if isinstance(element, CHARTS):
            yield element
        elif isinstance(element, Part):
            yield from charts_in(element.elements)
