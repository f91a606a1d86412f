"""The typeface the charts are measured and drawn with: DejaVu Sans, from matplotlib.

matplotlib comes with the word cloud's layout and ships DejaVu Sans, a
proportional face with æ, ø, å, ä, ö and ü (and a free licence). The server
measures text with that file, and the kinds that draw text in charts serve the
very same file to the browser (``static_files``) and name it in their CSS with
``@font-face``, so what the layout measured is what the screen draws.
"""

from __future__ import annotations

import importlib.util
from functools import cache
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


@cache
def _face() -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(chart_font()), _MEASURED_AT)


def text_width(text: str, size: float) -> float:
    """How wide ``text`` is in the chart font at ``size`` (in the same units)."""
    return float(_face().getlength(text)) * size / _MEASURED_AT
