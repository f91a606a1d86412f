"""poster without the app: settings from a form and from TOML, the phones' actions (edits on
a stale copy kept beside the point, versions, dots), the facilitator's common poster, the
word diff, the history, the summary, and its blocks with hostile text."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast

import pytest

from exercises.poster import Poster
from exercises.poster_common import common_entries, compared
from exercises.poster_diff import Words, word_diff
from exercises.poster_draft import chosen, comparison, next_name, versions_of
from workshop import forms
from workshop.app import kind_registry, templates_for
from workshop.effects import (
    Delete,
    Insert,
    Refused,
    Reorder,
    SaveDraft,
    SetCuration,
    SetNote,
    SetVote,
    Update,
)
from workshop.i18n import language
from workshop.kinds import Drafted, DraftRecord, InGroups, Phased, ResponseRecord
from workshop.summary import Entries, Part, Prompt, SummaryContext, Table

KIND = Poster()
SETTINGS = KIND.validate_settings(
    {"heading": "Formålsplakaten", "preamble": "Vi skal skape MERVERDI ved å:", "dots": 2}
)
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
WHEN = dt.datetime(2027, 3, 14, 10, 30, tzinfo=dt.UTC)


def point(
    rid: int, text: str, *, group: int = 10, version: int = 1, **value: Any
) -> ResponseRecord:
    return ResponseRecord(
        rid, 100 + rid, {"text": text, **value}, group_id=group, position=rid, version=version
    )


def draft(
    did: int, name: str, texts: list[str], group: int | None = 10, session: str = "Samling 1"
) -> DraftRecord:
    content = tuple({"text": t} for t in texts)
    return DraftRecord(did, group, name, content, 1, session, WHEN)


@dataclass
class Phone:
    """What the actions read of a phone's state."""

    group_responses: tuple[ResponseRecord, ...] = ()
    own: tuple[ResponseRecord, ...] = ()
    drafts: tuple[DraftRecord, ...] = ()
    voted: frozenset[int] = frozenset()
    mode: str = "group"
    note: str = ""
    group: Any = field(default_factory=lambda: SimpleNamespace(id=10, name="Blåveis"))

    @property
    def phase(self) -> Any:
        return SimpleNamespace(mode=self.mode)

    def group_response(self, rid: int) -> ResponseRecord | None:
        return next((r for r in self.group_responses if r.id == rid), None)

    def own_response(self, rid: int) -> ResponseRecord | None:
        return next((r for r in self.own if r.id == rid), None)


def act(action: str, phone: Phone, /, **fields: str) -> Any:
    return KIND.phone_actions()[action].handle(SETTINGS, cast(Any, phone), fields)


def refused(call: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    with pytest.raises((Refused, forms.Invalid)) as caught:
        call(*args, **kwargs)
    error = caught.value
    with language("en"):
        if isinstance(error, Refused):
            return str(error.message)
        return "; ".join(str(m) for m in cast(forms.Invalid, error).errors.values())


# -- settings -------------------------------------------------------------------------


def test_the_default_settings_are_valid_and_the_kind_is_drafted_in_groups_and_phases() -> None:
    with language("nb"):
        defaults = KIND.default_settings()
    assert defaults["preamble"].startswith("Vår ledergruppe skal skape MERVERDI")
    assert KIND.validate_settings(defaults) == defaults
    assert isinstance(KIND, Drafted) and isinstance(KIND, Phased) and isinstance(KIND, InGroups)
    assert [(p.mode, p.minutes) for p in KIND.phases(defaults)] == [("group", 30), ("plenary", 15)]
    assert KIND.roles(defaults) == ()
    assert KIND.thread({"heading": "  Formålsplakaten "}) == KIND.thread(
        {"heading": "formålsplakaten"}
    )


def test_settings_from_a_form_and_from_toml() -> None:
    posted = {
        "heading": "Formålsplakaten",
        "preamble": "Vi skal ved å:",
        "guidance": "Hvert ord skal bety noe.",
        "max_points": "5",
        "max_words": "12",
        "dots": "4",
        "drafting_name": "Første utkast",
        "drafting_minutes": "20",
        "plenary_name": "",
        "plenary_minutes": "10",
        "orientation": "landscape",
    }
    clean = KIND.validate_settings(posted)
    assert clean["max_points"] == 5 and clean["dots"] == 4 and clean["orientation"] == "landscape"
    assert clean["plenary_name"]  # a blank phase name gets the default
    typed = KIND.validate_settings({"heading": "Plakat", "preamble": "Ved å:", "max_words": 8})
    assert typed["max_words"] == 8 and typed["dots"] == 3 and typed["orientation"] == "portrait"


@pytest.mark.parametrize(
    ("raw", "bad"),
    [
        ({"preamble": "x"}, "heading"),
        ({"heading": "x"}, "preamble"),
        ({"heading": "x", "preamble": "y", "dots": 0}, "dots"),
        ({"heading": "x", "preamble": "y", "max_points": 31}, "max_points"),
        ({"heading": "x", "preamble": "y", "orientation": "sideways"}, "orientation"),
        ({"heading": "x", "preamble": "y", "colour": "red"}, "colour"),
        ({"heading": "x\ny", "preamble": "y"}, "heading"),
    ],
)
def test_bad_settings_are_refused_by_field(raw: dict[str, object], bad: str) -> None:
    with pytest.raises(forms.Invalid) as caught:
        KIND.validate_settings(raw)
    assert bad in caught.value.errors


# -- the group's draft ----------------------------------------------------------------


def test_points_are_added_within_the_limits_and_only_while_drafting() -> None:
    assert act("point.add", Phone(), text=" Gi trygghet ") == Insert(
        {"text": "Gi trygghet"}, to_group=True
    )
    limited = {**SETTINGS, "max_points": 1, "max_words": 3}
    handle = KIND.phone_actions()["point.add"].handle
    full = Phone(group_responses=(point(1, "Ett"),))
    assert "points already" in refused(handle, limited, full, {"text": "To"})
    assert "At most 3 words" in refused(handle, limited, Phone(), {"text": "en to tre fire"})
    assert "plenary" in refused(act, "point.add", Phone(mode="plenary"), text="Sent")
    assert "Required" in refused(act, "point.add", Phone(), text="  ")


def test_an_edit_on_the_current_copy_replaces_the_text() -> None:
    phone = Phone(group_responses=(point(1, "Gi trygghet", version=3),))
    assert act("point.edit", phone, response="1", version="3", text="Gi tillit") == Update(
        1, {"text": "Gi tillit"}, 3
    )


def test_an_edit_on_a_stale_copy_is_kept_beside_the_point_never_over_it() -> None:
    phone = Phone(group_responses=(point(1, "Gi tillit", version=4),))
    kept = act("point.edit", phone, response="1", version="3", text="Gi trygghet")
    assert kept == Update(1, {"text": "Gi tillit", "others": ["Gi trygghet"]}, 4)
    # The same text twice is nothing new; an edit of a point with texts beside it keeps them
    # until the group settles it.
    twice = Phone(group_responses=(point(1, "Gi tillit", version=5, others=["Gi trygghet"]),))
    assert act("point.edit", twice, response="1", version="4", text="Gi trygghet") == ()
    assert act("point.edit", twice, response="1", version="5", text="Tillit") == Update(
        1, {"text": "Tillit", "others": ["Gi trygghet"]}, 5
    )
    assert act("point.edit", twice, response="1", version="5", text="Tillit", settle="1") == Update(
        1, {"text": "Tillit"}, 5
    )
    crowded = Phone(group_responses=(point(1, "A", version=9, others=["B", "C", "D", "E", "F"]),))
    assert "Settle" in refused(act, "point.edit", crowded, response="1", version="2", text="G")


def test_a_phone_touches_only_its_own_groups_points() -> None:
    theirs = Phone(group_responses=(point(1, "Vårt"),))
    for name, extra in (
        ("point.edit", {"text": "x", "version": "1"}),
        ("point.move", {"by": "1"}),
        ("point.delete", {}),
    ):
        assert "not on your group" in refused(act, name, theirs, response="2", **extra)
    assert act("point.move", theirs, response="1", by="-1") == Reorder(1, -1)
    assert act("point.delete", theirs, response="1") == Delete(1)


# -- versions ---------------------------------------------------------------------------


def test_saving_a_version_names_it_and_keeps_the_points_in_order() -> None:
    phone = Phone(
        group_responses=(point(1, "Anerkjenne"), point(2, "Gi trygghet")),
        drafts=(draft(5, "Utkast 1", ["Anerkjenne"]), draft(6, "Felles 1", ["x"], group=None)),
    )
    with language("nb"):
        saved = act("draft.save", phone, name="")
    assert saved == SaveDraft("Utkast 2", ({"text": "Anerkjenne"}, {"text": "Gi trygghet"}))
    assert act("draft.save", phone, name="Mitt utkast").name == "Mitt utkast"
    assert "no points" in refused(act, "draft.save", Phone(), name="Tomt")


def test_going_back_to_a_version_is_a_new_version_and_only_ones_own_or_the_common() -> None:
    phone = Phone(
        group_responses=(point(1, "Nå"),),
        drafts=(draft(5, "Utkast 1", ["Før", "Og før"]), draft(7, "Felles 1", ["F"], group=None)),
    )
    with language("en"):
        effects = act("draft.restore", phone, draft="5")
    assert effects == [
        Delete(1),
        Insert({"text": "Før"}, to_group=True),
        Insert({"text": "Og før"}, to_group=True),
        SaveDraft("Back to Utkast 1", ({"text": "Før"}, {"text": "Og før"})),
    ]
    others = Phone(drafts=(draft(8, "Deres", ["x"], group=11),))
    assert "not there" in refused(act, "draft.restore", others, draft="8")
    assert "not there" in refused(act, "draft.continue", others, draft="8")
    # An empty draft starts from a version; one with points goes back to one instead.
    assert act("draft.continue", Phone(drafts=phone.drafts), draft="7") == [
        Insert({"text": "F"}, to_group=True)
    ]
    assert "points already" in refused(act, "draft.continue", phone, draft="5")


def test_a_comparison_is_the_phones_own_choice_of_two_versions_it_may_see() -> None:
    phone = Phone(drafts=(draft(5, "Utkast 1", ["a"]), draft(6, "Utkast 2", ["b"])))
    assert act("draft.compare", phone, old="5", new="0") == SetNote('{"compare": [5, 0]}')
    assert chosen('{"compare": [5, 0]}') == (5, 0)
    assert chosen("not json") is None and chosen('{"compare": ["x", 1]}') is None
    assert "not there" in refused(act, "draft.compare", phone, old="5", new="99")
    assert act("draft.compare", phone) == SetNote("")


def test_the_history_helpers() -> None:
    drafts = [draft(1, "A", []), draft(2, "F", [], group=None), draft(3, "B", [])]
    assert [d.name for d in versions_of(drafts, 10)] == ["A", "B"]
    assert [d.name for d in versions_of(drafts, None)] == ["F"]
    with language("en"):
        assert next_name(drafts, 10) == "Draft 3"
        assert next_name(drafts, 11) == "Draft 1"
    diff = comparison((1, 0), [draft(1, "Utkast 1", ["Gi tillit"])], ["Gi mer tillit"], "Now")
    assert diff is not None and diff.old_name == "Utkast 1" and diff.new_name == "Now"
    assert diff.lines == ((Words("same", "Gi"), Words("added", "mer"), Words("same", "tillit")),)
    assert comparison((1, 42), [draft(1, "x", [])], [], "Now") is None


# -- the word diff ----------------------------------------------------------------------


def test_the_word_diff_marks_words_added_and_removed_per_point() -> None:
    lines = word_diff(
        ["Gi trygghet og tillit", "Være lojale"], ["Gi trygghet og mot", "Være lojale", "Dele"]
    )
    assert lines == (
        (Words("same", "Gi trygghet og"), Words("removed", "tillit"), Words("added", "mot")),
        (Words("same", "Være lojale"),),
        (Words("added", "Dele"),),
    )
    assert word_diff(["Samme"], ["Samme"]) == ((Words("same", "Samme"),),)
    assert word_diff(["Borte"], []) == ((Words("removed", "Borte"),),)
    assert word_diff([], []) == ()


# -- dots -------------------------------------------------------------------------------


def test_dots_only_in_the_plenary_a_few_per_phone_never_on_ones_own() -> None:
    plenary = Phone(mode="plenary", own=(point(3, "Mitt"),), voted=frozenset({1}))
    assert act("dot", plenary, response="2", up="1") == SetVote(2, True)
    assert act("dot", plenary, response="1", up="0") == SetVote(1, False)
    assert "others' points" in refused(act, "dot", plenary, response="3", up="1")
    spent = Phone(mode="plenary", voted=frozenset({1, 2}))
    assert "all your 2 dots" in refused(act, "dot", spent, response="4", up="1")
    assert act("dot", spent, response="2", up="1") == SetVote(2, True)  # already given
    assert "plenary" in refused(act, "dot", Phone(), response="2", up="1")


# -- the common poster ------------------------------------------------------------------


@dataclass
class Room:
    responses: tuple[ResponseRecord, ...] = ()
    curation: dict[str, Any] = field(default_factory=dict)
    drafts: tuple[DraftRecord, ...] = ()

    def group(self, group_id: int | None) -> Any:
        return SimpleNamespace(id=group_id, name={10: "Blåveis", 11: "Fjellreven"}[group_id or 10])


def facilitate(action: str, room: Room, /, **fields: str) -> Any:
    effects = KIND.facilitator_actions()[action].handle(SETTINGS, cast(Any, room), fields)
    found = effects if isinstance(effects, tuple) else (effects,)
    for effect in found:
        if isinstance(effect, SetCuration):
            room.curation = effect.curation
    return effects


def test_the_common_poster_is_built_from_the_groups_points_and_saved() -> None:
    earlier = draft(4, "Felles 1", ["Fra forrige samling"], group=None)
    room = Room(
        responses=(point(1, "Anerkjenne"), point(2, "Spille gode", group=11)), drafts=(earlier,)
    )
    # Until the facilitator changes it, it is the latest common version.
    assert [e["text"] for e in common_entries(room.curation, room.drafts)] == [
        "Fra forrige samling"
    ]
    facilitate("common.pick", room, response="1")
    facilitate("common.pick", room, response="2")
    facilitate("common.add", room, text="Være en rollemodell")
    entries = room.curation["common"]
    assert [(e["text"], e["from"]) for e in entries] == [
        ("Fra forrige samling", []),
        ("Anerkjenne", ["Blåveis"]),
        ("Spille gode", ["Fjellreven"]),
        ("Være en rollemodell", []),
    ]
    facilitate("common.merge", room, entry=str(entries[2]["id"]))
    facilitate("common.move", room, entry=str(entries[3]["id"]), by="-1")
    facilitate("common.remove", room, entry=str(entries[0]["id"]))
    facilitate("common.edit", room, entry=str(entries[1]["id"]), text="Anerkjenne og spille gode")
    assert [(e["text"], e["from"]) for e in room.curation["common"]] == [
        ("Være en rollemodell", []),
        ("Anerkjenne og spille gode", ["Blåveis", "Fjellreven"]),
    ]
    with language("en"):
        _set, saved = facilitate("common.save", room, name="")
    assert saved == SaveDraft(
        "Common draft 2",
        (
            {"text": "Være en rollemodell", "from": []},
            {"text": "Anerkjenne og spille gode", "from": ["Blåveis", "Fjellreven"]},
        ),
        common=True,
    )
    with language("en"):
        _set, back = facilitate("common.restore", room, draft="4")
    assert back.name == "Back to Felles 1" and back.common
    assert [e["text"] for e in room.curation["common"]] == ["Fra forrige samling"]
    facilitate("common.screen", room, show="1")
    board = KIND.summarise(SETTINGS, room.responses, room.curation)
    assert board.common == ("Fra forrige samling",) and board.points == 2
    facilitate("common.screen", room, show="0")
    assert KIND.summarise(SETTINGS, room.responses, room.curation).common is None
    facilitate("common.compare", room, old="4", new="0")
    assert compared(room.curation) == (4, 0)
    assert "not there" in refused(facilitate, "common.compare", room, old="4", new="77")
    assert "not on the common poster" in refused(
        facilitate, "common.edit", room, entry="99", text="x"
    )
    assert "none above" in refused(
        facilitate, "common.merge", room, entry=str(room.curation["common"][0]["id"])
    )
    assert "no points" in refused(facilitate, "common.save", Room(), name="Tom")


# -- the summary ------------------------------------------------------------------------


def test_the_summary_has_the_common_poster_each_groups_draft_and_the_versions() -> None:
    responses = [point(1, "Anerkjenne"), point(2, "Tillit"), point(3, "Spille gode", group=11)]
    drafts = (
        draft(1, "Utkast 1", ["Anerkjenne"]),
        draft(2, "Felles 1", ["Felles punkt"], group=None, session="Samling 2"),
    )
    context = SummaryContext(groups={10: "Blåveis", 11: "Fjellreven"}, drafts=drafts)
    with language("en"):
        elements = KIND.summary(SETTINGS, responses, None, context)
    assert elements[0] == Prompt("Vi skal skape MERVERDI ved å:")
    parts = {e.title: e for e in elements if isinstance(e, Part)}
    assert list(parts) == ["The common poster", "Blåveis", "Fjellreven", "Versions"]
    common = parts["The common poster"].elements[0]
    assert isinstance(common, Entries) and common.entries[0].text == "Felles punkt"
    table = parts["Versions"].elements[0]
    assert isinstance(table, Table)
    assert [row[:3] for row in table.rows] == [
        ("Utkast 1", "Blåveis", "Samling 1"),
        ("Felles 1", "The common poster", "Samling 2"),
    ]


# -- the blocks, with hostile text ------------------------------------------------------

ENV = templates_for(kind_registry(("exercises",))).env


def render(block: str, **context: Any) -> str:
    template = ENV.get_template(KIND.template)
    with language("en"):
        return "".join(template.blocks[block](template.new_context(context)))


def test_hostile_text_is_escaped_in_the_draft_the_conflict_and_the_diff() -> None:
    responses = [point(1, HOSTILE, others=[HOSTILE])]
    html = render(
        "phone_shared",
        settings={**SETTINGS, "preamble": HOSTILE},
        item=SimpleNamespace(id=7),
        group=SimpleNamespace(id=10, name=HOSTILE),
        responses=responses,
        drafts=[draft(1, HOSTILE, [HOSTILE])],
        phase=SimpleNamespace(mode="group"),
        code="12345678",
        locked=False,
        state=None,
        open=True,
    )
    assert 'id="conflict-1"' in html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    phone = SimpleNamespace(
        phase=SimpleNamespace(mode="group"),
        group=SimpleNamespace(id=10),
        voted=frozenset(),
        note=json.dumps({"compare": [1, 0]}),
        drafts=(draft(1, HOSTILE, [HOSTILE]),),
        group_responses=(point(1, "ny " + HOSTILE),),
        kind=KIND,
    )
    mine = render(
        "phone_mine", phone=phone, settings=SETTINGS, item=SimpleNamespace(id=7), code="1"
    )
    assert 'id="phone-diff"' in mine and "<ins>ny</ins>" in mine
    assert "<script>" not in mine and "<img" not in mine
