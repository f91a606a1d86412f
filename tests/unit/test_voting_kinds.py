"""choice, scale and points: settings, responses and results, tested without the app."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from xml.etree import ElementTree

import pytest

from exercises.choice import Choice
from exercises.points import Points
from exercises.scale import Scale
from exercises.scale_radar import CENTRE, LABEL_SIZE, LINE_HEIGHT, LINE_WIDTH, RADIUS, Radar
from workshop import fonts, forms
from workshop.i18n import language
from workshop.kinds import ResponseRecord, Settings

CHOICE, SCALE, POINTS = Choice(), Scale(), Points()


def refused(call: Callable[..., Any], *args: object) -> dict[str, str]:
    with pytest.raises(forms.Invalid) as caught:
        call(*args)
    with language("en"):
        return {key: str(message) for key, message in caught.value.errors.items()}


def votes(*values: Mapping[str, Any], hidden: tuple[int, ...] = ()) -> list[ResponseRecord]:
    return [
        ResponseRecord(id=n, participant_id=n, value=dict(v), hidden=n in hidden)
        for n, v in enumerate(values, start=1)
    ]


# --- choice -------------------------------------------------------------------------------

SINGLE: Settings = CHOICE.validate_settings(
    {"question": "Hvor står vi?", "options": "Godt i gang\nMidtveis\n\nHar ikke begynt\n"}
)


def test_choice_options_come_one_per_line_from_a_form_and_as_a_list_from_toml() -> None:
    assert SINGLE == {
        "question": "Hvor står vi?",
        "options": ["Godt i gang", "Midtveis", "Har ikke begynt"],
        "multiple": False,
        "max_picks": 1,
    }
    from_toml = CHOICE.validate_settings(
        {"question": "Q", "options": ["A", "B", "C"], "multiple": True, "max_picks": 2}
    )
    assert from_toml["options"] == ["A", "B", "C"] and from_toml["max_picks"] == 2
    # Multiple choice without a limit: every option may be picked.
    assert (
        CHOICE.validate_settings({"question": "Q", "options": "A\nB", "multiple": "yes"})[
            "max_picks"
        ]
        == 2
    )


def test_choice_settings_are_refused_with_the_field_named() -> None:
    assert refused(CHOICE.validate_settings, {"question": "", "options": "Only one"}) == {
        "question": "Required.",
        "options": "Give between 2 and 20, one per line.",
    }
    assert refused(CHOICE.validate_settings, {"question": "Q", "options": ["Ja", "ja"]}) == {
        "options": "ja is there twice."
    }
    assert refused(
        CHOICE.validate_settings,
        {"question": "Q", "options": "A\nB", "multiple": True, "max_picks": 3},
    ) == {"max_picks": "Must be between 1 and 2."}
    assert refused(
        CHOICE.validate_settings, {"question": "Q", "options": "A\nB", "colour": "red"}
    ) == {"colour": "Unknown setting."}
    assert "options" in refused(CHOICE.validate_settings, {"question": "Q", "options": "A\nB\x00"})


def test_a_vote_is_one_of_the_options() -> None:
    assert CHOICE.validate_response(SINGLE, {"choice": "2"}) == {"choices": [2]}
    for bad in ({"choice": "3"}, {"choice": "-1"}, {"choice": "x"}, {"choice": ["0", 1]}):
        assert refused(CHOICE.validate_response, SINGLE, bad) == {
            "choice": "Choose one of the options."
        }
    assert refused(CHOICE.validate_response, SINGLE, {}) == {"choice": "Choose an option."}
    assert refused(CHOICE.validate_response, SINGLE, {"choice": ["0", "1"]}) == {
        "choice": "Choose at most 1 options."
    }


def test_multiple_choice_takes_several_picks_up_to_the_limit() -> None:
    settings = CHOICE.validate_settings(
        {"question": "Q", "options": "A\nB\nC\nD", "multiple": "yes", "max_picks": "2"}
    )
    assert CHOICE.validate_response(settings, {"choice": ["3", "0", "3"]}) == {"choices": [0, 3]}
    assert "choice" in refused(CHOICE.validate_response, settings, {"choice": ["0", "1", "2"]})


def test_choice_counts_votes_and_shares_of_voters() -> None:
    settings = CHOICE.validate_settings({"question": "Q", "options": "A\nB\nC", "multiple": True})
    tally = CHOICE.summarise(
        settings,
        votes(
            {"choices": [0]}, {"choices": [0, 1]}, {"choices": [1]}, {"choices": [2]}, hidden=(4,)
        ),
    )
    assert tally.voters == 3
    assert [(b.label, b.count, b.percent, b.width) for b in tally.bars] == [
        ("A", 2, 67, 100.0),
        ("B", 2, 67, 100.0),
        ("C", 0, 0, 0.0),
    ]
    assert CHOICE.summarise(settings, []).voters == 0


def test_choice_bars_share_one_scale_and_shares_round_half_up() -> None:
    settings = CHOICE.validate_settings({"question": "Q", "options": "A\nB\nC"})
    # 8 voters: 5, 2 and 1 of them, so 62.5 %, 25 % and 12.5 %.
    picks = [0] * 5 + [1] * 2 + [2]
    tally = CHOICE.summarise(settings, votes(*({"choices": [p]} for p in picks)))
    assert [b.percent for b in tally.bars] == [63, 25, 13]
    # Bar lengths: count over the largest count, the same ratio for every bar.
    assert [b.width for b in tally.bars] == [100.0, 40.0, 20.0]
    assert {b.width / b.count for b in tally.bars} == {20.0}


# --- scale --------------------------------------------------------------------------------

WHEEL: Settings = SCALE.validate_settings(
    {
        "statements": "Strategisk ledelse\nRelasjonsledelse\nEndringsledelse\nSelvledelse",
        "low_label": "Lite",
        "high_label": "Mye",
    }
)


def test_scale_defaults_and_settings() -> None:
    assert WHEEL["steps"] == 5 and WHEEL["chart"] == "radar" and WHEEL["question"] == ""
    assert refused(SCALE.validate_settings, {"statements": "", "steps": "11", "chart": "pie"}) == {
        "statements": "Give between 1 and 12, one per line.",
        "steps": "Must be between 2 and 10.",
        "chart": "Choose one of the options.",
    }


def test_every_statement_needs_a_rating_within_the_scale() -> None:
    raw = {"rating-0": "1", "rating-1": "5", "rating-2": "3", "rating-3": "4"}
    assert SCALE.validate_response(WHEEL, raw) == {"ratings": [1, 5, 3, 4]}
    assert refused(SCALE.validate_response, WHEEL, {**raw, "rating-1": "6", "rating-3": ""}) == {
        "rating-1": "Must be between 1 and 5.",
        "rating-3": "Rate this statement.",
    }


def test_scale_means_distributions_and_the_radar() -> None:
    result = SCALE.summarise(
        WHEEL,
        votes(
            {"ratings": [1, 5, 3, 4]},
            {"ratings": [2, 5, 3, 4]},
            {"ratings": [5, 5, 5, 5]},
            hidden=(3,),
        ),
    )
    assert result.phones == 2
    assert [r.mean for r in result.rows] == [1.5, 5.0, 3.0, 4.0]
    assert result.rows[0].counts == [1, 1, 0, 0, 0]
    assert result.radar is not None
    assert len(result.radar.spokes) == 4 and len(result.radar.rings) == 5
    # The first spoke points straight up from the centre (200, 200), radius 120.
    top = result.radar.spokes[0]
    assert (top.x, top.y, top.anchor) == (200.0, 80.0, "middle")
    # The means' shape: statement 2 (mean 5) reaches the outer ring on the right.
    assert result.radar.shape.split()[1] == "320.0,200.0"


def _results(settings: Settings, result: object) -> str:
    from workshop.app import kind_registry, templates_for
    from workshop.settings import Settings as AppSettings
    from workshop.templating import render_block

    env = templates_for(kind_registry(AppSettings().plugins)).env
    context = {"settings": settings, "item": type("I", (), {"id": 1})(), "result": result}
    with language("en"):
        return render_block(env, SCALE.template, "results", context)


def _view_box(radar: Radar) -> tuple[float, float, float, float]:
    left, top, width, height = map(float, radar.view_box.split())
    return left, top, left + width, top + height


def test_radar_labels_are_the_statements_wrapped_in_the_room_kept_for_them() -> None:
    radar = SCALE.summarise(WHEEL, []).radar
    assert radar is not None and not radar.numbered
    left, top, right, bottom = _view_box(radar)
    assert (left, top) < (CENTRE - RADIUS, CENTRE - RADIUS)
    for spoke in radar.spokes:
        assert " ".join(line.text for line in spoke.lines) == spoke.statement
        for line in spoke.lines:
            width = fonts.text_width(line.text, LABEL_SIZE)
            start = {"start": line.x, "middle": line.x - width / 2, "end": line.x - width}
            assert left <= start[spoke.anchor] and start[spoke.anchor] + width <= right
            assert top <= line.y - LINE_HEIGHT / 2 and line.y + LINE_HEIGHT / 2 <= bottom
    # A statement too long for one line goes on two, both inside the box.
    two_lines = SCALE.validate_settings(
        {"statements": ["Strategisk ledelse og styring", "Relasjoner", "Endring", "Meg selv"]}
    )
    first = SCALE.summarise(two_lines, []).radar
    assert first is not None and not first.numbered
    lines = [line.text for line in first.spokes[0].lines]
    assert len(lines) >= 2 and " ".join(lines) == "Strategisk ledelse og styring"
    assert all(fonts.text_width(line, LABEL_SIZE) <= LINE_WIDTH for line in lines)


def test_long_statements_number_the_spokes_and_stay_whole_in_the_legend() -> None:
    twelve = [
        f"Utsagn {i}: å lede på tvers av sektorene med tillit, tydelige prioriteringer og "
        f"et blikk for det innbyggerne faktisk trenger, også når det er krevende ({i})"
        for i in range(1, 13)
    ]
    settings = SCALE.validate_settings({"statements": twelve})
    result = SCALE.summarise(settings, votes({"ratings": [3] * 12}))
    radar = result.radar
    assert radar is not None and radar.numbered
    assert [[line.text for line in s.lines] for s in radar.spokes] == [
        [str(n)] for n in range(1, 13)
    ]
    left, top, right, bottom = _view_box(radar)
    for spoke in radar.spokes:
        (line,) = spoke.lines
        assert left < line.x < right and top < line.y < bottom
    html = _results(settings, result)
    assert "…" not in html and "..." not in html
    for n, statement in enumerate(twelve, start=1):
        assert f'<span class="spoke-number">{n}</span> {statement}</th>' in html
        assert f"<title>{n}. {statement}</title>" in html


def test_statements_are_text_in_the_radar_and_the_table() -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    settings = SCALE.validate_settings({"statements": [hostile, "B", "C"]})
    html = _results(settings, SCALE.summarise(settings, votes({"ratings": [1, 2, 3]})))
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    tree = ElementTree.fromstring(svg)
    assert {el.tag.split("}")[-1] for el in tree.iter()} <= {
        "svg",
        "title",
        "g",
        "polygon",
        "line",
        "text",
        "tspan",
    }
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_the_bars_chart_draws_the_means_on_one_scale() -> None:
    settings = SCALE.validate_settings({"statements": ["A", "B", "C"], "chart": "bars"})
    result = SCALE.summarise(settings, votes({"ratings": [1, 4, 5]}, {"ratings": [2, 5, 5]}))
    assert [(r.mean, r.width) for r in result.rows] == [(1.5, 30.0), (4.5, 90.0), (5.0, 100.0)]
    html = _results(settings, result)
    assert html.count('class="scale-bar"') == 3 and 'width="90.0"' in html


def test_no_radar_with_fewer_than_three_statements_or_when_bars_are_chosen() -> None:
    two = SCALE.validate_settings({"statements": ["A", "B"]})
    assert SCALE.summarise(two, []).radar is None
    bars = SCALE.validate_settings({"statements": ["A", "B", "C"], "chart": "bars"})
    assert SCALE.summarise(bars, []).radar is None
    empty = SCALE.summarise(WHEEL, [])
    assert empty.phones == 0 and all(r.mean is None for r in empty.rows)


# --- points -------------------------------------------------------------------------------

PRIORITIES: Settings = POINTS.validate_settings(
    {"question": "Hva er viktigst?", "options": "Tillit\nTid\nKompetanse"}
)


def test_points_default_to_a_budget_of_100() -> None:
    assert PRIORITIES["budget"] == 100
    dots = POINTS.validate_settings({"question": "Q", "options": ["A", "B"], "budget": 5})
    assert dots["budget"] == 5
    assert refused(
        POINTS.validate_settings, {"question": "Q", "options": "A\nB", "budget": "0"}
    ) == {"budget": "Must be between 1 and 1000."}


def test_a_phone_cannot_overspend_or_give_nothing() -> None:
    assert POINTS.validate_response(PRIORITIES, {"points-0": "60", "points-2": "40"}) == {
        "points": [60, 0, 40]
    }
    assert refused(POINTS.validate_response, PRIORITIES, {"points-0": "60", "points-1": "41"}) == {
        "points": "You have spent 101 of 100 points: take some back."
    }
    assert refused(POINTS.validate_response, PRIORITIES, {}) == {
        "points": "Give points to at least one option."
    }
    assert refused(POINTS.validate_response, PRIORITIES, {"points-1": "-5"}) == {
        "points-1": "Must be between 0 and 100."
    }


def test_points_rank_the_options_by_points() -> None:
    ranking = POINTS.summarise(
        PRIORITIES,
        votes(
            {"points": [10, 50, 40]}, {"points": [30, 50, 20]}, {"points": [0, 0, 100]}, hidden=(3,)
        ),
    )
    assert ranking.phones == 2 and ranking.spent == 200
    assert [(o.label, o.points, o.percent, o.width) for o in ranking.options] == [
        ("Tid", 100, 50, 100),
        ("Kompetanse", 60, 30, 60),
        ("Tillit", 40, 20, 40),
    ]


def test_points_ties_keep_the_options_order() -> None:
    ranking = POINTS.summarise(PRIORITIES, votes({"points": [50, 0, 50]}))
    assert [o.label for o in ranking.options] == ["Tillit", "Kompetanse", "Tid"]
