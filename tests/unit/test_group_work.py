"""group_work: settings from a form and from TOML, the groups' lists, and its blocks, without
the app."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from exercises.group_work import GroupWork
from workshop import forms
from workshop.effects import Delete, Insert, Refused, Reorder, SetNote, Update
from workshop.i18n import language
from workshop.kinds import InGroups, Phase, Phased, ResponseRecord, Role
from workshop.summary import Entries, Entry, Part, Prompt, SummaryContext

KIND = GroupWork()
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def refused(call: Callable[..., Any], *args: object) -> dict[str, str]:
    with pytest.raises(forms.Invalid) as caught:
        call(*args)
    with language("en"):
        return {key: str(message) for key, message in caught.value.errors.items()}


def form(**extra: str) -> dict[str, str]:
    """A settings form as the browser posts it: numbered rows, with spare blank ones."""
    raw = {
        "task": "Hva betyr samskaping for oss?",
        "questions": "Hva legger dere i begrepet?\r\nHvem gjør hva?",
        "phase_name_1": "Alene",
        "phase_minutes_1": "3",
        "phase_mode_1": "individual",
        "phase_instructions_1": "Tenk selv.",
        "phase_name_2": "Gruppe",
        "phase_minutes_2": "15",
        "phase_mode_2": "group",
        "phase_instructions_2": "",
        # A spare row: blank, its mode select still posted.
        "phase_name_3": "",
        "phase_minutes_3": "",
        "phase_mode_3": "group",
        "phase_instructions_3": "",
        "phase_name_4": "Plenum",
        "phase_minutes_4": "10",
        "phase_mode_4": "plenary",
        "phase_instructions_4": "",
        "role_name_1": "Leder",
        "role_rule_1": "den laveste",
        "role_name_2": "",
        "role_rule_2": "",
        "role_name_3": "Sekretær",
        "role_rule_3": "den med nyest bukse",
        "role_keeper_3": "yes",
    }
    raw.update(extra)
    return raw


def toml(**extra: object) -> dict[str, object]:
    """Settings as the TOML import gives them: typed values, lists of tables."""
    raw: dict[str, object] = {
        "task": "Hva betyr samskaping for oss?",
        "questions": ["Hva legger dere i begrepet?"],
        "phases": [
            {"name": "Alene", "minutes": 3, "mode": "individual", "instructions": "Tenk selv."},
            {"name": "Gruppe", "minutes": 15, "mode": "group"},
            {"name": "Plenum", "minutes": 10, "mode": "plenary", "instructions": ""},
        ],
        "roles": [
            {"name": "Leder", "rule": "den laveste", "keeps_list": False},
            {"name": "Sekretær", "rule": "den med nyest bukse", "keeps_list": True},
        ],
    }
    raw.update(extra)
    return raw


SETTINGS = KIND.validate_settings(toml())


def test_it_is_a_kind_in_groups_and_its_defaults_are_valid() -> None:
    assert isinstance(KIND, InGroups) and isinstance(KIND, Phased)
    assert KIND.phones_see == "group"
    defaults = KIND.default_settings()
    assert [p["mode"] for p in defaults["phases"]] == ["individual", "group", "plenary"]
    assert KIND.validate_settings({**defaults, "task": "Noe"})["phases"] == defaults["phases"]


def test_settings_from_a_form_skip_blank_rows() -> None:
    clean = KIND.validate_settings(form())
    assert clean == {
        "task": "Hva betyr samskaping for oss?",
        "questions": ["Hva legger dere i begrepet?", "Hvem gjør hva?"],
        "phases": [
            {"name": "Alene", "minutes": 3, "mode": "individual", "instructions": "Tenk selv."},
            {"name": "Gruppe", "minutes": 15, "mode": "group", "instructions": ""},
            {"name": "Plenum", "minutes": 10, "mode": "plenary", "instructions": ""},
        ],
        "roles": [
            {"name": "Leder", "rule": "den laveste", "keeps_list": False},
            {"name": "Sekretær", "rule": "den med nyest bukse", "keeps_list": True},
        ],
    }


def test_form_rows_come_in_number_order_not_key_order() -> None:
    raw = form(phase_name_10="Tiende", phase_minutes_10="1", phase_mode_10="group")
    clean = KIND.validate_settings(raw)
    assert [p["name"] for p in clean["phases"]] == ["Alene", "Gruppe", "Plenum", "Tiende"]


def test_settings_from_toml_are_typed() -> None:
    assert SETTINGS["phases"][1] == {
        "name": "Gruppe",
        "minutes": 15,
        "mode": "group",
        "instructions": "",
    }
    assert SETTINGS["roles"][1]["keeps_list"] is True
    assert SETTINGS["questions"] == ["Hva legger dere i begrepet?"]
    # Roles are optional; a phase's mode defaults to a group round.
    bare = KIND.validate_settings({"task": "Oppgave", "phases": [{"name": "Runde", "minutes": 5}]})
    assert bare["roles"] == []
    assert bare["phases"][0]["mode"] == "group"
    assert KIND.phases(SETTINGS) == [
        Phase("Alene", 3, "individual", "Tenk selv."),
        Phase("Gruppe", 15, "group", ""),
        Phase("Plenum", 10, "plenary", ""),
    ]
    assert KIND.roles(SETTINGS) == [
        Role("Leder", "den laveste", False),
        Role("Sekretær", "den med nyest bukse", True),
    ]


def nine_phases() -> list[dict[str, object]]:
    return [{"name": f"P{n}", "minutes": 1, "mode": "group"} for n in range(1, 10)]


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        (
            toml(phases=[{"name": "Alene", "mode": "individual"}]),
            "phases",
            "Phase 1: Required.",
        ),
        (
            toml(phases=[{"name": "A", "minutes": 3}, {"name": "B", "minutes": 2, "mode": "x"}]),
            "phases",
            "Phase 2: Choose one of the options.",
        ),
        (
            toml(phases=[{"name": "A", "minutes": 241}]),
            "phases",
            "Phase 1: Must be between 1 and 240.",
        ),
        (
            toml(phases=[{"name": "", "minutes": 3}]),
            "phases",
            "Phase 1: Required.",
        ),
        (
            toml(phases=[{"name": "A", "minutes": 3, "length": 4}]),
            "phases",
            "Phase 1: Unknown field length.",
        ),
        (toml(phases=nine_phases()), "phases", "At most 8 phases."),
        (toml(phases=[]), "phases", "Give at least one phase."),
        (toml(phases="Alene 3 min"), "phases", "Write each as a table with its fields."),
        (
            toml(roles=[{"name": "Leder"}, {"name": "Sekretær", "keeper": True}]),
            "roles",
            "Role 2: Unknown field keeper.",
        ),
        (
            toml(roles=[{"name": "Leder", "keeps_list": "kanskje"}]),
            "roles",
            "Role 1: Must be yes or no.",
        ),
        (
            toml(roles=[{"rule": "den høyeste"}]),
            "roles",
            "Role 1: Required.",
        ),
        (
            toml(roles=[{"name": f"R{n}"} for n in range(9)]),
            "roles",
            "At most 8 roles.",
        ),
        (toml(roles=["Leder"]), "roles", "Write each as a table with its fields."),
        (toml(timer=5), "timer", "Unknown setting."),
        (toml(task=""), "task", "Required."),
    ],
)
def test_bad_toml_settings_are_refused_naming_the_row(
    raw: dict[str, object], field: str, message: str
) -> None:
    assert refused(KIND.validate_settings, raw) == {field: message}


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"phase_minutes_2": ""}, "phases", "Phase 2: Required."),
        ({"phase_minutes_2": "mange"}, "phases", "Phase 2: Must be a whole number."),
        ({"phase_mode_4": "everyone"}, "phases", "Phase 3: Choose one of the options."),
        # A row with minutes but no name is not blank: it is refused.
        ({"phase_minutes_3": "5"}, "phases", "Phase 3: Required."),
        ({"role_rule_2": "den eldste"}, "roles", "Role 2: Required."),
        ({"role_keeper_1": "maybe"}, "roles", "Role 1: Must be yes or no."),
        ({"colour": "red"}, "colour", "Unknown setting."),
    ],
)
def test_bad_form_settings_are_refused_naming_the_row(
    extra: dict[str, str], field: str, message: str
) -> None:
    assert refused(KIND.validate_settings, form(**extra)) == {field: message}


def test_a_form_with_only_blank_phase_rows_asks_for_a_phase() -> None:
    raw = {
        "task": "Oppgave",
        "phase_name_1": "",
        "phase_minutes_1": "",
        "phase_mode_1": "group",
        "phase_instructions_1": "",
        "role_name_1": "",
        "role_rule_1": "",
    }
    assert refused(KIND.validate_settings, raw) == {"phases": "Give at least one phase."}


def test_nine_phases_from_a_form_are_too_many() -> None:
    raw: dict[str, str] = {"task": "Oppgave"}
    for n in range(1, 10):
        raw |= {f"phase_name_{n}": f"P{n}", f"phase_minutes_{n}": "1", f"phase_mode_{n}": "group"}
    assert refused(KIND.validate_settings, raw) == {"phases": "At most 8 phases."}


def test_every_bad_field_is_named_at_once() -> None:
    errors = refused(
        KIND.validate_settings,
        toml(task="", phases=[{"name": "A"}], roles=[{"name": ""}], extra=1),
    )
    assert set(errors) == {"task", "phases", "roles", "extra"}


def test_a_point_is_trimmed_text_of_at_most_300_characters() -> None:
    assert KIND.validate_point(SETTINGS, {"text": "  Ekte medvirkning  "}) == {
        "text": "Ekte medvirkning"
    }
    assert KIND.validate_point(SETTINGS, {"text": "x" * 300}) == {"text": "x" * 300}
    assert refused(KIND.validate_point, SETTINGS, {"text": "   "}) == {"text": "Required."}
    assert set(refused(KIND.validate_point, SETTINGS, {"text": "x" * 301})) == {"text"}
    assert KIND.responses_allowed(SETTINGS) == 50


def point(
    n: int, group_id: int | None, position: int | None, text: str = "", **marks: Any
) -> ResponseRecord:
    return ResponseRecord(
        id=n,
        participant_id=100 + n,
        value={"text": text or f"Point {n}"},
        group_id=group_id,
        position=position,
        **marks,
    )


def test_summarise_groups_points_by_group_in_position_order_without_hidden_ones() -> None:
    points = [
        point(1, 10, 2),
        point(2, 20, 1),
        point(3, 10, 1),
        point(4, 10, 3, hidden=True),
        point(5, 20, 0),
        point(6, 10, 4),
        point(7, None, 1),  # on no group's list: not shown
    ]
    lists = KIND.summarise(SETTINGS, points)
    assert set(lists) == {10, 20}
    assert [p.id for p in lists[10]] == [3, 1, 6]
    assert [p.id for p in lists[20]] == [5, 2]
    summary = KIND.summary(SETTINGS, points, context=SummaryContext(groups={10: "Birch"}))
    assert summary[0] == Prompt(SETTINGS["task"])
    assert summary[1] == Entries(tuple(Entry(q) for q in SETTINGS["questions"]), ordered=True)
    birch = summary[2]
    assert isinstance(birch, Part) and birch.title == "Birch"
    assert birch.elements == (
        Entries((Entry("Point 3"), Entry("Point 1"), Entry("Point 6")), ordered=True),
    )
    # Only hidden points: the group has no list at all.
    assert KIND.summarise(SETTINGS, [point(1, 10, 1, hidden=True)]) == {}


# -- the kind's blocks, rendered -------------------------------------------------------


def render(block: str, **context: Any) -> str:
    from workshop.app import kind_registry, templates_for
    from workshop.settings import Settings
    from workshop.templating import render_block

    env = templates_for(kind_registry(Settings().plugins)).env
    with language("en"):
        return render_block(env, KIND.template, block, context)


ITEM = SimpleNamespace(id=7)
GROUP = SimpleNamespace(id=10, name="Birch")
HOSTILE_SETTINGS = {**SETTINGS, "task": HOSTILE, "questions": [HOSTILE]}


def phase(mode: str) -> SimpleNamespace:
    return SimpleNamespace(mode=mode)


def assert_text_only(html: str) -> None:
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_hostile_points_are_text_in_the_group_block() -> None:
    html = render(
        "phone_shared",
        settings=SETTINGS,
        item=ITEM,
        group=GROUP,
        responses=[point(1, 10, 1, HOSTILE)],
        phase=phase("group"),
        code="12345678",
        locked=False,
        open=False,
    )
    assert_text_only(html)
    assert "Your group: Birch" in html
    assert 'id="point-form"' in html
    assert 'class="keeper-only"' in html
    # A hostile group name is text too.
    named = render(
        "phone_shared",
        settings=SETTINGS,
        item=ITEM,
        group=SimpleNamespace(id=10, name=HOSTILE),
        responses=[],
        phase=phase("plenary"),
        code="12345678",
        locked=False,
        open=False,
    )
    assert_text_only(named)
    assert 'id="point-form"' not in named


def test_a_locked_list_has_no_edit_controls() -> None:
    html = render(
        "phone_shared",
        settings=SETTINGS,
        item=ITEM,
        group=GROUP,
        responses=[point(1, 10, 1, HOSTILE)],
        phase=phase("group"),
        code="12345678",
        locked=True,
        open=False,
    )
    assert_text_only(html)
    assert "keeper-only" not in html
    assert 'id="point-form"' not in html


def test_hostile_task_and_points_are_text_on_the_presenter_and_in_the_summary() -> None:
    points = [point(1, 10, 1, HOSTILE), point(2, 20, 1, "Trygt punkt")]
    groups = [GROUP, SimpleNamespace(id=20, name="Rowan")]
    result = KIND.summarise(HOSTILE_SETTINGS, points)
    plenary = render(
        "results",
        settings=HOSTILE_SETTINGS,
        item=ITEM,
        result=result,
        phase=phase("plenary"),
        groups=groups,
    )
    assert_text_only(plenary)
    assert 'id="present-group-10"' in plenary and 'id="present-group-20"' in plenary
    assert "Trygt punkt" in plenary
    working = render(
        "results",
        settings=HOSTILE_SETTINGS,
        item=ITEM,
        result=result,
        phase=phase("group"),
        groups=groups,
    )
    assert "<script>" not in working and "<img" not in working
    assert "1 point" in working
    prompt = render("prompt", settings=HOSTILE_SETTINGS, item=ITEM)
    assert prompt.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # the task, the question
    assert "<script>" not in prompt
    # The summary holds the plain texts, as written: each format escapes them.
    context = SummaryContext({10: "Birch", 20: "Rowan"})
    summary = KIND.summary(HOSTILE_SETTINGS, points, context=context)
    assert summary[0] == Prompt(HOSTILE)
    assert summary[1] == Entries((Entry(HOSTILE),), ordered=True)
    assert [p.title for p in summary if isinstance(p, Part)] == ["Birch", "Rowan"]


# -- the phones' actions: pure, given the phone's state ---------------------------------


def phone(mode: str = "group", keeps_list: bool = True, listed: tuple[int, ...] = (1,)) -> Any:
    return SimpleNamespace(
        phase=phase(mode),
        keeps_list=keeps_list,
        group_response=lambda rid: point(rid, 10, 1) if rid in listed else None,
    )


def act(name: str, state: Any, **fields: str) -> Any:
    return KIND.phone_actions()[name].handle(SETTINGS, state, fields)


def test_a_point_is_added_to_the_group_in_the_group_round_only() -> None:
    assert act("point.add", phone(), text=" Ekte medvirkning ") == Insert(
        {"text": "Ekte medvirkning"}, to_group=True
    )
    with pytest.raises(Refused):
        act("point.add", phone("individual"), text="Too early")
    with pytest.raises(forms.Invalid):
        act("point.add", phone(), text="  ")
    actions = KIND.phone_actions()
    assert actions["point.add"].in_group and actions["point.add"].idempotent
    assert actions["point.add"].shows == ("shared",)


def test_only_the_list_keeper_changes_the_list_and_only_its_own_groups() -> None:
    assert act("point.edit", phone(), response="1", text="Ny", version="2") == Update(
        1, {"text": "Ny"}, 2
    )
    assert act("point.move", phone(), response="1", by="-1") == Reorder(1, -1)
    assert act("point.move", phone(), response="1", by="1") == Reorder(1, 1)
    assert act("point.delete", phone(), response="1") == Delete(1)
    with pytest.raises(Refused) as not_keeper:
        act("point.delete", phone(keeps_list=False), response="1")
    assert not_keeper.value.status == 403
    with pytest.raises(Refused) as elsewhere:
        act("point.delete", phone(), response="99")
    assert elsewhere.value.status == 404
    with pytest.raises(Refused):
        act("point.delete", phone(), response="not a number")


def test_the_notepad_is_saved_as_the_phones_own_note() -> None:
    assert act("note", phone(), text="  Mine tanker\r\nher ") == SetNote("Mine tanker\nher")
    assert refused(lambda: act("note", phone(), text="x" * 5001)) == {
        "text": "At most 5000 characters."
    }
    assert not KIND.phone_actions()["note"].locked_out
