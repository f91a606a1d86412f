"""The one owner of the SQLite file: connections, transactions and migrations.

Every other module reads and writes through the typed methods of
:class:`workshop.store.Store`, which sit on top of this module.

Writes go through a single writer connection, serialised by a lock and
wrapped in ``BEGIN IMMEDIATE`` so a write never fails half-way on a lock
upgrade. Small writes that arrive together (a room of phones answering at
once) share one transaction: :meth:`Database.batch` queues them, and one
``COMMIT`` (one flush to disk) acknowledges them all; each caller gets its
result only after that commit.

Reads use a small pool of reader connections, each lent to one read at a
time. A connection shared by overlapping reads would keep one read
transaction open while any of their cursors is unfinished, so a read that
started after a commit could be served the snapshot from before it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import aiosqlite

from workshop.store.migrations import MIGRATIONS, REBUILDS

Row = sqlite3.Row
T = TypeVar("T")
Params = Sequence[Any] | dict[str, Any]

# FULL makes a commit wait for the WAL to reach the disk: an acknowledged
# write survives a power cut, not only a crash of the process (see README).
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
)

#: Reader connections: enough for the reads a burst of requests makes at once.
READERS = 3
#: Writes one batch holds at most (a burst bigger than this takes several commits).
BATCH_MAX = 500


class Tx:
    """A write transaction on the writer connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the last inserted row id."""
        cursor = await self._conn.execute(sql, params)
        rowid = cursor.lastrowid or 0
        await cursor.close()
        return rowid

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Rows of one statement (``... RETURNING`` included), run to its end at once."""
        return list(await self._conn.execute_fetchall(sql, params))

    async def changed(self) -> int:
        """How many rows the last statement changed."""
        row = await self.fetch_one("SELECT changes()")
        return int(row[0]) if row else 0


@dataclass
class _Queued(Generic[T]):
    work: Callable[[Tx], Awaitable[T]]
    done: asyncio.Future[T] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Database:
    """The SQLite file: one writer connection and a pool of reader connections."""

    def __init__(self, path: str | Path, readers: int = READERS) -> None:
        self.path = str(path)
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._idle: asyncio.Queue[aiosqlite.Connection] | None = None
        self._reader_count = readers
        self._write_lock = asyncio.Lock()
        self._queued: list[_Queued[Any]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Open the connections and bring the schema up to date."""
        self._writer = await self._connect()
        await migrate(self._writer)
        self._idle = asyncio.Queue()
        for _ in range(self._reader_count):
            reader = await self._connect()
            self._readers.append(reader)
            self._idle.put_nowait(reader)

    async def close(self) -> None:
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)
        for conn in [*self._readers, self._writer]:
            if conn is not None:
                await conn.close()
        self._readers = []
        self._idle = None
        self._writer = None

    async def _connect(self) -> aiosqlite.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in _PRAGMAS:
            await conn.execute(pragma)
        return conn

    # -- writing -----------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Run the block as one ``BEGIN IMMEDIATE`` transaction; commit when it returns."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._writer)
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    async def batch(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``work`` in a transaction shared with the writes queued beside it.

        The result comes once the shared transaction has committed. ``work``
        must not fail for expected reasons (it returns what happened instead):
        should one raise anyway, the batch is rolled back and each of its
        writes is run again in a transaction of its own, so only that one fails.
        """
        if self._writer is None:
            raise RuntimeError("database is not open")
        queued: _Queued[T] = _Queued(work)
        self._queued.append(queued)
        if self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush())
        return await asyncio.shield(queued.done)

    async def _flush(self) -> None:
        try:
            while self._queued:
                async with self._write_lock:
                    # Taken only now: what arrived while the lock was busy joins this commit.
                    taken, self._queued = self._queued[:BATCH_MAX], self._queued[BATCH_MAX:]
                    await self._run_batch(taken)
        finally:
            self._flusher = None
            if self._queued:  # arrived after the loop's last look
                self._flusher = asyncio.get_running_loop().create_task(self._flush())

    async def _run_batch(self, taken: list[_Queued[Any]]) -> None:
        assert self._writer is not None
        tx = Tx(self._writer)
        results: list[Any] = []
        try:
            await self._writer.execute("BEGIN IMMEDIATE")
            for queued in taken:
                results.append(await queued.work(tx))
            await self._writer.execute("COMMIT")
        except Exception:  # noqa: BLE001  # isolate the failing write, below
            if self._writer.in_transaction:
                await self._writer.execute("ROLLBACK")
            await self._one_by_one(taken)
            return
        except BaseException:
            if self._writer.in_transaction:
                await self._writer.execute("ROLLBACK")
            for queued in taken:
                queued.done.cancel()
            raise
        for queued, result in zip(taken, results, strict=True):
            if not queued.done.done():
                queued.done.set_result(result)

    async def _one_by_one(self, taken: list[_Queued[Any]]) -> None:
        assert self._writer is not None
        for queued in taken:
            try:
                await self._writer.execute("BEGIN IMMEDIATE")
                result = await queued.work(Tx(self._writer))
                await self._writer.execute("COMMIT")
            except Exception as exc:  # noqa: BLE001  # this write alone fails
                if self._writer.in_transaction:
                    await self._writer.execute("ROLLBACK")
                if not queued.done.done():
                    queued.done.set_exception(exc)
            else:
                if not queued.done.done():
                    queued.done.set_result(result)

    # -- reading -----------------------------------------------------------------------

    @asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._idle is None:
            raise RuntimeError("database is not open")
        conn = await self._idle.get()
        try:
            yield conn
        finally:
            self._idle.put_nowait(conn)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._reader() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetch_all_as(
        self, sql: str, params: Params, make: Callable[[tuple[Any, ...]], T]
    ) -> list[T]:
        """Rows made into records by ``make`` in the database's thread, not the event
        loop's: for reads of thousands of rows (every response to an item)."""
        async with self._reader() as conn:
            cursor = await conn.cursor()
            try:
                cursor.row_factory = lambda _cursor, row: make(row)  # type: ignore[assignment]
                await cursor.execute(sql, params)
                return list(await cursor.fetchall())  # type: ignore[arg-type]
            finally:
                await cursor.close()


async def migrate(conn: aiosqlite.Connection, upto: int | None = None) -> int:
    """Apply the migrations the file lacks, each in its own transaction; return the version."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    target = len(MIGRATIONS) if upto is None else upto
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"{conn} has schema version {version}, newer than this Samling ({len(MIGRATIONS)})"
        )
    for number in range(version + 1, target + 1):
        script = MIGRATIONS[number - 1]
        rebuilds = script.startswith(REBUILDS)
        if rebuilds:  # outside a transaction, or SQLite ignores it
            await conn.execute("PRAGMA foreign_keys = OFF")
        try:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(script):
                    await conn.execute(statement)
                if rebuilds:
                    async with conn.execute("PRAGMA foreign_key_check") as cursor:
                        broken = await cursor.fetchall()
                    if broken:
                        raise RuntimeError(f"migration {number} breaks foreign keys: {broken}")
                # PRAGMA takes no parameters; number is our own integer.
                await conn.execute(f"PRAGMA user_version = {number:d}")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")
        finally:
            if rebuilds:
                await conn.execute("PRAGMA foreign_keys = ON")
        version = number
    return version


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows where)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


async def open_database(path: str | Path) -> Database:
    db = Database(path)
    await db.open()
    return db


async def migrate_file(path: str | Path, upto: int) -> None:
    """Bring a file to one given schema version (used to test in-place upgrades)."""
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        await migrate(conn, upto)
    finally:
        await conn.close()
