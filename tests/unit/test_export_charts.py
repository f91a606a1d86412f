"""The summary's charts as PNG: drawn without a browser, participant text never run as math."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from workshop import summary_charts as charts
from workshop.summary import BarChart, CloudChart, Paragraph, Part, RadarChart

HOSTILE = (
    "Blåbærsyltetøy på Ålesund",
    "Glede 😀🎉",
    "\u202eevil override",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "$x^2$ costs $5 and $6 \\frac{1}{2}",
)


def _image(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _inked(image: Image.Image) -> int:
    """How many pixels are not white: something was drawn."""
    return sum(image.convert("L").histogram()[:200])


@pytest.mark.parametrize("language", ["nb", "en"])
def test_bars_draw_every_label_without_a_warning(language: str) -> None:
    chart = BarChart(HOSTILE, (3, 2.5, 1, 0, 4, 7), "Votes per option")
    image = _image(charts.png(chart, language))
    assert image.width >= 1000  # sharp on an A4 page
    assert _inked(image) > 1000


def test_a_dollar_sign_is_text_not_math() -> None:
    """Mathtext would parse "$\\nosuchcommand$" and fail with a ValueError (and draw
    $x^2$ as a superscript); with it off, every label is drawn as written."""
    import matplotlib

    assert matplotlib.rcParams["text.parse_math"] is True  # the default, left alone
    odd = BarChart(("$\\nosuchcommand$", "$x^2$", "Price $5", "$$"), (1, 2, 3, 4), "alt")
    radar = RadarChart(("$\\nosuchcommand$", "$x$", "$y$"), (1, 2, 3), 1, 5, "alt")
    _image(charts.png(odd, "en"))  # no ValueError from the math parser
    _image(charts.png(radar, "en"))
    assert matplotlib.rcParams["text.parse_math"] is True


def test_labels_drop_invisible_format_characters() -> None:
    assert charts.label("\u202eevil\u200d override\n  line") == "evil override line"
    assert charts.label("Blåbær 😀") == "Blåbær 😀"


def test_radar_draws_a_wheel_and_falls_back_to_bars_for_two_spokes() -> None:
    wheel = RadarChart(HOSTILE[:5], (3.2, 4.1, 2.5, 5, 1.4), 1, 5, "Means per statement")
    image = _image(charts.png(wheel, "nb"))
    assert _inked(image) > 1000
    two = RadarChart(("Én", "To"), (2, 9), 1, 5, "alt")  # a value off the scale is clamped
    assert _inked(_image(charts.png(two, "nb"))) > 100


def test_cloud_is_the_wordcloud_image_with_every_kind_of_text() -> None:
    cloud = CloudChart(tuple((text, n + 1) for n, text in enumerate(HOSTILE)), "Word cloud")
    image = _image(charts.png(cloud, "nb"))
    assert (image.width, image.height) == (1600, 900)
    assert _inked(image) > 1000


@pytest.mark.parametrize(
    "chart",
    [CloudChart((), "a"), CloudChart((("\u202e", 3), ("x", 0)), "a"), BarChart((), (), "a")],
)
def test_an_empty_chart_says_there_is_nothing_to_show(chart: CloudChart | BarChart) -> None:
    assert _inked(_image(charts.png(chart, "nb"))) > 50


def test_charts_in_finds_charts_inside_parts_in_order() -> None:
    bar = BarChart(("a",), (1,), "a")
    cloud = CloudChart((("a", 1),), "a")
    radar = RadarChart(("a", "b", "c"), (1, 2, 3), 1, 5, "a")
    elements = (bar, Paragraph("x"), Part("Group", (cloud, Part("Inner", (radar,)))))
    assert list(charts.charts_in(elements)) == [bar, cloud, radar]
