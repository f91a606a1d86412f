"""The store's groups on a real SQLite file: a programme's network groups, a session's
groups, and phones joining them."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from workshop.models import Group, ItemFields
from workshop.store import Store


@dataclass
class World:
    store: Store
    path: Path
    programme: int
    other_programme: int
    session: int
    other_session: int


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    path = tmp_path / "s.db"
    store = Store(path)
    await store.open()
    owner = await store.accounts.create("kari", "Kari", "x", "nb")
    programme = await store.programmes.create(owner.id, "Ledelse 2027", "")
    other = await store.programmes.create(owner.id, "Another programme", "")
    session = await store.programmes.create_session(programme.id, "Samling 1", None, "")
    elsewhere = await store.programmes.create_session(other.id, "Elsewhere", None, "")
    yield World(store, path, programme.id, other.id, session.id, elsewhere.id)
    await store.close()


def _stored(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


async def test_a_programme_lists_its_groups_in_the_order_they_were_made(world: World) -> None:
    groups = world.store.groups
    gygrene = await groups.create(world.programme, "Gygrene", ["Kari Nordmann", "Ola Hansen"])
    stjerne = await groups.create(world.programme, "Stjernelaget")
    await groups.create(world.other_programme, "Elsewhere")
    assert gygrene == Group(
        gygrene.id, world.programme, None, "Gygrene", ("Kari Nordmann", "Ola Hansen")
    )
    assert await groups.of_programme(world.programme) == [gygrene, stjerne]
    assert stjerne.members == ()


async def test_update_renames_and_replaces_the_members(world: World) -> None:
    groups = world.store.groups
    group = await groups.create(world.programme, "Blaveis", ["Kari"])
    assert await groups.update(world.programme, group.id, "Blåveis", ["Ola", "Per"])
    [found] = await groups.of_programme(world.programme)
    assert (found.name, found.members) == ("Blåveis", ("Ola", "Per"))
    assert await groups.update(world.programme, group.id, "Blåveis", [])
    [found] = await groups.of_programme(world.programme)
    assert found.members == ()


async def test_update_and_delete_only_touch_the_programme_named(world: World) -> None:
    groups = world.store.groups
    group = await groups.create(world.programme, "Gygrene", ["Kari"])
    assert not await groups.update(world.other_programme, group.id, "Stolen", [])
    assert not await groups.delete(world.other_programme, group.id)
    assert not await groups.update(world.programme, group.id + 100, "Nowhere", [])
    assert [g.name for g in await groups.of_programme(world.programme)] == ["Gygrene"]


async def test_deleting_a_group_leaves_its_phones_without_one(world: World) -> None:
    groups = world.store.groups
    group = await groups.create(world.programme, "Gygrene")
    phone = await groups.join(world.session, "Kari", group.id)
    assert phone.group_id == group.id
    assert await groups.delete(world.programme, group.id)
    assert not await groups.delete(world.programme, group.id)
    assert await groups.of_programme(world.programme) == []
    assert _stored(world.path, "SELECT name, group_id FROM participants") == [("Kari", None)]


async def test_the_store_does_not_enforce_unique_names(world: World) -> None:
    """Unique names (in any case) are the programme page's rule, checked by its route."""
    groups = world.store.groups
    await groups.create(world.programme, "Gygrene")
    await groups.create(world.programme, "GYGRENE")
    assert [g.name for g in await groups.of_programme(world.programme)] == ["Gygrene", "GYGRENE"]


async def test_a_session_uses_its_programmes_network_groups(world: World) -> None:
    groups = world.store.groups
    gygrene = await groups.create(world.programme, "Gygrene", ["Kari"])
    await groups.create(world.other_programme, "Elsewhere")
    assert await groups.of_session(world.session) == [gygrene]
    assert [g.name for g in await groups.of_session(world.other_session)] == ["Elsewhere"]


async def test_a_session_prefers_the_groups_it_formed_itself(world: World) -> None:
    groups = world.store.groups
    await groups.create(world.programme, "Gygrene")
    kari = await groups.join(world.session, "Kari", None)
    async with world.store.transaction() as tx:
        await groups.form(
            tx, world.session, world.programme, [("Table 1", [kari.id]), ("Table 2", [])]
        )
    assert [(g.name, g.session_id) for g in await groups.of_session(world.session)] == [
        ("Table 1", world.session),
        ("Table 2", world.session),
    ]
    # The network groups are still the programme's, only not this session's.
    assert [g.name for g in await groups.of_programme(world.programme)] == ["Gygrene"]
    async with world.store.transaction() as tx:  # no groups of its own any more
        await groups.form(tx, world.session, world.programme, [])
    assert [g.name for g in await groups.of_session(world.session)] == ["Gygrene"]


async def test_join_puts_a_phone_in_one_of_the_sessions_groups(world: World) -> None:
    groups = world.store.groups
    gygrene = await groups.create(world.programme, "Gygrene")
    phone = await groups.join(world.session, "Kari", gygrene.id)
    assert (phone.session_id, phone.name, phone.group_id) == (world.session, "Kari", gygrene.id)
    assert await world.store.responses.participant(phone.id) == phone
    nobody = await groups.join(world.session, "", None)
    assert nobody.group_id is None


async def test_join_ignores_a_group_that_is_not_the_sessions(world: World) -> None:
    groups = world.store.groups
    await groups.create(world.programme, "Gygrene")
    foreign = await groups.create(world.other_programme, "Elsewhere")
    phone = await groups.join(world.session, "Kari", foreign.id)
    assert phone.group_id is None
    missing = await groups.join(world.session, "Ola", foreign.id + 1000)
    assert missing.group_id is None
    assert _stored(world.path, "SELECT name, group_id FROM participants ORDER BY id") == [
        ("Kari", None),
        ("Ola", None),
    ]


async def test_join_ignores_a_network_group_when_the_session_formed_its_own(
    world: World,
) -> None:
    groups = world.store.groups
    network = await groups.create(world.programme, "Gygrene")
    async with world.store.transaction() as tx:
        await groups.form(tx, world.session, world.programme, [("Table 1", [])])
    phone = await groups.join(world.session, "Kari", network.id)
    assert phone.group_id is None


async def test_names_keep_their_text_exactly(world: World) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    group = await world.store.groups.create(world.programme, hostile, [hostile, "Åse Ødegård"])
    [found] = await world.store.groups.of_programme(world.programme)
    assert found == group
    assert found.members == (hostile, "Åse Ødegård")


async def test_points_added_at_the_same_moment_are_all_kept_in_order(world: World) -> None:
    """Two (or twenty) phones adding to one group's list at once: none is lost, none shares
    a place, and a retried key is stored once."""
    store = world.store
    await store.agenda.replace(
        world.session,
        [ItemFields("Kommune 3.0", 30, "exercise", exercise_kind="group_work", settings={})],
    )
    item = (await store.agenda.items(world.session))[0].id
    await store.live.start(world.session)
    group = await store.groups.create(world.programme, "Blåveis")
    other = await store.groups.create(world.programme, "Løvetann")
    phones = [await store.groups.join(world.session, f"P{n}", group.id) for n in range(20)]

    async def add(n: int) -> object:
        return await store.batch(
            lambda tx: store.responses.insert(
                tx,
                session_id=world.session,
                item_id=item,
                participant_id=phones[n].id,
                idem_key=f"key-{n:04d}",
                value={"text": f"Point {n}"},
                limit=50,
                group_id=group.id,
            )
        )

    added = await asyncio.gather(*(add(n) for n in range(20)), add(0), add(1))
    assert added[-2:] == [None, None]  # the retries: their keys are taken
    points = [r for r in await store.responses.for_item(item) if r.group_id == group.id]
    points.sort(key=lambda r: r.position or 0)
    assert sorted(p.value["text"] for p in points) == sorted(f"Point {n}" for n in range(20))
    assert [p.position for p in points] == list(range(1, 21))
    # The keeper moves the last one up; a point of another list cannot be touched.
    last = points[-1]
    async with store.transaction() as tx:
        assert await store.responses.reorder(tx, item, group.id, last.id, -1) is not None
        assert await store.responses.reorder(tx, item, other.id, last.id, -1) is None
        assert (
            await store.responses.update(
                tx, item, last.id, {"text": "Forged"}, pending=False, group_id=other.id
            )
            is None
        )
        assert await store.responses.delete(tx, item, last.id, group_id=other.id) is None
    moved = sorted(
        (r for r in await store.responses.for_item(item) if r.group_id == group.id),
        key=lambda r: r.position or 0,
    )
    assert moved[-2].id == last.id
