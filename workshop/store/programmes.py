"""Programmes, who facilitates them, and their sessions.

Every read takes the asking facilitator's id, so a programme or session that
is not theirs is simply not found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from workshop.models import Facilitator, Programme, Session
from workshop.store.db import Database, Row


def _programme(row: Row) -> Programme:
    return Programme(
        id=row["id"],
        title=row["title"],
        client=row["client"],
        role=row["role"],
        language=row["language"],
    )


def session_from_row(row: Row) -> Session:
    date = dt.date.fromisoformat(row["date"]) if row["date"] else None
    return Session(
        id=row["id"],
        programme_id=row["programme_id"],
        title=row["title"],
        date=date,
        place=row["place"],
        join_code=row["join_code"],
        live_state=row["live_state"],
        current_item_id=row["current_item_id"],
        results_visible=bool(row["results_visible"]),
        responses_locked=bool(row["responses_locked"]),
        join_banner=row["join_banner"],
        present_view=row["present_view"],
        paging_paused=bool(row["paging_paused"]),
        page_turn=row["page_turn"],
        language=row["language"],
    )


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


class Programmes:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        owner_id: int,
        title: str,
        client: str,
        blocklist: Sequence[str] = (),
        language: str = "nb",
    ) -> Programme:
        async with self._db.transaction() as tx:
            new_id = await tx.execute(
                "INSERT INTO programmes (title, client, blocklist, language, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    title,
                    client,
                    "\n".join(blocklist),
                    language,
                    dt.datetime.now(dt.UTC).isoformat(),
                ),
            )
            await tx.execute(
                "INSERT INTO programme_facilitators VALUES (?, ?, 'owner')", (new_id, owner_id)
            )
        return Programme(new_id, title, client, "owner", language)

    async def visible_to(self, facilitator_id: int) -> list[Programme]:
        """The programmes a facilitator owns or co-facilitates, newest first."""
        rows = await self._db.fetch_all(
            "SELECT p.*, pf.role FROM programmes p JOIN programme_facilitators pf"
            " ON pf.programme_id = p.id WHERE pf.facilitator_id = ? ORDER BY p.id DESC",
            (facilitator_id,),
        )
        return [_programme(r) for r in rows]

    async def get(self, facilitator_id: int, programme_id: int) -> Programme | None:
        row = await self._db.fetch_one(
            "SELECT p.*, pf.role FROM programmes p JOIN programme_facilitators pf"
            " ON pf.programme_id = p.id WHERE pf.facilitator_id = ? AND p.id = ?",
            (facilitator_id, programme_id),
        )
        return _programme(row) if row else None

    async def update(self, programme_id: int, title: str, client: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE programmes SET title = ?, client = ? WHERE id = ?",
                (title, client, programme_id),
            )

    async def set_language(self, programme_id: int, language: str) -> None:
        """The programme's participants' language."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE programmes SET language = ? WHERE id = ?", (language, programme_id)
            )

    async def language(self, programme_id: int) -> str:
        """The programme's participants' language (bokmål when there is no such programme)."""
        row = await self._db.fetch_one(
            "SELECT language FROM programmes WHERE id = ?", (programme_id,)
        )
        return str(row["language"]) if row else "nb"

    async def set_session_language(self, session_id: int, language: str) -> None:
        """A session's own participants' language ('': its programme's)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE sessions SET language = ? WHERE id = ?", (language, session_id)
            )

    async def blocklist(self, programme_id: int) -> list[str]:
        """The programme's blocked words and phrases, one per line as saved."""
        row = await self._db.fetch_one(
            "SELECT blocklist FROM programmes WHERE id = ?", (programme_id,)
        )
        return [line for line in (row["blocklist"] if row else "").split("\n") if line]

    async def set_blocklist(self, programme_id: int, lines: Sequence[str]) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE programmes SET blocklist = ? WHERE id = ?",
                ("\n".join(lines), programme_id),
            )

    async def delete(self, programme_id: int) -> None:
        """Delete a programme with its sessions and everything in them."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM programmes WHERE id = ?", (programme_id,))

    async def facilitators(self, programme_id: int) -> list[tuple[Facilitator, str]]:
        """Everyone who facilitates a programme, with their role; the owner first."""
        rows = await self._db.fetch_all(
            "SELECT f.*, pf.role FROM facilitators f JOIN programme_facilitators pf"
            " ON pf.facilitator_id = f.id WHERE pf.programme_id = ?"
            " ORDER BY pf.role DESC, f.display_name",
            (programme_id,),
        )
        return [
            (Facilitator(r["id"], r["username"], r["display_name"], r["language"]), r["role"])
            for r in rows
        ]

    async def add_cofacilitator(self, programme_id: int, facilitator_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO programme_facilitators VALUES (?, ?, 'co')",
                (programme_id, facilitator_id),
            )

    async def remove_cofacilitator(self, programme_id: int, facilitator_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM programme_facilitators"
                " WHERE programme_id = ? AND facilitator_id = ? AND role = 'co'",
                (programme_id, facilitator_id),
            )

    async def create_session(
        self, programme_id: int, title: str, date: dt.date | None, place: str
    ) -> Session:
        async with self._db.transaction() as tx:
            new_id = await tx.execute(
                "INSERT INTO sessions (programme_id, title, date, place, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (programme_id, title, _iso(date), place, dt.datetime.now(dt.UTC).isoformat()),
            )
        return Session(new_id, programme_id, title, date, place)

    async def sessions(self, programme_id: int) -> list[Session]:
        """A programme's sessions by date (undated last), then by creation."""
        rows = await self._db.fetch_all(
            "SELECT * FROM sessions WHERE programme_id = ? ORDER BY date IS NULL, date, id",
            (programme_id,),
        )
        return [session_from_row(r) for r in rows]

    async def session(
        self, facilitator_id: int, session_id: int
    ) -> tuple[Session, Programme] | None:
        """A session and its programme, if the facilitator may see it."""
        row = await self._db.fetch_one("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if row is None:
            return None
        programme = await self.get(facilitator_id, row["programme_id"])
        return (session_from_row(row), programme) if programme else None

    async def update_session(
        self, session_id: int, title: str, date: dt.date | None, place: str
    ) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE sessions SET title = ?, date = ?, place = ? WHERE id = ?",
                (title, _iso(date), place, session_id),
            )

    async def delete_session(self, session_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    async def session_exists(self, session_id: int) -> bool:
        """Whether a session exists (the command line acts without a login)."""
        row = await self._db.fetch_one("SELECT 1 FROM sessions WHERE id = ?", (session_id,))
        return row is not None

    async def programme_exists(self, programme_id: int) -> bool:
        """Whether a programme exists (the command line acts without a login)."""
        row = await self._db.fetch_one("SELECT 1 FROM programmes WHERE id = ?", (programme_id,))
        return row is not None
