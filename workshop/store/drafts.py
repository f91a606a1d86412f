"""Saved versions of drafts (kinds that keep them): per thread of a programme, a group's or
the common one, each with its name, its content and the session it was saved in.

A version is only ever added: never changed, never deleted (going back to an earlier one
is a new version with the earlier content). The insert checks in its own statement that
the group is one the session may name (its programme's, or formed in that session), so
no check can go stale between a read and the write.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from workshop.clock import now
from workshop.kinds import DraftRecord, Value
from workshop.store.db import Database, Row, Tx

_READ = (
    "SELECT d.id, d.group_id, d.name, d.content, d.session_id, s.title, d.saved_at,"
    " coalesce(g.name, d.group_name), d.item_id"
    " FROM drafts d JOIN sessions s ON s.id = d.session_id"
    " LEFT JOIN groups g ON g.id = d.group_id"
)
#: A group's version whose group has gone is kept, but belongs to no one any more.
_LIVING = "(d.common = 1 OR d.group_id IS NOT NULL)"


def _draft(row: tuple[Any, ...] | Row) -> DraftRecord:
    return DraftRecord(
        id=row[0],
        group_id=row[1],
        name=row[2],
        content=tuple(json.loads(row[3])),
        session_id=row[4],
        session_title=row[5],
        saved_at=dt.datetime.fromisoformat(row[6]),
        group_name=row[7] or "",
        item_id=row[8],
    )


class Drafts:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(
        self,
        tx: Tx,
        *,
        session_id: int,
        item_id: int,
        thread: str,
        group_id: int | None,
        name: str,
        content: Sequence[Value],
        participant_id: int | None = None,
        idem_key: str | None = None,
    ) -> DraftRecord | None:
        """Add a version to the item's thread in the session's programme: the group's, or
        the common draft's (``group_id`` None). None: the session cannot name that group
        (another programme's, or formed in another session). A phone's request saved
        before under the same key (``participant_id``, ``idem_key``: a retry) gives the
        version that try saved, and saves nothing."""
        rows = await tx.fetch_all(
            "INSERT INTO drafts (programme_id, thread, common, group_id, group_name, name,"
            " content, session_id, item_id, saved_at, participant_id, idem_key)"
            " SELECT s.programme_id, ?, ? IS NULL, ?,"
            " coalesce((SELECT g.name FROM groups g WHERE g.id = ?), ''), ?, ?, s.id, ?, ?, ?, ?"
            " FROM sessions s WHERE s.id = ? AND (? IS NULL OR EXISTS ("
            "  SELECT 1 FROM groups g WHERE g.id = ? AND g.programme_id = s.programme_id"
            "  AND (g.session_id IS NULL OR g.session_id = s.id)))"
            " ON CONFLICT DO NOTHING RETURNING id",
            (
                thread,
                group_id,
                group_id,
                group_id,
                name,
                json.dumps(list(content), ensure_ascii=False),
                item_id,
                now().isoformat(),
                participant_id,
                idem_key if participant_id is not None else None,
                session_id,
                group_id,
                group_id,
            ),
        )
        if rows:
            row = await tx.fetch_one(_READ + " WHERE d.id = ?", (rows[0][0],))
        elif participant_id is not None and idem_key is not None:
            row = await tx.fetch_one(
                _READ + " WHERE d.participant_id = ? AND d.idem_key = ?", (participant_id, idem_key)
            )
        else:
            return None
        return _draft(row) if row is not None else None

    async def of_thread(self, programme_id: int, thread: str) -> list[DraftRecord]:
        """Every version of a thread in the programme, oldest first (all its sessions)."""
        return await self._db.fetch_all_as(
            _READ + f" WHERE d.programme_id = ? AND d.thread = ? AND {_LIVING} ORDER BY d.id",
            (programme_id, thread),
            _draft,
        )

    async def until_session(self, session_id: int, thread: str) -> list[DraftRecord]:
        """The versions of a thread in the session's programme saved in that session or an
        earlier one (the programme's order: by date, undated last, then by creation),
        oldest first: what the record of that day holds."""
        return await self._db.fetch_all_as(
            _READ + " JOIN sessions t ON t.id = ?"
            f" WHERE d.programme_id = t.programme_id AND d.thread = ? AND {_LIVING}"
            " AND (s.date IS NULL, coalesce(s.date, ''), s.id)"
            " <= (t.date IS NULL, coalesce(t.date, ''), t.id)"
            " ORDER BY d.id",
            (session_id, thread),
            _draft,
        )
