"""Phones, their responses and notes; votes, marks and themes are in their own modules.

A response is stored once per idempotency key: the unique constraint on
``(participant_id, idem_key)`` makes a retried POST find the row it already
wrote, whatever happened to the first attempt's answer. A new response is
inserted only while its item is the session's current one and answers are
open, and while the phone has fewer than its limit: all in the one INSERT, so
no check can go stale between a read and the write.

The writes take the transaction they run in (``Store.batch`` or
``Store.transaction``): the live core puts several of them, or several phones'
answers, in one commit.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from workshop.clock import now
from workshop.kinds import ResponseRecord, Value
from workshop.models import Participant
from workshop.store.db import Database, Row, Tx
from workshop.store.marks import Marks
from workshop.store.response_rows import (
    _COLUMNS,
    _RECORD,
    _RECORD_AND_ITEM,
    _json,
    _keyed,
    _record,
)
from workshop.store.themes import Themes
from workshop.store.votes import Votes

__all__ = ["Responses", "TooManyResponses", "participant_from_row", "_RECORD", "_record"]


def participant_from_row(row: Row) -> Participant:
    return Participant(row["id"], row["session_id"], row["name"], row["group_id"])


class TooManyResponses(Exception):
    """The phone already has as many responses as the exercise allows."""


Refusal = Literal["moved", "locked", "limit"]


class Responses(Votes, Marks, Themes):
    """Phones and their responses; the votes, marks and themes parts are mixed in."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- phones ------------------------------------------------------------------------

    async def add_participant(self, session_id: int, name: str) -> Participant:
        async with self._db.transaction() as tx:
            new_id = await tx.execute(
                "INSERT INTO participants (session_id, name, created_at) VALUES (?, ?, ?)",
                (session_id, name, now().isoformat()),
            )
        return Participant(new_id, session_id, name)

    async def participant(self, participant_id: int) -> Participant | None:
        row = await self._db.fetch_one("SELECT * FROM participants WHERE id = ?", (participant_id,))
        return participant_from_row(row) if row else None

    # -- reading an item's responses -----------------------------------------------------

    async def for_item(self, item_id: int) -> list[ResponseRecord]:
        """Every response to an item, oldest first."""
        return await self._db.fetch_all_as(
            _RECORD + " WHERE r.item_id = ? ORDER BY r.id", (item_id,), _record
        )

    async def tallies(self, session_id: int) -> dict[int, tuple[int, int]]:
        """Per agenda item of the session: how many responses it has, from how many
        phones (items without any are left out)."""
        rows = await self._db.fetch_all(
            "SELECT r.item_id, count(*), count(DISTINCT r.participant_id) FROM responses r"
            " JOIN agenda_items a ON a.id = r.item_id WHERE a.session_id = ? GROUP BY r.item_id",
            (session_id,),
        )
        return {row[0]: (row[1], row[2]) for row in rows}

    async def keyed_for_item(self, item_id: int) -> list[tuple[ResponseRecord, str]]:
        """Every response to an item with its idempotency key, oldest first."""
        return await self._db.fetch_all_as(
            _RECORD + " WHERE r.item_id = ? ORDER BY r.id", (item_id,), _keyed
        )

    async def by_key(self, participant_id: int, idem_key: str) -> ResponseRecord | None:
        """The response a phone sent with this key, to whichever item."""
        rows = await self._db.fetch_all_as(
            _RECORD + " WHERE r.participant_id = ? AND r.idem_key = ?",
            (participant_id, idem_key),
            _record,
        )
        return rows[0] if rows else None

    # -- writing, inside a transaction ---------------------------------------------------

    async def insert(
        self,
        tx: Tx,
        *,
        session_id: int,
        item_id: int,
        participant_id: int,
        idem_key: str,
        value: Value,
        limit: int,
        pending: bool = False,
        group_id: int | None = None,
        after_close: bool = False,
        language: str = "",
    ) -> ResponseRecord | None:
        """Insert a response if its item is current, answers are open and the phone is
        under its limit; None when it was not (see :meth:`why_not`). A response with
        ``group_id`` goes at the end of that group's list. ``after_close``: the item stays
        open after its session closed (the session must be closed, the item its).
        ``language``: the one the phone was using ('' when not known)."""
        stamp = now().isoformat()
        rows = await tx.fetch_all(
            "INSERT INTO responses (item_id, participant_id, idem_key, value, pending, group_id,"
            " position, created_at, updated_at, language)"
            " SELECT ?, ?, ?, ?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE (SELECT"
            " coalesce(max(position), 0) + 1 FROM responses WHERE item_id = ? AND group_id = ?)"
            " END, ?, ?, ?"
            " WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ? AND CASE WHEN ? THEN"
            " live_state = 'closed' AND EXISTS (SELECT 1 FROM agenda_items a WHERE a.id = ?"
            " AND a.session_id = sessions.id) ELSE current_item_id = ?"
            " AND live_state = 'live' AND responses_locked = 0 END)"
            " AND (SELECT count(*) FROM responses WHERE item_id = ? AND participant_id = ?) < ?"
            " AND NOT EXISTS (SELECT 1 FROM spent_keys WHERE participant_id = ? AND idem_key = ?)"
            " ON CONFLICT (participant_id, idem_key) DO NOTHING"
            " RETURNING " + _COLUMNS,
            (
                item_id,
                participant_id,
                idem_key,
                _json(value),
                int(pending),
                group_id,
                group_id,
                item_id,
                group_id,
                stamp,
                stamp,
                language,
                session_id,
                int(after_close),
                item_id,
                item_id,
                item_id,
                participant_id,
                limit,
                participant_id,
                idem_key,
            ),
        )
        return _record(rows[0]) if rows else None

    async def why_not(
        self,
        tx: Tx,
        *,
        session_id: int,
        item_id: int,
        participant_id: int,
        idem_key: str,
        after_close: bool = False,
    ) -> tuple[int, ResponseRecord] | Refusal | Literal["spent"]:
        """Why :meth:`insert` stored nothing: the key was used already (the item and the
        response it stored; "spent" when that response was deleted since), or the item is
        not current, answers are locked, or the phone is at its limit."""
        found = await tx.fetch_all(
            _RECORD_AND_ITEM + " WHERE r.participant_id = ? AND r.idem_key = ?",
            (participant_id, idem_key),
        )
        if found:
            return int(found[0][-1]), _record(found[0])
        spent = await tx.fetch_one(
            "SELECT 1 FROM spent_keys WHERE participant_id = ? AND idem_key = ?",
            (participant_id, idem_key),
        )
        if spent is not None:
            return "spent"
        row = await tx.fetch_one(
            "SELECT current_item_id, live_state, responses_locked FROM sessions WHERE id = ?",
            (session_id,),
        )
        if after_close:
            return "limit" if row is not None and row[1] == "closed" else "moved"
        if row is None or row[0] != item_id or row[1] != "live":
            return "moved"
        return "locked" if row[2] else "limit"

    async def update(
        self,
        tx: Tx,
        item_id: int,
        response_id: int,
        value: Value,
        *,
        pending: bool,
        version: int | None = None,
        participant_id: int | None = None,
        group_id: int | None = None,
    ) -> ResponseRecord | None:
        """Change a response's value (a phone's own, or one of a group's list), only while
        it is at ``version`` when one is given; None when nothing was changed."""
        rows = await tx.fetch_all(
            "UPDATE responses SET value = ?, pending = ?, version = version + 1, updated_at = ?"
            " WHERE id = ? AND item_id = ? AND (? IS NULL OR version = ?)"
            " AND (? IS NULL OR participant_id = ?) AND (? IS NULL OR group_id = ?)"
            " RETURNING " + _COLUMNS,
            (
                _json(value),
                int(pending),
                now().isoformat(),
                response_id,
                item_id,
                version,
                version,
                participant_id,
                participant_id,
                group_id,
                group_id,
            ),
        )
        return _record(rows[0]) if rows else None

    async def current(self, tx: Tx, item_id: int, response_id: int) -> ResponseRecord | None:
        rows = await tx.fetch_all(
            _RECORD + " WHERE r.id = ? AND r.item_id = ?", (response_id, item_id)
        )
        return _record(rows[0]) if rows else None

    async def delete(
        self,
        tx: Tx,
        item_id: int,
        response_id: int,
        *,
        participant_id: int | None = None,
        group_id: int | None = None,
    ) -> ResponseRecord | None:
        """Delete a response (a phone's own, or one of a group's list); the one deleted.
        Its idempotency key stays spent: a late retry of its POST stores nothing."""
        rows = await tx.fetch_all(
            "DELETE FROM responses WHERE id = ? AND item_id = ?"
            " AND (? IS NULL OR participant_id = ?) AND (? IS NULL OR group_id = ?)"
            " RETURNING " + _COLUMNS + ", 0, idem_key",
            (response_id, item_id, participant_id, participant_id, group_id, group_id),
        )
        if not rows:
            return None
        await tx.execute(
            "INSERT OR IGNORE INTO spent_keys (participant_id, idem_key) VALUES (?, ?)",
            (rows[0]["participant_id"], rows[0]["idem_key"]),
        )
        return _record(rows[0])

    async def reorder(
        self, tx: Tx, item_id: int, group_id: int, response_id: int, by: int
    ) -> list[ResponseRecord] | None:
        """Swap a response of a group's list with the one before (-1) or after (1) it; the
        list renumbered, or None when the response is not on it."""
        rows = await tx.fetch_all(
            _RECORD + " WHERE r.item_id = ? AND r.group_id = ? ORDER BY r.position, r.id",
            (item_id, group_id),
        )
        listed = [_record(r) for r in rows]
        ids = [r.id for r in listed]
        if response_id not in ids:
            return None
        here = ids.index(response_id)
        there = here + (1 if by > 0 else -1)
        if 0 <= there < len(ids):
            ids[here], ids[there] = ids[there], ids[here]
        await tx.executemany(
            "UPDATE responses SET position = ? WHERE id = ?",
            [(position, rid) for position, rid in enumerate(ids, start=1)],
        )
        by_id = {r.id: r for r in listed}
        return [replace(by_id[rid], position=position) for position, rid in enumerate(ids, 1)]

    async def set_note(self, tx: Tx, item_id: int, participant_id: int, text: str) -> None:
        await tx.execute(
            "INSERT INTO notes (item_id, participant_id, text, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (item_id, participant_id) DO UPDATE"
            " SET text = excluded.text, updated_at = excluded.updated_at",
            (item_id, participant_id, text, now().isoformat()),
        )
