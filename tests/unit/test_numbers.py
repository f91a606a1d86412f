"""Numbers as people write and round them: Babel's format for the language, halves up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from exercises.choice import percent
from exercises.scale import Scale
from workshop import i18n
from workshop.app import kind_registry, templates_for
from workshop.i18n import format_number, format_percent, half_up, language
from workshop.kinds import ResponseRecord
from workshop.settings import Settings
from workshop.summary import BarChart, Table
from workshop.templating import render_block

NBSP = "\xa0"


def test_halves_round_up_on_the_decimal_value_not_the_binary_one() -> None:
    assert round(2.65, 1) == 2.6  # the float below 2.65 that Python rounds
    assert half_up(2.65, 1) == Decimal("2.7")
    assert half_up(2.25, 1) == Decimal("2.3")  # not to the even 2.2
    assert half_up(0.05, 1) == Decimal("0.1")
    assert half_up(12.5) == Decimal("13") and half_up(13.5) == Decimal("14")
    assert half_up(2.64999, 1) == Decimal("2.6")
    assert half_up(-2.65, 1) == Decimal("-2.7")  # away from zero, as by hand
    assert half_up(Decimal("1") / 3, 2) == Decimal("0.33")
    assert half_up(4, 1) == Decimal("4.0")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nb", ["4,0", "2,7", "3,7", f"1{NBSP}234,3", "0,1", "12", f"1{NBSP}000"]),
        ("en", ["4.0", "2.7", "3.7", "1,234.3", "0.1", "12", "1,000"]),
    ],
)
def test_numbers_are_written_as_the_language_writes_them(lang: str, expected: list[str]) -> None:
    with language(lang):
        assert [
            format_number(4, 1),
            format_number(2.65, 1),
            format_number(11 / 3, 1),
            format_number(1234.25, 1),
            format_number(0.05, 1),
            format_number(12),
            format_number(1000),
        ] == expected


def test_shares_in_per_cent_for_the_language() -> None:
    with language("nb"):
        assert format_percent(67) == f"67{NBSP}%"
        assert format_percent(12.5) == f"13{NBSP}%"
        assert format_percent(12.25, 1) == f"12,3{NBSP}%"
        assert format_percent(0) == f"0{NBSP}%"
    with language("en"):
        assert format_percent(67) == "67%"
        assert format_percent(100) == "100%"
    # The kinds' own shares round halves up too: 1 of 8 is 12.5 %, shown as 13 %.
    assert percent(1, 8) == 13 and percent(2, 3) == 67 and percent(0, 0) == 0


def test_templates_have_the_number_and_percent_filters() -> None:
    env = templates_for(kind_registry(Settings().plugins)).env
    template = env.from_string("{{ mean|number(1) }} · {{ share|percent }}")
    with language("nb"):
        assert template.render(mean=2.65, share=12.5) == f"2,7 · 13{NBSP}%"
    with language("en"):
        assert template.render(mean=2.65, share=12.5) == "2.7 · 13%"
    assert i18n.current_language() == i18n.DEFAULT_LANGUAGE


def test_a_mean_of_2_65_shows_as_2_7_on_the_screens_and_in_the_summary() -> None:
    scale = Scale()
    settings = scale.validate_settings({"statements": ["Tillit", "Tid"]})
    # 13 phones give 3 and 7 give 2: a mean of 53 / 20 = 2.65.
    ratings = [[3, 4]] * 13 + [[2, 4]] * 7
    responses = [
        ResponseRecord(id=n, participant_id=n, value={"ratings": r})
        for n, r in enumerate(ratings, start=1)
    ]
    result = scale.summarise(settings, responses)
    assert result.rows[0].mean == pytest.approx(2.65)
    env = templates_for(kind_registry(Settings().plugins)).env
    context = {"settings": settings, "item": type("I", (), {"id": 1})(), "result": result}
    with language("nb"):
        html = render_block(env, scale.template, "results", context)
        assert 'id="mean-1-0">2,7<' in html and 'id="mean-1-1">4,0<' in html
        # The summary's table keeps the mean as a number; its chart's text writes it so.
        chart, table = scale.summary(settings, responses)[0:2]
        assert isinstance(chart, BarChart) and "Tillit 2,7" in chart.alt
        assert isinstance(table, Table) and table.rows[0][1] == pytest.approx(2.65)
    with language("en"):
        html = render_block(env, scale.template, "results", context)
        assert 'id="mean-1-0">2.7<' in html
