"""The store on a real SQLite file: migrations, accounts, programmes, agendas."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from workshop.models import ItemFields
from workshop.store import DuplicateUsername, Store
from workshop.store.db import migrate_file
from workshop.store.migrations import MIGRATIONS


@pytest.fixture
async def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store(tmp_path / "s.db")
    await s.open()
    yield s
    await s.close()


async def test_new_file_is_wal_with_latest_schema(tmp_path: Path) -> None:
    s = Store(tmp_path / "new.db")
    await s.open()
    await s.close()
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


async def test_a_phones_answer_count_reads_only_its_own_answers(tmp_path: Path) -> None:
    # Every answer is checked against the phone's limit; walking all of the item's
    # answers for it made a burst of answers quadratic.
    s = Store(tmp_path / "plan.db")
    await s.open()
    await s.close()
    conn = sqlite3.connect(tmp_path / "plan.db")
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM responses WHERE item_id = 1 AND participant_id = 2"
    ).fetchall()
    conn.close()
    assert any("COVERING INDEX responses_participant" in row[-1] for row in plan), plan


async def test_older_database_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    await migrate_file(path, upto=1)  # a file as the first version left it
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO facilitators (username, display_name, password_hash, language, created_at)"
        " VALUES ('kari', 'Kari', 'x', 'nb', '2026-01-01')"
    )
    conn.commit()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()

    s = Store(path)
    await s.open()  # runs the missing migrations
    found = await s.accounts.by_username("kari")
    assert found is not None
    programme = await s.programmes.create(found[0].id, "After the upgrade", "")
    assert [p.title for p in await s.programmes.visible_to(found[0].id)] == ["After the upgrade"]
    assert programme.role == "owner"
    await s.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


async def test_the_responses_rebuild_keeps_every_answer_vote_and_mark(tmp_path: Path) -> None:
    """Migration 7 remakes the responses table (ids never given twice): what a day stored
    before it is all still there, votes and themes included, and foreign keys hold."""
    path = tmp_path / "day.db"
    await migrate_file(path, upto=6)
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        INSERT INTO facilitators VALUES (1, 'kari', 'Kari', 'x', 'nb', '2026-01-01');
        INSERT INTO programmes (id, title, created_at) VALUES (1, 'P', '2026-01-01');
        INSERT INTO sessions (id, programme_id, title, created_at) VALUES (1, 1, 'S', 'x');
        INSERT INTO agenda_items (id, session_id, position, title, duration_min, kind)
            VALUES (1, 1, 0, 'Q', 10, 'exercise');
        INSERT INTO participants (id, session_id, created_at) VALUES (1, 1, 'x'), (2, 1, 'x');
        INSERT INTO themes (id, item_id, name, position) VALUES (1, 1, 'Theme', 0);
        INSERT INTO responses (id, item_id, participant_id, idem_key, value, highlighted,
            theme_id, created_at, updated_at, pending)
            VALUES (1, 1, 1, 'k1', '{"text": "first"}', 1, 1, 'x', 'x', 0),
                   (2, 1, 2, 'k2', '{"text": "second"}', 0, NULL, 'x', 'x', 1);
        INSERT INTO response_votes VALUES (1, 2);
        """
    )
    conn.commit()
    conn.close()
    store = Store(path)
    await store.open()
    try:
        records = await store.responses.for_item(1)
        assert [
            (r.id, r.value["text"], r.votes, r.highlighted, r.theme_id, r.pending) for r in records
        ] == [
            (1, "first", 1, True, 1, False),
            (2, "second", 0, False, None, True),
        ]
        async with store.transaction() as tx:
            await store.responses.delete(tx, 1, 2)
        await store.live.start(1)
        made = await store.batch(
            lambda tx: store.responses.insert(
                tx,
                session_id=1,
                item_id=1,
                participant_id=2,
                idem_key="k3",
                value={"text": "third"},
                limit=5,
            )
        )
        assert made is not None and made.id == 3  # not 2 again
    finally:
        await store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    s = Store(path)
    with pytest.raises(RuntimeError, match="newer"):
        await s.open()
    await s.close()


async def test_usernames_are_unique_whatever_the_case(store: Store) -> None:
    await store.accounts.create("Anna", "Anna", "h", "nb")
    with pytest.raises(DuplicateUsername):
        await store.accounts.create("anna", "Other", "h", "en")
    assert await store.accounts.count() == 1


async def test_password_change_ends_every_login(store: Store) -> None:
    me = await store.accounts.create("anna", "Anna", "h", "nb")
    await store.accounts.start_login(me.id, "t1", "c1", dt.timedelta(hours=1))
    await store.accounts.start_login(me.id, "t2", "c2", dt.timedelta(hours=1))
    assert await store.accounts.login("t1") is not None
    await store.accounts.set_password(me.id, "h2")
    assert await store.accounts.login("t1") is None
    assert await store.accounts.login("t2") is None


async def test_expired_login_is_not_found(store: Store) -> None:
    me = await store.accounts.create("anna", "Anna", "h", "nb")
    await store.accounts.start_login(me.id, "old", "c", dt.timedelta(seconds=-1))
    assert await store.accounts.login("old") is None


async def test_programmes_are_private_until_shared(store: Store) -> None:
    anna = await store.accounts.create("anna", "Anna", "h", "nb")
    bjorn = await store.accounts.create("bjorn", "Bjørn", "h", "nb")
    programme = await store.programmes.create(anna.id, "P", "C")
    session = await store.programmes.create_session(programme.id, "S", None, "")
    assert await store.programmes.get(bjorn.id, programme.id) is None
    assert await store.programmes.session(bjorn.id, session.id) is None
    await store.programmes.add_cofacilitator(programme.id, bjorn.id)
    shared = await store.programmes.get(bjorn.id, programme.id)
    assert shared is not None and shared.role == "co"
    assert await store.programmes.session(bjorn.id, session.id) is not None
    await store.programmes.remove_cofacilitator(programme.id, bjorn.id)
    assert await store.programmes.get(bjorn.id, programme.id) is None


async def test_deleting_a_programme_deletes_its_sessions_and_items(store: Store) -> None:
    anna = await store.accounts.create("anna", "Anna", "h", "nb")
    programme = await store.programmes.create(anna.id, "P", "C")
    session = await store.programmes.create_session(programme.id, "S", dt.date(2027, 1, 5), "")
    await store.agenda.add(session.id, ItemFields("Welcome", 15))
    await store.programmes.delete(programme.id)
    assert not await store.programmes.session_exists(session.id)
    assert await store.agenda.items(session.id) == []


async def test_agenda_order_move_and_replace(store: Store) -> None:
    anna = await store.accounts.create("anna", "Anna", "h", "nb")
    programme = await store.programmes.create(anna.id, "P", "C")
    session = await store.programmes.create_session(programme.id, "S", None, "")
    ids = [await store.agenda.add(session.id, ItemFields(t, 10)) for t in "ABC"]

    async def titles() -> list[str]:
        return [i.title for i in await store.agenda.items(session.id)]

    assert await titles() == ["A", "B", "C"]
    await store.agenda.move(session.id, ids[2], 0)
    assert await titles() == ["C", "A", "B"]
    assert await store.agenda.reorder(session.id, [ids[1], ids[0], ids[2]])
    assert await titles() == ["B", "A", "C"]
    assert not await store.agenda.reorder(session.id, [ids[0], ids[1]])  # one missing
    assert await titles() == ["B", "A", "C"]
    await store.agenda.delete(session.id, ids[1])
    assert [i.position for i in await store.agenda.items(session.id)] == [0, 1]
    await store.agenda.replace(session.id, [ItemFields("X", 5, start=dt.time(8, 30))])
    (only,) = await store.agenda.items(session.id)
    assert (only.title, only.start, only.position) == ("X", dt.time(8, 30), 0)


async def test_a_failed_transaction_changes_nothing(store: Store) -> None:
    anna = await store.accounts.create("anna", "Anna", "h", "nb")
    with pytest.raises(sqlite3.IntegrityError):
        async with store.db.transaction() as tx:
            await tx.execute("UPDATE facilitators SET display_name = 'Changed'")
            await tx.execute(
                "INSERT INTO facilitators (id, username, display_name,"
                " password_hash, created_at) VALUES (?, 'x', 'x', 'x', 'x')",
                (anna.id,),
            )
    assert (await store.accounts.get(anna.id)).display_name == "Anna"  # type: ignore[union-attr]
