"""What the record of a day reads: a session's facts and counts, and an item's responses
with when each was sent. Counting never reads a response's text (a private kind's
responses are counted, never read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workshop.kinds import ResponseRecord
from workshop.models import Session
from workshop.store.db import Database
from workshop.store.programmes import session_from_row
from workshop.store.responses import _RECORD, _record


@dataclass(frozen=True)
class SessionFacts:
    """A session as its record names it, and its phones."""

    session: Session
    programme_title: str
    client: str
    started_at: dt.datetime | None
    closed_at: dt.datetime | None
    #: Phones that joined; phones that sent anything.
    joined: int
    answered: int


@dataclass(frozen=True)
class ItemCounts:
    """One item's responses, counted: phones that responded, responses shown, and those
    hidden or waiting for approval (never shown)."""

    phones: int
    shown: int
    hidden: int


@dataclass(frozen=True)
class Sent:
    """A response and when it was first sent (UTC)."""

    response: ResponseRecord
    sent_at: dt.datetime


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _sent(row: tuple[Any, ...]) -> Sent:
    return Sent(_record(row), dt.datetime.fromisoformat(row[13]))


_SENT = _RECORD.replace(", r.idem_key FROM", ", r.idem_key, r.created_at FROM")


class Records:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def session(self, session_id: int) -> SessionFacts | None:
        """A session with its programme's title and client, when it ran, and its phones."""
        row = await self._db.fetch_one(
            "SELECT s.*, p.title AS programme_title, p.client AS programme_client,"
            " (SELECT count(*) FROM participants WHERE session_id = s.id) AS joined,"
            " (SELECT count(DISTINCT r.participant_id) FROM responses r"
            "  JOIN agenda_items a ON a.id = r.item_id WHERE a.session_id = s.id) AS answered"
            " FROM sessions s JOIN programmes p ON p.id = s.programme_id WHERE s.id = ?",
            (session_id,),
        )
        if row is None:
            return None
        return SessionFacts(
            session=session_from_row(row),
            programme_title=row["programme_title"],
            client=row["programme_client"],
            started_at=_when(row["started_at"]),
            closed_at=_when(row["closed_at"]),
            joined=int(row["joined"]),
            answered=int(row["answered"]),
        )

    async def programme(self, programme_id: int) -> tuple[str, str] | None:
        """A programme's title and client (the record's caller has checked access)."""
        row = await self._db.fetch_one(
            "SELECT title, client FROM programmes WHERE id = ?", (programme_id,)
        )
        return (row["title"], row["client"]) if row else None

    async def counts(self, session_id: int) -> dict[int, ItemCounts]:
        """Per item of the session that has responses: its counts (no text is read)."""
        rows = await self._db.fetch_all(
            "SELECT r.item_id, count(DISTINCT r.participant_id),"
            " sum(r.hidden = 0 AND r.pending = 0), sum(r.hidden <> 0 OR r.pending <> 0)"
            " FROM responses r JOIN agenda_items a ON a.id = r.item_id"
            " WHERE a.session_id = ? GROUP BY r.item_id",
            (session_id,),
        )
        return {int(r[0]): ItemCounts(int(r[1]), int(r[2]), int(r[3])) for r in rows}

    async def shown(self, item_id: int) -> list[Sent]:
        """An item's shown responses (neither hidden nor waiting for approval), oldest
        first, each with when it was sent."""
        return await self._db.fetch_all_as(
            _SENT + " WHERE r.item_id = ? AND r.hidden = 0 AND r.pending = 0 ORDER BY r.id",
            (item_id,),
            _sent,
        )
