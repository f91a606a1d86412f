"""Agenda items of a session, kept in order by their position."""

from __future__ import annotations

import datetime as dt
import json

from workshop.models import AgendaItem, ItemFields
from workshop.store.db import Database, Row, Tx


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def item_from_row(row: Row) -> AgendaItem:
    return AgendaItem(
        id=row["id"],
        session_id=row["session_id"],
        position=row["position"],
        title=row["title"],
        duration_min=row["duration_min"],
        kind=row["kind"],
        start=dt.time.fromisoformat(row["start"]) if row["start"] else None,
        notes=row["notes"],
        exercise_kind=row["exercise_kind"],
        settings=json.loads(row["settings"]),
        actual_start=_when(row["actual_start"]),
        timer_ends_at=_when(row["timer_ends_at"]),
        timer_paused_ms=row["timer_paused_ms"],
        phase=row["phase"],
    )


def _columns(fields: ItemFields) -> tuple[object, ...]:
    start = fields.start.strftime("%H:%M") if fields.start else None
    return (
        fields.title,
        start,
        fields.duration_min,
        fields.kind,
        fields.notes,
        fields.exercise_kind,
        json.dumps(fields.settings, ensure_ascii=False),
    )


_INSERT = (
    "INSERT INTO agenda_items (session_id, position, title, start, duration_min, kind,"
    " notes, exercise_kind, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


async def _renumber(tx: Tx, session_id: int, ids: list[int]) -> None:
    await tx.executemany(
        "UPDATE agenda_items SET position = ? WHERE id = ? AND session_id = ?",
        [(pos, item_id, session_id) for pos, item_id in enumerate(ids)],
    )


async def _ids(tx: Tx, session_id: int) -> list[int]:
    rows = await tx.fetch_all(
        "SELECT id FROM agenda_items WHERE session_id = ? ORDER BY position, id", (session_id,)
    )
    return [r[0] for r in rows]


class Agenda:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def items(self, session_id: int) -> list[AgendaItem]:
        rows = await self._db.fetch_all(
            "SELECT * FROM agenda_items WHERE session_id = ? ORDER BY position, id",
            (session_id,),
        )
        return [item_from_row(r) for r in rows]

    async def item(self, session_id: int, item_id: int) -> AgendaItem | None:
        row = await self._db.fetch_one(
            "SELECT * FROM agenda_items WHERE id = ? AND session_id = ?", (item_id, session_id)
        )
        return item_from_row(row) if row else None

    async def add(self, session_id: int, fields: ItemFields) -> int:
        """Append an item to the end of the agenda; return its id."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT coalesce(max(position) + 1, 0) FROM agenda_items WHERE session_id = ?",
                (session_id,),
            )
            position = int(row[0]) if row else 0
            return await tx.execute(_INSERT, (session_id, position, *_columns(fields)))

    async def update(self, session_id: int, item_id: int, fields: ItemFields) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE agenda_items SET title = ?, start = ?, duration_min = ?, kind = ?,"
                " notes = ?, exercise_kind = ?, settings = ? WHERE id = ? AND session_id = ?",
                (*_columns(fields), item_id, session_id),
            )

    async def delete(self, session_id: int, item_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM agenda_items WHERE id = ? AND session_id = ?", (item_id, session_id)
            )
            await _renumber(tx, session_id, await _ids(tx, session_id))

    async def move(self, session_id: int, item_id: int, to_position: int) -> None:
        """Move one item to a position (0 is first), shifting the others."""
        async with self._db.transaction() as tx:
            ids = await _ids(tx, session_id)
            if item_id not in ids:
                return
            ids.remove(item_id)
            ids.insert(max(0, min(to_position, len(ids))), item_id)
            await _renumber(tx, session_id, ids)

    async def reorder(self, session_id: int, ordered_ids: list[int]) -> bool:
        """Put the items in the given order; refuse (False) unless it names each exactly once."""
        async with self._db.transaction() as tx:
            ids = await _ids(tx, session_id)
            if sorted(ids) != sorted(ordered_ids):
                return False
            await _renumber(tx, session_id, ordered_ids)
            return True

    async def replace(self, session_id: int, items: list[ItemFields]) -> None:
        """Replace the whole agenda in one transaction (an import: all or nothing)."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM agenda_items WHERE session_id = ?", (session_id,))
            await tx.executemany(
                _INSERT,
                [(session_id, pos, *_columns(f)) for pos, f in enumerate(items)],
            )
