"""The room: a live session held in memory. Its changes are idempotent, a phone sees only
its own responses and its group's list, and the screens' snapshot is shared until a change.
Built by hand from the models and the real kinds: no store, no hub."""

from __future__ import annotations

from typing import Any

from tests.unit.live_support import KINDS
from workshop.kinds import ResponseRecord
from workshop.live.effects import _put
from workshop.live.room import Room
from workshop.models import AgendaItem, Group, Participant, Session, Theme

SESSION = Session(1, 10, "Day", None, "Here", "12345678", "live", 100)
GROUP_SETTINGS: dict[str, Any] = {
    "task": "Samskaping",
    "questions": [],
    "phases": [{"name": "Gruppe", "minutes": 15, "mode": "group", "instructions": ""}],
    "roles": [
        {"name": "Leder", "rule": "", "keeps_list": False},
        {"name": "Sekretær", "rule": "", "keeps_list": True},
    ],
}
A, B = Group(1, 10, 1, "Birch"), Group(2, 10, 1, "Rowan")


def item(kind: str, settings: dict[str, Any], item_id: int = 100) -> AgendaItem:
    return AgendaItem(item_id, 1, 0, "Item", 10, "exercise", None, "", kind, settings)


def room(kind: str = "open_text", settings: dict[str, Any] | None = None) -> Room:
    if settings is None:
        settings = {"question": "Q?", "answers_per_phone": 3, "max_length": 200}
    current = item(kind, settings)
    found = KINDS.get(kind)
    assert found is not None
    here = Room(SESSION, [current, item(kind, settings, 101)], current, found)
    for pid, group in ((1, A.id), (2, A.id), (3, B.id), (4, None)):
        here.put_participant(Participant(pid, 1, f"Phone {pid}", group))
    here.groups = [A, B]
    return here


def response(rid: int, pid: int, text: str = "hei", **extra: Any) -> ResponseRecord:
    return ResponseRecord(rid, pid, {"text": text}, **extra)


def test_putting_the_same_response_twice_counts_it_once() -> None:
    here = room()
    change = _put(100, response(7, 1), "key-0000001")
    change(here)
    change(here)
    assert list(here.responses) == [7]
    assert [r.id for r in here.own(1)] == [7]
    assert here.count_own(1) == 1
    assert here.keys == {(1, "key-0000001"): 7}
    # A newer state of the same response replaces it, still once.
    here.put_response(100, response(7, 1, "edited", version=2))
    assert [r.value["text"] for r in here.own(1)] == ["edited"]
    assert here.count_own(1) == 1


def test_dropping_a_response_twice_drops_it_once_with_its_key_and_votes() -> None:
    here = room("qa", {"question": "", "questions_per_phone": 3, "max_length": 280})
    here.put_response(100, response(7, 1), "key-0000001")
    here.put_response(100, response(8, 1))
    here.set_vote(100, 2, 7, True)
    here.drop_response(100, 7)
    results = here.results
    here.drop_response(100, 7)
    assert here.results == results  # the second drop changed nothing
    assert list(here.responses) == [8]
    assert [r.id for r in here.own(1)] == [8] and here.count_own(1) == 1
    assert here.keys == {}
    assert here.voted[2] == set()


def test_a_change_to_another_item_is_ignored() -> None:
    here = room()
    here.put_response(101, response(7, 1))
    here.set_vote(101, 2, 7, True)
    here.put_theme(Theme(1, 101, "Elsewhere"))
    assert here.responses == {} and here.themes == [] and not here.has_own(1)


def test_a_vote_counts_once_per_phone_and_can_be_taken_back() -> None:
    here = room("qa", {"question": "", "questions_per_phone": 3, "max_length": 280})
    here.put_response(100, response(7, 1))
    for _ in range(3):
        here.set_vote(100, 2, 7, True)
    assert here.responses[7].votes == 1
    here.set_vote(100, 3, 7, True)
    assert here.responses[7].votes == 2
    here.set_vote(100, 2, 7, False)
    here.set_vote(100, 2, 7, False)
    assert here.responses[7].votes == 1
    assert here.voted == {2: set(), 3: {7}}
    # A new state of the response from an edit keeps the room's count.
    here.put_response(100, response(7, 1, "edited", version=2), votes=False)
    assert here.responses[7].votes == 1


def test_a_phone_sees_its_own_responses_and_its_groups_list_only() -> None:
    here = room("group_work", GROUP_SETTINGS)
    here.put_response(100, response(1, 1, "A's point", group_id=A.id, position=2))
    here.put_response(100, response(2, 2, "A's first", group_id=A.id, position=1))
    here.put_response(100, response(3, 3, "B's point", group_id=B.id, position=1))

    first = here.phone(1)
    assert first is not None
    assert [r.id for r in first.own] == [1]
    assert first.group == A
    assert [r.id for r in first.group_responses] == [2, 1]  # the list's order
    other = here.phone(3)
    assert other is not None
    assert [r.id for r in other.own] == [3]
    assert [r.value["text"] for r in other.group_responses] == ["B's point"]
    loner = here.phone(4)
    assert loner is not None
    assert loner.group is None and loner.group_responses == () and loner.own == ()
    assert here.phone(99) is None


def test_a_phone_of_a_kind_not_done_in_groups_sees_no_list() -> None:
    here = room()
    here.put_response(100, response(1, 2))
    phone = here.phone(1)
    assert phone is not None and phone.group == A and phone.group_responses == ()


def test_the_list_keeper_alone_keeps_the_list_and_a_group_without_one_keeps_it_together() -> None:
    here = room("group_work", GROUP_SETTINGS)
    here.roles = {1: 0, 2: 1, 3: 0}  # group A: 2 keeps the list; group B has no keeper
    here.changed_stage()
    keeps = {pid: here.phone(pid).keeps_list for pid in (1, 2, 3, 4)}  # type: ignore[union-attr]
    assert keeps == {1: False, 2: True, 3: True, 4: False}
    assert here.phone(2).role.name == "Sekretær"  # type: ignore[union-attr]
    state = here.snapshot(frozenset(), 0)
    assert state.keepers(A.id) == {2}
    assert state.keepers(B.id) == set()
    # Roles handed out again (the stage changes with them): the keeper follows.
    here.roles = {1: 1, 2: 0}
    here.changed_stage()
    assert here.phone(1).keeps_list and not here.phone(2).keeps_list  # type: ignore[union-attr]


def test_the_snapshot_is_shared_while_nothing_changed_and_rebuilt_after_a_change() -> None:
    here = room()
    first = here.snapshot(frozenset({1}), 3)
    assert here.snapshot(frozenset({1}), 3) is first
    assert first.responses == ()

    here.put_response(100, response(7, 1))
    after_answer = here.snapshot(frozenset({1}), 3)
    assert after_answer is not first
    assert [r.id for r in after_answer.responses] == [7]
    assert here.snapshot(frozenset({1}), 3) is after_answer

    here.changed_stage()
    assert here.snapshot(frozenset({1}), 3) is not after_answer
    connected = here.snapshot(frozenset({1, 2}), 4)
    assert connected.online == {1, 2} and connected.phones == 2


def test_with_own_and_has_own_name_the_phones_with_something_of_their_own() -> None:
    here = room("group_work", GROUP_SETTINGS)
    assert here.with_own() == set()
    here.put_response(100, response(7, 1, group_id=A.id))
    here.roles = {2: 0}
    here.set_note(100, 3, "my notes")
    here.set_note(100, 4, "")
    assert here.with_own() == {1, 2, 3}
    assert [here.has_own(pid) for pid in (1, 2, 3, 4)] == [True, True, True, False]
    here.drop_response(100, 7)
    assert not here.has_own(1) and 1 not in here.with_own()


def test_a_vote_is_something_of_ones_own() -> None:
    here = room("qa", {"question": "", "questions_per_phone": 3, "max_length": 280})
    here.put_response(100, response(7, 1))
    here.set_vote(100, 2, 7, True)
    assert here.with_own() == {1, 2} and here.has_own(2)
    here.set_vote(100, 2, 7, False)
    assert here.with_own() == {1} and not here.has_own(2)


def test_a_fresh_read_goes_on_from_the_versions_of_the_copy_it_replaces() -> None:
    older = room()
    older.put_response(100, response(7, 1, group_id=A.id))
    older.changed_stage()
    fresh = room()
    fresh.continue_from(older)
    assert fresh.stage > older.stage and fresh.results > older.results
    assert fresh.group_version(A.id) > older.group_version(A.id)
    assert fresh.version != older.version


def test_a_phone_that_joins_is_in_the_next_snapshot() -> None:
    here = room()
    before = here.snapshot(frozenset(), 0)
    here.put_participant(Participant(5, 1, "Newcomer", None))
    assert 5 in here.snapshot(frozenset(), 0).participants
    assert len(before.participants) == 4
