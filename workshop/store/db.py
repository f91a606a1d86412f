"""The one owner of the SQLite file: connections, transactions and migrations.

Every other module reads and writes through the typed methods of
:class:`workshop.store.Store`, which sit on top of this module. Writes go
through a single writer connection, serialised by a lock and wrapped in
``BEGIN IMMEDIATE`` so a write never fails half-way on a lock upgrade; reads
use their own connection, which WAL lets run beside the writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from workshop.store.migrations import MIGRATIONS

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
        async with self._conn.execute(sql, params) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def changes(self) -> int:
        return self._conn.total_changes


class Database:
    """The SQLite file: one writer connection and one reader connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        """Open both connections and bring the schema up to date."""
        self._writer = await self._connect()
        await migrate(self._writer)
        self._reader = await self._connect()

    async def close(self) -> None:
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None

    async def _connect(self) -> aiosqlite.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in _PRAGMAS:
            await conn.execute(pragma)
        return conn

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

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._read().execute(sql, params) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._read().execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_all_as(
        self, sql: str, params: Params, make: Callable[[tuple[Any, ...]], T]
    ) -> list[T]:
        """Rows made into records by ``make`` in the database's thread, not the event
        loop's: for reads of thousands of rows (every response to an item)."""
        async with self._read().execute(sql, params) as cursor:
            cursor.row_factory = lambda _cursor, row: make(row)  # type: ignore[assignment]
            return list(await cursor.fetchall())  # type: ignore[arg-type]

    def _read(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise RuntimeError("database is not open")
        return self._reader


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
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                await conn.execute(statement)
            # PRAGMA takes no parameters; number is our own integer.
            await conn.execute(f"PRAGMA user_version = {number:d}")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
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
