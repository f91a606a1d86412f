"""Group commit: writes queued with ``Database.batch`` at once share few commits, each caller
gets its result only after the commit, and a write that raises fails alone. A real SQLite
file; the commits are counted with the writer connection's trace callback."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from workshop.store.db import Database, Tx


class Traced:
    """A database whose writer's statements are recorded as SQLite runs them."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.statements: list[str] = []

    @property
    def commits(self) -> int:
        return sum(1 for s in self.statements if s.strip().upper() == "COMMIT")

    def stored(self) -> list[str]:
        """The rows as another connection sees them: only what was committed."""
        conn = sqlite3.connect(self.db.path)
        try:
            return [r[0] for r in conn.execute("SELECT text FROM notes_t ORDER BY id")]
        finally:
            conn.close()


@pytest.fixture
async def traced(tmp_path: Path) -> AsyncIterator[Traced]:
    db = Database(tmp_path / "batch.db")
    await db.open()
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE notes_t (id INTEGER PRIMARY KEY, text TEXT UNIQUE)")
    here = Traced(db)
    assert db._writer is not None
    await db._writer.set_trace_callback(here.statements.append)
    try:
        yield here
    finally:
        await db.close()


def insert(text: str) -> Callable[[Tx], Awaitable[int]]:
    async def work(tx: Tx) -> int:
        return await tx.execute("INSERT INTO notes_t (text) VALUES (?)", (text,))

    return work


async def test_writes_issued_at_once_share_one_commit_and_each_gets_its_own_result(
    traced: Traced,
) -> None:
    texts = [f"note {n}" for n in range(50)]
    committed_when_answered: list[bool] = []

    async def one(text: str) -> int:
        rowid = await traced.db.batch(insert(text))
        committed_when_answered.append(text in traced.stored())
        return rowid

    ids = await asyncio.gather(*(one(t) for t in texts))
    assert traced.commits == 1, traced.statements  # one flush to disk for all of them
    assert len(set(ids)) == 50
    assert all(committed_when_answered)
    rows = traced.stored()
    assert sorted(rows) == sorted(texts)
    by_id = dict(zip(ids, texts, strict=True))
    found = await traced.db.fetch_all("SELECT id, text FROM notes_t")
    assert {r[0]: r[1] for r in found} == by_id


async def test_writes_arriving_during_a_commit_join_the_next_one(traced: Traced) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(tx: Tx) -> int:
        started.set()
        await release.wait()  # holds the first batch open
        return await tx.execute("INSERT INTO notes_t (text) VALUES ('first')")

    first = asyncio.ensure_future(traced.db.batch(slow))
    await started.wait()
    later = [asyncio.ensure_future(traced.db.batch(insert(f"later {n}"))) for n in range(20)]
    await asyncio.sleep(0)
    assert not any(f.done() for f in later)
    assert traced.stored() == []  # nothing is visible before its commit
    release.set()
    await asyncio.gather(first, *later)
    assert traced.commits == 2
    assert len(traced.stored()) == 21


async def test_a_write_that_raises_fails_alone_and_the_others_of_its_batch_are_stored(
    traced: Traced,
) -> None:
    async def broken(tx: Tx) -> int:
        await tx.execute("INSERT INTO notes_t (text) VALUES ('half-written')")
        raise ValueError("this write fails")

    works: list[Callable[[Tx], Awaitable[int]]] = [insert(f"note {n}") for n in range(10)]
    works[4] = broken
    results = await asyncio.gather(
        *(traced.db.batch(w) for w in works),
        return_exceptions=True,
    )
    assert isinstance(results[4], ValueError)
    assert all(isinstance(r, int) for i, r in enumerate(results) if i != 4)
    assert sorted(traced.stored()) == sorted(f"note {n}" for n in range(10) if n != 4)


async def test_a_write_refused_by_a_constraint_fails_alone(traced: Traced) -> None:
    await traced.db.batch(insert("taken"))
    results = await asyncio.gather(
        traced.db.batch(insert("a")),
        traced.db.batch(insert("taken")),
        traced.db.batch(insert("b")),
        return_exceptions=True,
    )
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert isinstance(results[0], int) and isinstance(results[2], int)
    assert sorted(traced.stored()) == ["a", "b", "taken"]


async def test_a_batch_and_a_transaction_do_not_interleave(traced: Traced) -> None:
    async def in_transaction() -> None:
        async with traced.db.transaction() as tx:
            await tx.execute("INSERT INTO notes_t (text) VALUES ('tx 1')")
            await asyncio.sleep(0)
            await tx.execute("INSERT INTO notes_t (text) VALUES ('tx 2')")

    await asyncio.gather(
        in_transaction(),
        *(traced.db.batch(insert(f"batch {n}")) for n in range(5)),
    )
    assert len(traced.stored()) == 7
    begins = [s for s in traced.statements if s.upper().startswith("BEGIN")]
    assert len(begins) == traced.commits  # every transaction committed, none nested
