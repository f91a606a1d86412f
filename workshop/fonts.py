"""The typeface the charts are measured and drawn with: DejaVu Sans, from matplotlib.

matplotlib comes with the word cloud's layout and ships DejaVu Sans, a
proportional face with æ, ø, å, ä, ö and ü (and a free licence). The server
measures text with that file, and the kinds that draw text in charts serve the
very same file to the browser (``static_files``) and name it in their CSS with
``@font-face``, so what the layout measured is what the screen draws.
"""

from __future__ import annotations

import base64
import importlib.util
import io
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

#: Text is measured at this size and scaled: glyph advances grow linearly with the size.
_MEASURED_AT = 100


@cache
def chart_font() -> Path:
    """DejaVu Sans in matplotlib's data folder (``matplotlib.get_data_path()``).

    Found from the package's location rather than by importing matplotlib,
    which would load numpy and more into the server process for one path.
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("matplotlib is missing: it comes with wordcloud (pip install -e .)")
    return Path(spec.origin).with_name("mpl-data") / "fonts" / "ttf" / "DejaVuSans.ttf"


def bold_font() -> Path:
    """DejaVu Sans Bold, beside the regular face."""
    return chart_font().with_name("DejaVuSans-Bold.ttf")


@cache
def _face(bold: bool) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(bold_font() if bold else chart_font()), _MEASURED_AT)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """How wide ``text`` is in the chart font at ``size`` (in the same units)."""
    return float(_face(bold).getlength(text)) * size / _MEASURED_AT


def font_faces(text: str, family: str) -> str:
    """CSS @font-face rules naming DejaVu Sans and DejaVu Sans Bold ``family``, each inline
    as a ``data:`` URI holding the glyphs of ``text``'s characters only (a whole face is
    some 700 kB, a page's cut some 30 kB): a document that carries its fonts."""
    used = frozenset(ord(c) for c in set(text) if c >= " ")
    rules = []
    for weight, path in ((400, chart_font()), (700, bold_font())):
        woff = base64.b64encode(_subset(path, used)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: normal; src: url("data:font/woff;base64,{woff}") format("woff"); }}'
        )
    return "\n".join(rules)


@lru_cache(maxsize=8)  # a worker exporting one day in several formats cuts it once
def _subset(path: Path, characters: frozenset[int]) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["kern", "liga", "ccmp", "locl", "mark", "mkmk"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: fontTools cannot cut them
    font = subset.load_font(io.BytesIO(path.read_bytes()), options)  # no file left open
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()
