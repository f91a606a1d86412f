"""Phones, their responses, and the themes a facilitator sorts responses into.

A response is stored once per idempotency key: the unique constraint on
``(participant_id, idem_key)`` makes a retried POST find the row it already
wrote, whatever happened to the first attempt's answer.
"""

from __future__ import annotations

import json
from typing import Any

from workshop.clock import now
from workshop.kinds import ResponseRecord, Value
from workshop.models import Participant, Theme
from workshop.store.db import Database, Row


def participant_from_row(row: Row) -> Participant:
    return Participant(row["id"], row["session_id"], row["name"], row["group_id"])


class TooManyResponses(Exception):
    """The phone already has as many responses as the exercise allows."""


def _response(row: Row) -> ResponseRecord:
    return ResponseRecord(
        id=row["id"],
        participant_id=row["participant_id"],
        value=json.loads(row["value"]),
        hidden=bool(row["hidden"]),
        highlighted=bool(row["highlighted"]),
        theme_id=row["theme_id"],
        pending=bool(row["pending"]),
        votes=row["votes"] if "votes" in row.keys() else 0,
        group_id=row["group_id"],
        position=row["position"],
    )


#: The columns ``_record`` reads, in its order.
_RECORD = (
    "SELECT r.id, r.participant_id, r.value, r.hidden, r.highlighted, r.theme_id, r.pending,"
    " r.group_id, r.position,"
    " (SELECT count(*) FROM response_votes v WHERE v.response_id = r.id) FROM responses r"
)


def _record(row: tuple[Any, ...]) -> ResponseRecord:
    """A response from a row of ``_RECORD`` (made in the database's thread)."""
    rid, participant_id, value, hidden, highlighted, theme_id, pending, group, place, votes = row
    return ResponseRecord(
        rid,
        participant_id,
        json.loads(value),
        bool(hidden),
        bool(highlighted),
        theme_id,
        bool(pending),
        votes,
        group,
        place,
    )


#: Every response column, and its votes: what ``_response`` reads.
_WITH_VOTES = (
    "SELECT r.*, (SELECT count(*) FROM response_votes v WHERE v.response_id = r.id) AS votes"
    " FROM responses r"
)


class Responses:
    def __init__(self, db: Database) -> None:
        self._db = db

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

    async def submit(
        self,
        item_id: int,
        participant_id: int,
        idem_key: str,
        value: Value,
        limit: int,
        *,
        pending: bool = False,
    ) -> tuple[ResponseRecord, bool]:
        """Store a response once per key; a retry returns the stored row (and False).

        The unique constraint on (participant_id, idem_key) decides what a retry
        is; the phone's limit is part of the same INSERT. Raise TooManyResponses
        when the phone is at its limit with a new key.
        """
        stamp = now().isoformat()
        async with self._db.transaction() as tx:
            new_id = await tx.execute(
                "INSERT INTO responses (item_id, participant_id, idem_key, value, pending,"
                " created_at, updated_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE (SELECT count(*)"
                " FROM responses"
                " WHERE item_id = ? AND participant_id = ?) < ?"
                " ON CONFLICT (participant_id, idem_key) DO NOTHING",
                (
                    item_id,
                    participant_id,
                    idem_key,
                    json.dumps(value, ensure_ascii=False),
                    int(pending),
                    stamp,
                    stamp,
                    item_id,
                    participant_id,
                    limit,
                ),
            )
            inserted = await tx.fetch_one("SELECT changes()")
            row = await tx.fetch_one(
                "SELECT * FROM responses WHERE participant_id = ? AND idem_key = ?",
                (participant_id, idem_key),
            )
        if row is None:
            raise TooManyResponses
        created = bool(inserted and inserted[0]) and row["id"] == new_id
        return _response(row), created

    async def edit(
        self, response_id: int, participant_id: int, value: Value, *, pending: bool = False
    ) -> bool:
        """Change one's own response; False when it is not there (or not theirs).

        A changed text is checked again: ``pending`` holds it back for approval.
        """
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE responses SET value = ?, pending = ?, updated_at = ?"
                " WHERE id = ? AND participant_id = ?",
                (
                    json.dumps(value, ensure_ascii=False),
                    int(pending),
                    now().isoformat(),
                    response_id,
                    participant_id,
                ),
            )
            row = await tx.fetch_one("SELECT changes()")
        return bool(row and row[0])

    async def delete(self, response_id: int, participant_id: int) -> bool:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM responses WHERE id = ? AND participant_id = ?",
                (response_id, participant_id),
            )
            row = await tx.fetch_one("SELECT changes()")
        return bool(row and row[0])

    async def get(self, item_id: int, response_id: int) -> ResponseRecord | None:
        row = await self._db.fetch_one(
            _WITH_VOTES + " WHERE r.id = ? AND r.item_id = ?", (response_id, item_id)
        )
        return _response(row) if row else None

    async def for_item(self, item_id: int) -> list[ResponseRecord]:
        """Every response to an item, oldest first."""
        return await self._db.fetch_all_as(
            _RECORD + " WHERE r.item_id = ? ORDER BY r.id", (item_id,), _record
        )

    async def own(self, item_id: int, participant_id: int) -> list[ResponseRecord]:
        rows = await self._db.fetch_all(
            _WITH_VOTES + " WHERE r.item_id = ? AND r.participant_id = ? ORDER BY r.id",
            (item_id, participant_id),
        )
        return [_response(r) for r in rows]

    async def answered(self, item_id: int) -> int:
        """How many phones have responded to an item."""
        row = await self._db.fetch_one(
            "SELECT count(DISTINCT participant_id) FROM responses WHERE item_id = ?", (item_id,)
        )
        return int(row[0]) if row else 0

    async def mark(
        self,
        item_id: int,
        response_id: int,
        *,
        hidden: bool | None = None,
        highlighted: bool | None = None,
        theme_id: int | None | bool = False,
        pending: bool | None = None,
    ) -> None:
        """The facilitator's marks on a response (theme_id=False leaves the theme)."""
        async with self._db.transaction() as tx:
            if pending is not None:
                await tx.execute(
                    "UPDATE responses SET pending = ? WHERE id = ? AND item_id = ?",
                    (int(pending), response_id, item_id),
                )
            if hidden is not None:
                await tx.execute(
                    "UPDATE responses SET hidden = ? WHERE id = ? AND item_id = ?",
                    (int(hidden), response_id, item_id),
                )
            if highlighted is not None:
                await tx.execute(
                    "UPDATE responses SET highlighted = ? WHERE id = ? AND item_id = ?",
                    (int(highlighted), response_id, item_id),
                )
            if theme_id is not False:
                await tx.execute(
                    "UPDATE responses SET theme_id = ? WHERE id = ? AND item_id = ?"
                    " AND (? IS NULL OR ? IN (SELECT id FROM themes WHERE item_id = ?))",
                    (theme_id, response_id, item_id, theme_id, theme_id, item_id),
                )

    async def approve_all(self, item_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE responses SET pending = 0 WHERE item_id = ? AND pending = 1", (item_id,)
            )

    async def vote(self, item_id: int, response_id: int, participant_id: int, up: bool) -> bool:
        """A phone's vote for a response of an item (or taking it back); False if no such
        response, if it is the phone's own, or if it waits for approval or is hidden."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT participant_id FROM responses WHERE id = ? AND item_id = ?"
                " AND pending = 0 AND hidden = 0",
                (response_id, item_id),
            )
            if row is None or row["participant_id"] == participant_id:
                return False
            if up:
                await tx.execute(
                    "INSERT OR IGNORE INTO response_votes (response_id, participant_id)"
                    " VALUES (?, ?)",
                    (response_id, participant_id),
                )
            else:
                await tx.execute(
                    "DELETE FROM response_votes WHERE response_id = ? AND participant_id = ?",
                    (response_id, participant_id),
                )
        return True

    async def voted(self, item_id: int, participant_id: int) -> list[int]:
        """The responses of an item a phone has voted for."""
        rows = await self._db.fetch_all(
            "SELECT v.response_id FROM response_votes v JOIN responses r"
            " ON r.id = v.response_id WHERE r.item_id = ? AND v.participant_id = ?"
            " ORDER BY v.response_id",
            (item_id, participant_id),
        )
        return [int(r[0]) for r in rows]

    async def add_theme(self, item_id: int, name: str) -> Theme:
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT coalesce(max(position) + 1, 0) FROM themes WHERE item_id = ?", (item_id,)
            )
            new_id = await tx.execute(
                "INSERT INTO themes (item_id, name, position) VALUES (?, ?, ?)",
                (item_id, name, row[0] if row else 0),
            )
        return Theme(new_id, item_id, name)

    async def themes(self, item_id: int) -> list[Theme]:
        rows = await self._db.fetch_all(
            "SELECT * FROM themes WHERE item_id = ? ORDER BY position, id", (item_id,)
        )
        return [Theme(r["id"], r["item_id"], r["name"]) for r in rows]

    async def delete_theme(self, item_id: int, theme_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM themes WHERE id = ? AND item_id = ?", (theme_id, item_id))

    async def curation(self, item_id: int) -> dict[str, Any]:
        """The facilitator's curation of an item's responses (empty when none)."""
        row = await self._db.fetch_one(
            "SELECT data FROM item_curation WHERE item_id = ?", (item_id,)
        )
        data: dict[str, Any] = json.loads(row["data"]) if row else {}
        return data

    async def set_curation(self, item_id: int, data: dict[str, Any]) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO item_curation (item_id, data) VALUES (?, ?)"
                " ON CONFLICT (item_id) DO UPDATE SET data = excluded.data",
                (item_id, json.dumps(data, ensure_ascii=False)),
            )
