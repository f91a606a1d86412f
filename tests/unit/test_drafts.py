"""Saved versions of drafts in the live core, in-process: the store's thread per programme,
the ``SaveDraft`` effect's checks (a phone saves only its own group's version, never the
common one; a facilitator any group's of the session, or the common one), what the room's
and each phone's state hold, the pushes, and a later session of the programme continuing
the thread. The test-only ``relay`` kind keeps its words as versions and passes on what a
phone posts as it is, so the forged requests here reach the core's checks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.unit.live_support import World, world
from workshop import agenda_toml
from workshop.app import kind_registry
from workshop.effects import Refused
from workshop.kinds import DraftRecord, KindRegistry, drafted
from workshop.live.effects import NO_GROUP, NO_NAME, NOT_THERE, NOT_YOURS, TOO_BIG
from workshop.live.loading import load_room
from workshop.live.state import PhoneState
from workshop.models import Session
from workshop.phones import PhoneId

KINDS: KindRegistry = kind_registry(("exercises", "tests.addon"))

RELAY = """samling_agenda = 1

[[item]]
title = "Warm-up"
duration = 5
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "Who are you?"

[[item]]
title = "Our purpose"
duration = 30
kind = "exercise"
exercise = "relay"

[item.settings]
prompt = "Vi skal skape MERVERDI ved å"
words_per_phone = 5
"""


@pytest.fixture
async def w(tmp_path: Path) -> AsyncIterator[World]:
    async with world(tmp_path, kinds=KINDS) as here:
        yield here


def key() -> str:
    return uuid.uuid4().hex


async def refusal(call: object) -> Refused:
    with pytest.raises(Refused) as caught:
        await call  # type: ignore[misc]
    return caught.value


class Room:
    """A session on its relay item: network groups A (a1, a2) and B (b1), and a phone in no
    group (loner)."""

    def __init__(self, w: World, session: Session, item: int, groups: dict[str, int]):
        self.w = w
        self.session = session
        self.item = item
        self.groups = groups
        self.phones: dict[str, PhoneId] = {}

    @property
    def code(self) -> str:
        return self.session.join_code or ""

    async def word(self, phone: str, word: str) -> None:
        await self.w.live.phone.act(
            self.phones[phone], self.code, self.item, "pass", {"word": word}, key()
        )

    async def keep(self, phone: str, idem: str | None = None, **fields: str) -> PhoneState:
        done = await self.w.live.phone.act(
            self.phones[phone], self.code, self.item, "keep", fields, idem or key()
        )
        return done.phone

    async def facilitator_keep(self, **fields: str) -> None:
        await self.w.live.facilitator.act(self.session.id, self.item, "keep", fields)

    async def state(self, phone: str) -> PhoneState:
        return await self.w.live.phone.state(self.phones[phone], self.code)


async def relay_room(w: World, *, groups: dict[str, int] | None = None) -> Room:
    session = await w.session(RELAY)
    _warm_up, item = await w.items(session.id)
    if groups is None:
        groups = {}
        for name in ("A", "B"):
            made = await w.live.planning.create_group(session.programme_id, name, [])
            groups[name] = made.id
    room = Room(w, session, item, groups)
    for phone, group in (("a1", "A"), ("a2", "A"), ("b1", "B")):
        room.phones[phone] = await w.join(session, phone, str(groups[group]))
    room.phones["loner"] = await w.join(session, "loner")
    assert await w.live.facilitator.go_to(session.id, item)
    return room


async def stored(w: World) -> list[tuple[object, ...]]:
    rows = await w.store.db.fetch_all(
        "SELECT thread, common, group_id, name, content, session_id FROM drafts ORDER BY id"
    )
    return [tuple(r) for r in rows]


# -- the store ----------------------------------------------------------------------------


async def test_the_store_keeps_a_threads_versions_in_order_per_programme(w: World) -> None:
    session = await w.session(RELAY)
    item = (await w.items(session.id))[1]
    group = await w.store.groups.create(session.programme_id, "Blåveis", [])
    other = await w.session(RELAY)  # another programme, same thread
    foreign = await w.store.groups.create(other.programme_id, "Fjellreven", [])

    async def save(group_id: int | None, name: str, s: Session = session) -> DraftRecord | None:
        async with w.store.transaction() as tx:
            return await w.store.drafts.save(
                tx,
                session_id=s.id,
                item_id=item,
                thread="purpose",
                group_id=group_id,
                name=name,
                content=({"text": "Tillit «først»"}, {"text": "Ærlighet"}),
            )

    first = await save(group.id, "Utkast 1")
    common = await save(None, "Felles 1")
    assert first is not None and common is not None
    assert first.group_id == group.id and first.group_name == "Blåveis" and not first.common
    assert common.common and common.group_id is None
    assert first.content == ({"text": "Tillit «først»"}, {"text": "Ærlighet"})
    assert first.session_id == session.id and first.session_title == "Day"
    assert first.item_id == item
    assert abs(first.saved_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    # A group of another programme is not one this session may name: nothing is saved.
    assert await save(foreign.id, "Stolen") is None
    assert await save(9999, "Nobody's") is None
    found = await w.store.drafts.of_thread(session.programme_id, "purpose")
    assert [d.name for d in found] == ["Utkast 1", "Felles 1"]
    assert await w.store.drafts.of_thread(session.programme_id, "another") == []
    assert await w.store.drafts.of_thread(other.programme_id, "purpose") == []
    await save(None, "Theirs", other)
    assert [d.name for d in await w.store.drafts.of_thread(other.programme_id, "purpose")] == [
        "Theirs"
    ]


async def test_a_session_cannot_name_a_group_formed_in_another_session(w: World) -> None:
    session = await w.session(RELAY)
    item = (await w.items(session.id))[1]
    later = await w.store.programmes.create_session(session.programme_id, "Day 2", None, "")
    async with w.store.transaction() as tx:
        await w.store.groups.form(tx, later.id, session.programme_id, [("Gruppe 1", [])])
    (formed,) = await w.store.groups.of_session(later.id)
    async with w.store.transaction() as tx:
        saved = await w.store.drafts.save(
            tx,
            session_id=session.id,
            item_id=item,
            thread="t",
            group_id=formed.id,
            name="x",
            content=(),
        )
    assert saved is None


async def test_a_version_of_a_group_that_was_deleted_belongs_to_no_one(w: World) -> None:
    room = await relay_room(w)
    await room.word("a1", "tillit")
    await room.keep("a1", name="Utkast 1")
    assert await w.store.groups.delete(room.session.programme_id, room.groups["A"])
    assert (
        await w.store.drafts.of_thread(room.session.programme_id, "vi skal skape merverdi ved å")
        == []
    )
    assert len(await stored(w)) == 1  # kept, never deleted


# -- a phone's versions ----------------------------------------------------------------------


async def test_a_phone_saves_its_own_groups_words_as_a_version(w: World) -> None:
    room = await relay_room(w)
    await room.word("a1", "tillit")
    await room.word("a2", "mot")
    state = await room.keep("a2", name="  Utkast   1 ")
    (draft,) = state.drafts
    assert draft.name == "Utkast 1" and draft.group_id == room.groups["A"]
    assert draft.content == ({"word": "tillit"}, {"word": "mot"})
    assert draft.session_id == room.session.id
    assert [d.id for d in (await room.state("a1")).drafts] == [draft.id]
    assert (await room.state("b1")).drafts == ()
    assert (await room.state("loner")).drafts == ()
    screens = await w.live.facilitator.state(room.session.id)
    assert screens is not None and [d.id for d in screens.drafts] == [draft.id]
    thread = "vi skal skape merverdi ved å"
    assert await stored(w) == [
        (
            thread,
            0,
            room.groups["A"],
            "Utkast 1",
            '[{"word": "tillit"}, {"word": "mot"}]',
            room.session.id,
        )
    ]
    # The room read again from the store has the same versions.
    fresh = await load_room(w.store, KINDS, room.session.id)
    assert fresh is not None and list(fresh.drafts) == [draft.id]


async def test_a_phone_cannot_save_another_groups_version_or_the_common_one(w: World) -> None:
    room = await relay_room(w)
    await room.word("a1", "tillit")
    other = str(room.groups["B"])
    assert (await refusal(room.keep("a1", name="Stolen", group=other))).message == NOT_YOURS
    assert (await refusal(room.keep("a1", name="Ours", common="1"))).status == 403
    forged = await refusal(room.keep("a1", name="Both", common="1", group=str(room.groups["A"])))
    assert forged.message == NOT_YOURS
    assert (await refusal(room.keep("loner", name="Alone"))).message == NO_GROUP
    assert await stored(w) == []
    # Naming its own group is the same as naming none.
    await room.keep("a1", name="Ours", group=str(room.groups["A"]))
    assert [r[2] for r in await stored(w)] == [room.groups["A"]]


async def test_a_version_needs_a_name_of_bounded_length_and_size(w: World) -> None:
    room = await relay_room(w)
    blank = await refusal(room.keep("a1", name="   "))
    assert blank.message == NO_NAME and blank.status == 422
    long = await refusal(room.keep("a1", name="x" * 101))
    assert long.status == 422 and "100" in str(long.message)
    assert await stored(w) == []
    # A kind's content too large for a version is refused as well.
    from workshop import effects as fx
    from workshop.live.effects import Actor, Target, execute

    live = w.live.core.rooms.cached(room.session.id)
    assert live is not None and live.item is not None and live.kind is not None
    target = Target(room.session.id, live.item, live.kind, live.blocked)
    big = fx.SaveDraft("Big", tuple({"word": "x"} for _ in range(201)), common=True)
    outcome = await w.store.batch(lambda tx: execute(w.store, tx, target, Actor(), [big]))
    assert outcome.refused is not None and outcome.refused.message == TOO_BIG
    assert await stored(w) == []


async def test_a_kind_that_keeps_no_drafts_cannot_save_one(w: World) -> None:
    from workshop import effects as fx
    from workshop.live.effects import Actor, Target, execute

    session = await w.session(RELAY)
    live = w.live.core.rooms.cached(session.id) or await w.live.core.room(session.id)
    assert live is not None and live.item is not None and live.kind is not None
    assert not drafted(live.kind)  # the warm-up's open text
    target = Target(session.id, live.item, live.kind, live.blocked)
    save = fx.SaveDraft("x", (), common=True)
    outcome = await w.store.batch(lambda tx: execute(w.store, tx, target, Actor(), [save]))
    assert outcome.refused is not None and outcome.refused.message == NOT_THERE
    assert await stored(w) == []


# -- the facilitator's versions -----------------------------------------------------------------


async def test_the_facilitator_saves_the_common_version_and_any_groups(w: World) -> None:
    room = await relay_room(w)
    await room.word("b1", "mot")
    await room.facilitator_keep(name="Felles 1", common="1")
    await room.facilitator_keep(name="B sitt", group=str(room.groups["B"]))
    screens = await w.live.facilitator.state(room.session.id)
    assert screens is not None
    common, b = screens.drafts
    assert common.common and common.name == "Felles 1"
    assert b.group_id == room.groups["B"] and b.content == ({"word": "mot"},)
    # Every phone sees the common version; only B's phones see B's.
    assert [d.id for d in (await room.state("a1")).drafts] == [common.id]
    assert [d.id for d in (await room.state("b1")).drafts] == [common.id, b.id]
    assert [d.id for d in (await room.state("loner")).drafts] == [common.id]
    assert [d.id for d in screens.group_drafts(room.groups["A"])] == [common.id]


async def test_the_facilitator_cannot_save_for_a_group_the_session_does_not_have(
    w: World,
) -> None:
    room = await relay_room(w)
    elsewhere = await w.session(RELAY)
    foreign = await w.store.groups.create(elsewhere.programme_id, "Fjellreven", [])
    refused = await refusal(room.facilitator_keep(name="x", group=str(foreign.id)))
    assert refused.message == NOT_THERE and refused.status == 404
    # Neither common nor a group: there is nobody whose version it would be.
    assert (await refusal(room.facilitator_keep(name="x"))).status == 404
    assert await stored(w) == []


# -- who hears of it -----------------------------------------------------------------------------


async def test_a_groups_version_is_pushed_to_its_phones_only_and_the_common_to_all(
    w: World,
) -> None:
    from tests.unit.test_live_commands import settle

    room = await relay_room(w)
    sinks = {}
    for name in ("a1", "b1"):
        sinks[name], _sub = await w.connect(room.session, room.phones[name])
    control, _sub = await w.connect(room.session, audience="facilitators")
    await settle(w.hub)
    before = {name: len(s.got) for name, s in sinks.items()}
    seen = len(control.got)
    await room.keep("a1", name="Utkast 1")
    await settle(w.hub)
    assert any(f"<group {room.groups['A']}" in m for m in sinks["a1"].got[before["a1"] :])
    assert len(sinks["b1"].got) == before["b1"]
    assert len(control.got) > seen
    await room.facilitator_keep(name="Felles 1", common="1")
    await settle(w.hub)
    assert any(f"<group {room.groups['B']}" in m for m in sinks["b1"].got[before["b1"] :])
    shown = [s for s in w.phones_view.states if not isinstance(s, PhoneState)]
    assert [d.name for d in shown[-1].drafts] == ["Utkast 1", "Felles 1"]


# -- across the programme's sessions ---------------------------------------------------------------


async def test_a_later_session_of_the_programme_continues_the_thread(w: World) -> None:
    room = await relay_room(w)
    await room.word("a1", "tillit")
    await room.keep("a1", name="Utkast 1")
    await room.facilitator_keep(name="Felles 1", common="1")
    await room.keep("b1", name="B 1")
    await w.live.facilitator.close(room.session.id)

    later = await w.store.programmes.create_session(room.session.programme_id, "Day 2", None, "")
    await w.store.agenda.replace(later.id, agenda_toml.load(RELAY, KINDS))
    await w.live.facilitator.start(later.id)
    second = await w.store.live.session(later.id)
    assert second is not None
    item = (await w.items(later.id))[1]
    next_room = Room(w, second, item, room.groups)
    next_room.phones["a1"] = await w.join(second, "a1", str(room.groups["A"]))
    assert await w.live.facilitator.go_to(later.id, item)
    state = await next_room.state("a1")
    assert [(d.name, d.session_title) for d in state.drafts] == [
        ("Utkast 1", "Day"),
        ("Felles 1", "Day"),
    ]
    await next_room.keep("a1", name="Utkast 2")
    screens = await w.live.facilitator.state(later.id)
    assert screens is not None
    assert [(d.name, d.session_id) for d in screens.drafts] == [
        ("Utkast 1", room.session.id),
        ("Felles 1", room.session.id),
        ("B 1", room.session.id),
        ("Utkast 2", later.id),
    ]


async def test_an_item_of_another_thread_starts_with_no_versions(w: World) -> None:
    room = await relay_room(w)
    await room.keep("a1", name="Utkast 1")
    later = await w.store.programmes.create_session(room.session.programme_id, "Day 2", None, "")
    other = RELAY.replace("Vi skal skape MERVERDI ved å", "Something else")
    await w.store.agenda.replace(later.id, agenda_toml.load(other, KINDS))
    await w.live.facilitator.start(later.id)
    item = (await w.items(later.id))[1]
    assert await w.live.facilitator.go_to(later.id, item)
    screens = await w.live.facilitator.state(later.id)
    assert screens is not None and screens.drafts == ()


# -- the record of the day ------------------------------------------------------------------------


async def test_a_sessions_record_has_the_threads_versions_up_to_that_session(w: World) -> None:
    from facilitator.export.build import session_record
    from workshop.summary import Table

    room = await relay_room(w)
    await room.keep("a1", name="Utkast 1")
    await room.facilitator_keep(name="Felles 1", common="1")
    await w.live.facilitator.close(room.session.id)
    later = await w.store.programmes.create_session(room.session.programme_id, "Day 2", None, "")
    await w.store.agenda.replace(later.id, agenda_toml.load(RELAY, KINDS))
    await w.live.facilitator.start(later.id)
    item = (await w.items(later.id))[1]
    assert await w.live.facilitator.go_to(later.id, item)
    await w.live.facilitator.act(later.id, item, "keep", {"name": "Felles 2", "common": "1"})

    def versions(record: object) -> list[tuple[object, ...]]:
        (relay,) = [e for e in record.exercises if e.title == "Our purpose"]  # type: ignore[attr-defined]
        (table,) = [e for e in relay.elements if isinstance(e, Table)]
        return [row[:3] for row in table.rows]

    first = await session_record(w.store, KINDS, room.session.id, "en")
    assert versions(first) == [("Utkast 1", "A", "Day"), ("Felles 1", "Common", "Day")]
    second = await session_record(w.store, KINDS, later.id, "en")
    assert versions(second) == [
        ("Utkast 1", "A", "Day"),
        ("Felles 1", "Common", "Day"),
        ("Felles 2", "Common", "Day 2"),
    ]


async def test_a_retried_save_keeps_one_version(w: World) -> None:
    room = await relay_room(w)
    await room.word("a1", "tillit")
    first = await room.keep("a1", "retry-key-1", name="Utkast 1")
    again = await room.keep("a1", "retry-key-1", name="Utkast 1")
    assert [d.id for d in again.drafts] == [d.id for d in first.drafts]
    assert len(await stored(w)) == 1
    # Another phone's request with the same key is its own.
    await room.keep("a2", "retry-key-1", name="Utkast 2")
    assert [r[3] for r in await stored(w)] == ["Utkast 1", "Utkast 2"]
    from workshop.live.phone import EXPIRED

    refused = await refusal(
        w.live.phone.act(room.phones["a1"], room.code, room.item, "keep", {"name": "x"})
    )
    assert refused.message == EXPIRED
