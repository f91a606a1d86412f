"""Dates, clock times, numbers, percentages and plural forms in each language Samling speaks,
as Babel and the catalogs write them."""

from __future__ import annotations

import datetime as dt

import pytest

from workshop.i18n import (
    LANGUAGES,
    format_date,
    format_day_time,
    format_number,
    format_percent,
    format_time,
    language,
    ngettext,
)
from workshop.templating import environment

NBSP = "\xa0"
DAY = dt.date(2026, 12, 1)
#: A naive moment is the venue's own time, shown as it is.
MOMENT = dt.datetime(2026, 12, 1, 14, 5)

EXPECTED = {
    "nb": {
        "long": "1. desember 2026",
        "full": "tirsdag 1. desember 2026",
        "day_time": "1. des. 14:05",
        "mean": "4,0",
        "big": f"12{NBSP}345",
        "percent": f"45{NBSP}%",
        "answers": ("1 svar", "2 svar"),
        "items": ("1 punkt", "2 punkter"),
    },
    "nn": {
        "long": "1. desember 2026",
        "full": "tysdag 1. desember 2026",
        "day_time": "1. des. 14:05",
        "mean": "4,0",
        "big": f"12{NBSP}345",
        "percent": f"45{NBSP}%",
        "answers": ("1 svar", "2 svar"),
        "items": ("1 punkt", "2 punkt"),
    },
    "da": {
        "long": "1. december 2026",
        "full": "tirsdag den 1. december 2026",
        "day_time": "1. dec. 14:05",
        "mean": "4,0",
        "big": "12.345",
        "percent": f"45{NBSP}%",
        "answers": ("1 svar", "2 svar"),
        "items": ("1 punkt", "2 punkter"),
    },
    "en": {
        "long": "December 1, 2026",
        "full": "Tuesday, December 1, 2026",
        "day_time": "Dec 1 14:05",
        "mean": "4.0",
        "big": "12,345",
        "percent": "45%",
        "answers": ("1 answer", "2 answers"),
        "items": ("1 item", "2 items"),
    },
}


def test_every_language_is_checked() -> None:
    assert set(EXPECTED) == set(LANGUAGES)


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_dates_in_each_language(lang: str) -> None:
    with language(lang):
        assert format_date(DAY) == EXPECTED[lang]["long"]
        assert format_date(DAY, "full") == EXPECTED[lang]["full"]
        assert format_day_time(MOMENT) == EXPECTED[lang]["day_time"]


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_clock_times_are_on_the_24_hour_clock_with_a_colon(lang: str) -> None:
    with language(lang):
        assert format_time(MOMENT) == "14:05"
        assert format_time(dt.time(9, 7)) == "09:07"
        aware = dt.datetime(2026, 12, 1, 13, 5, tzinfo=dt.UTC)
        # An aware moment is shown in the server's local time.
        assert format_time(aware) == aware.astimezone().strftime("%H:%M")


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_numbers_and_percentages_in_each_language(lang: str) -> None:
    with language(lang):
        assert format_number(4, 1) == EXPECTED[lang]["mean"]
        assert format_number(12345) == EXPECTED[lang]["big"]
        assert format_percent(45) == EXPECTED[lang]["percent"]


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_plural_forms_from_each_catalog(lang: str) -> None:
    with language(lang):
        one, two = EXPECTED[lang]["answers"]
        assert ngettext("%(num)d answer", "%(num)d answers", 1) == one
        assert ngettext("%(num)d answer", "%(num)d answers", 2) == two
        one, two = EXPECTED[lang]["items"]
        assert ngettext("%(num)d item", "%(num)d items", 1) == one
        assert ngettext("%(num)d item", "%(num)d items", 2) == two


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_the_templates_filters_use_the_same_helpers(lang: str) -> None:
    env = environment([])
    template = env.from_string(
        "{{ day|date }} | {{ moment|time }} | {{ moment|day_time }} | {{ mean|number(1) }}"
        " | {{ share|percent }} | {{ ngettext('%(num)d answer', '%(num)d answers', two) }}"
    )
    with language(lang):
        shown = template.render(day=DAY, moment=MOMENT, mean=4, share=45, two=2)
    wanted = EXPECTED[lang]
    assert shown == " | ".join(
        [
            wanted["long"],
            "14:05",
            wanted["day_time"],
            wanted["mean"],
            wanted["percent"],
            wanted["answers"][1],
        ]
    )
