"""Phones, their responses, votes, notes, curation, and the themes responses are sorted into.

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

import json
from dataclasses import replace
from typing import Any, Literal

from workshop.clock import now
from workshop.kinds import ResponseRecord, Value
from workshop.models import Participant, Theme
from workshop.store.db import Database, Row, Tx


def participant_from_row(row: Row) -> Participant:
    return Participant(row["id"], row["session_id"], row["name"], row["group_id"])


class TooManyResponses(Exception):
    """The phone already has as many responses as the exercise allows."""


#: The columns ``_record`` reads, in its order (``RETURNING`` lists the same, without votes).
_COLUMNS = (
    "id, participant_id, value, hidden, highlighted, theme_id, pending, group_id, position, version"
)
_RECORD = (
    "SELECT r.id, r.participant_id, r.value, r.hidden, r.highlighted, r.theme_id, r.pending,"
    " r.group_id, r.position, r.version,"
    " (SELECT count(*) FROM response_votes v WHERE v.response_id = r.id), r.idem_key"
    " FROM responses r"
)


def _record(row: tuple[Any, ...] | Row) -> ResponseRecord:
    """A response from a row of ``_RECORD`` or of a ``RETURNING`` of ``_COLUMNS``."""
    votes = row[10] if len(row) > 10 else 0
    return ResponseRecord(
        id=row[0],
        participant_id=row[1],
        value=json.loads(row[2]),
        hidden=bool(row[3]),
        highlighted=bool(row[4]),
        theme_id=row[5],
        pending=bool(row[6]),
        votes=votes,
        group_id=row[7],
        position=row[8],
        version=row[9],
    )


#: ``_RECORD`` with the item's id last.
_RECORD_AND_ITEM = _RECORD.replace(", r.idem_key FROM", ", r.idem_key, r.item_id FROM")


def _keyed(row: tuple[Any, ...]) -> tuple[ResponseRecord, str]:
    return _record(row), str(row[11])


def _json(value: Value) -> str:
    return json.dumps(value, ensure_ascii=False)


Refusal = Literal["moved", "locked", "limit"]


class Responses:
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

    async def votes(self, item_id: int) -> list[tuple[int, int]]:
        """Every vote on an item's responses: (phone, response)."""
        rows = await self._db.fetch_all(
            "SELECT v.participant_id, v.response_id FROM response_votes v"
            " JOIN responses r ON r.id = v.response_id WHERE r.item_id = ?",
            (item_id,),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def themes(self, item_id: int) -> list[Theme]:
        rows = await self._db.fetch_all(
            "SELECT * FROM themes WHERE item_id = ? ORDER BY position, id", (item_id,)
        )
        return [Theme(r["id"], r["item_id"], r["name"]) for r in rows]

    async def curation(self, item_id: int) -> dict[str, Any]:
        """The facilitator's curation of an item's responses (empty when none)."""
        row = await self._db.fetch_one(
            "SELECT data FROM item_curation WHERE item_id = ?", (item_id,)
        )
        data: dict[str, Any] = json.loads(row["data"]) if row else {}
        return data

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
    ) -> ResponseRecord | None:
        """Insert a response if its item is current, answers are open and the phone is
        under its limit; None when it was not (see :meth:`why_not`). A response with
        ``group_id`` goes at the end of that group's list. ``after_close``: the item stays
        open after its session closed (the session must be closed, the item its)."""
        stamp = now().isoformat()
        rows = await tx.fetch_all(
            "INSERT INTO responses (item_id, participant_id, idem_key, value, pending, group_id,"
            " position, created_at, updated_at)"
            " SELECT ?, ?, ?, ?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE (SELECT"
            " coalesce(max(position), 0) + 1 FROM responses WHERE item_id = ? AND group_id = ?)"
            " END, ?, ?"
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
            " RETURNING " + _COLUMNS + ", idem_key",
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

    async def set_vote(
        self, tx: Tx, item_id: int, response_id: int, participant_id: int, up: bool
    ) -> bool:
        """A phone's vote for a response of an item (or taking it back); False if no such
        response, if it is the phone's own, or if it waits for approval or is hidden."""
        row = await tx.fetch_one(
            "SELECT participant_id FROM responses WHERE id = ? AND item_id = ?"
            " AND pending = 0 AND hidden = 0",
            (response_id, item_id),
        )
        if row is None or row["participant_id"] == participant_id:
            return False
        if up:
            await tx.execute(
                "INSERT OR IGNORE INTO response_votes (response_id, participant_id) VALUES (?, ?)",
                (response_id, participant_id),
            )
        else:
            await tx.execute(
                "DELETE FROM response_votes WHERE response_id = ? AND participant_id = ?",
                (response_id, participant_id),
            )
        return True

    async def mark(
        self,
        tx: Tx,
        item_id: int,
        response_id: int,
        *,
        hidden: bool | None = None,
        highlighted: bool | None = None,
        pending: bool | None = None,
        theme_id: int | None | bool = False,
    ) -> ResponseRecord | None:
        """The facilitator's marks on a response (theme_id=False leaves the theme); a theme
        must be one of the item's. The response as it is now, or None if there is none."""
        rows = await tx.fetch_all(
            "UPDATE responses SET pending = coalesce(?, pending), hidden = coalesce(?, hidden),"
            " highlighted = coalesce(?, highlighted),"
            " theme_id = CASE WHEN ? THEN theme_id WHEN ? IS NULL THEN NULL"
            " WHEN ? IN (SELECT id FROM themes WHERE item_id = ?) THEN ? ELSE theme_id END"
            " WHERE id = ? AND item_id = ? RETURNING " + _COLUMNS,
            (
                None if pending is None else int(pending),
                None if hidden is None else int(hidden),
                None if highlighted is None else int(highlighted),
                int(theme_id is False),
                None if theme_id is False else theme_id,
                theme_id,
                item_id,
                theme_id,
                response_id,
                item_id,
            ),
        )
        return _record(rows[0]) if rows else None

    async def approve_all(self, tx: Tx, item_id: int) -> list[ResponseRecord]:
        """Approve every response of the item waiting for approval; the ones approved."""
        rows = await tx.fetch_all(
            "UPDATE responses SET pending = 0 WHERE item_id = ? AND pending = 1"
            " RETURNING " + _COLUMNS,
            (item_id,),
        )
        return [_record(r) for r in rows]

    async def set_curation(self, tx: Tx, item_id: int, data: dict[str, Any]) -> None:
        await tx.execute(
            "INSERT INTO item_curation (item_id, data) VALUES (?, ?)"
            " ON CONFLICT (item_id) DO UPDATE SET data = excluded.data",
            (item_id, json.dumps(data, ensure_ascii=False)),
        )

    async def set_note(self, tx: Tx, item_id: int, participant_id: int, text: str) -> None:
        await tx.execute(
            "INSERT INTO notes (item_id, participant_id, text, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (item_id, participant_id) DO UPDATE"
            " SET text = excluded.text, updated_at = excluded.updated_at",
            (item_id, participant_id, text, now().isoformat()),
        )

    async def add_theme(self, tx: Tx, item_id: int, name: str) -> Theme:
        row = await tx.fetch_one(
            "SELECT coalesce(max(position) + 1, 0) FROM themes WHERE item_id = ?", (item_id,)
        )
        new_id = await tx.execute(
            "INSERT INTO themes (item_id, name, position) VALUES (?, ?, ?)",
            (item_id, name, row[0] if row else 0),
        )
        return Theme(new_id, item_id, name)

    async def delete_theme(self, tx: Tx, item_id: int, theme_id: int) -> bool:
        rows = await tx.fetch_all(
            "DELETE FROM themes WHERE id = ? AND item_id = ? RETURNING id", (theme_id, item_id)
        )
        return bool(rows)
