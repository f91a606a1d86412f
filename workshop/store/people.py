"""People across a programme's sessions: what links a phone's participants, for the notes
only they read (kinds that follow the phone: private reflections).

A phone's device cookie names its person; a recovery code (kept as a digest) lets the
same person on another device claim that person. Nothing here is ever read for a
facilitator: the facilitator's pages and exports never name a person.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence

from workshop import recovery
from workshop.clock import now
from workshop.kinds import OwnNote
from workshop.store.db import Database, Tx

_NOTES = (
    "SELECT s.id, s.title, s.date, i.id, i.title, i.settings, r.value, r.updated_at"
    " FROM responses r"
    " JOIN participants p ON p.id = r.participant_id"
    " JOIN sessions s ON s.id = p.session_id"
    " JOIN agenda_items i ON i.id = r.item_id"
    " WHERE (p.id = ? OR (p.person_id = ? AND s.programme_id = ?))"
    " AND i.exercise_kind IN ({kinds}) AND r.pending = 0"
    " ORDER BY coalesce(s.date, ''), s.id, i.position, r.id"
)


class People:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ensure(self, person_id: int | None) -> int:
        """The person a device cookie names, if there is such a person; else a new one."""
        async with self._db.transaction() as tx:
            if person_id is not None:
                row = await tx.fetch_one("SELECT id FROM people WHERE id = ?", (person_id,))
                if row is not None:
                    return int(row[0])
            return await tx.execute(
                "INSERT INTO people (created_at) VALUES (?)", (now().isoformat(),)
            )

    async def link(self, participant_id: int, person_id: int) -> None:
        """A new participant is this person (their device joined another session)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE participants SET person_id = ? WHERE id = ?", (person_id, participant_id)
            )

    async def issue(self, tx: Tx, participant_id: int, *, again: bool = False) -> str | None:
        """A recovery code for the participant's person, the first time (None: the person
        has one already), or ``again``: a new one in place of the one before. Only its
        digest is kept: the caller shows the code to the phone."""
        row = await tx.fetch_one(
            "SELECT p.person_id, h.code_hash FROM participants p"
            " LEFT JOIN people h ON h.id = p.person_id WHERE p.id = ?",
            (participant_id,),
        )
        if row is None or (row[1] is not None and not again):
            return None
        person = row[0]
        if person is None:
            person = await tx.execute(
                "INSERT INTO people (created_at) VALUES (?)", (now().isoformat(),)
            )
            await tx.execute(
                "UPDATE participants SET person_id = ? WHERE id = ?", (person, participant_id)
            )
        for _attempt in range(5):
            code = recovery.new_code()
            try:
                await tx.execute(
                    "UPDATE people SET code_hash = ? WHERE id = ? AND (? OR code_hash IS NULL)",
                    (recovery.digest(code), person, again),
                )
            except sqlite3.IntegrityError:  # another person's code: draw again
                continue
            return code if await tx.changed() else None
        return None

    async def claim(self, tx: Tx, participant_id: int, code: str) -> int | None:
        """The participant becomes the person the recovery code was given to (None: no
        person has that code)."""
        if recovery.normalise(code) is None:
            return None
        row = await tx.fetch_one(
            "SELECT id FROM people WHERE code_hash = ?", (recovery.digest(code),)
        )
        if row is None:
            return None
        await tx.execute(
            "UPDATE participants SET person_id = ? WHERE id = ?", (row[0], participant_id)
        )
        return int(row[0])

    async def person_of(self, participant_id: int) -> int | None:
        row = await self._db.fetch_one(
            "SELECT person_id FROM participants WHERE id = ?", (participant_id,)
        )
        return int(row[0]) if row is not None and row[0] is not None else None

    async def has_code(self, participant_id: int) -> bool:
        """Whether the participant's person has been given a recovery code."""
        row = await self._db.fetch_one(
            "SELECT h.code_hash IS NOT NULL FROM participants p"
            " JOIN people h ON h.id = p.person_id WHERE p.id = ?",
            (participant_id,),
        )
        return bool(row and row[0])

    async def notes(
        self, participant_id: int, session_id: int, programme_id: int, kinds: Sequence[str]
    ) -> list[OwnNote]:
        """The participant's own responses to items of these kinds, and its person's in the
        programme's other sessions, oldest session first."""
        if not kinds:
            return []
        person = await self.person_of(participant_id)
        sql = _NOTES.format(kinds=", ".join("?" for _ in kinds))
        rows = await self._db.fetch_all(
            sql, (participant_id, person if person is not None else -1, programme_id, *kinds)
        )
        return [
            OwnNote(
                session_id=row[0],
                session_title=row[1],
                session_date=dt.date.fromisoformat(row[2]) if row[2] else None,
                item_id=row[3],
                item_title=row[4],
                settings=json.loads(row[5]),
                value=json.loads(row[6]),
                written_at=dt.datetime.fromisoformat(row[7]),
                earlier=row[0] != session_id,
            )
            for row in rows
        ]
