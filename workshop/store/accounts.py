"""Facilitator accounts, their login sessions, and the app's own secrets."""

from __future__ import annotations

import datetime as dt
import sqlite3

from workshop.models import Facilitator, Login
from workshop.store.db import Database, Row


class DuplicateUsername(Exception):
    """A facilitator with that username already exists."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _facilitator(row: Row) -> Facilitator:
    return Facilitator(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        language=row["language"],
    )


class Accounts:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self, username: str, display_name: str, password_hash: str, language: str
    ) -> Facilitator:
        """Add a facilitator; raise DuplicateUsername if the name is taken (any case)."""
        try:
            async with self._db.transaction() as tx:
                new_id = await tx.execute(
                    "INSERT INTO facilitators (username, display_name, password_hash,"
                    " language, created_at) VALUES (?, ?, ?, ?, ?)",
                    (username, display_name, password_hash, language, _now().isoformat()),
                )
        except sqlite3.IntegrityError as exc:
            raise DuplicateUsername(username) from exc
        return Facilitator(new_id, username, display_name, language)

    async def count(self) -> int:
        row = await self._db.fetch_one("SELECT count(*) FROM facilitators")
        return int(row[0]) if row else 0

    async def by_username(self, username: str) -> tuple[Facilitator, str] | None:
        """The facilitator and their password hash, or None."""
        row = await self._db.fetch_one("SELECT * FROM facilitators WHERE username = ?", (username,))
        return (_facilitator(row), row["password_hash"]) if row else None

    async def get(self, facilitator_id: int) -> Facilitator | None:
        row = await self._db.fetch_one("SELECT * FROM facilitators WHERE id = ?", (facilitator_id,))
        return _facilitator(row) if row else None

    async def password_hash(self, facilitator_id: int) -> str | None:
        row = await self._db.fetch_one(
            "SELECT password_hash FROM facilitators WHERE id = ?", (facilitator_id,)
        )
        return str(row[0]) if row else None

    async def set_password(self, facilitator_id: int, password_hash: str) -> None:
        """Store a new hash and end every login session of that facilitator."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE facilitators SET password_hash = ? WHERE id = ?",
                (password_hash, facilitator_id),
            )
            await tx.execute("DELETE FROM logins WHERE facilitator_id = ?", (facilitator_id,))

    async def set_language(self, facilitator_id: int, language: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE facilitators SET language = ? WHERE id = ?", (language, facilitator_id)
            )

    async def start_login(
        self, facilitator_id: int, token_hash: str, csrf_token: str, lifetime: dt.timedelta
    ) -> None:
        now = _now()
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM logins WHERE expires_at < ?", (now.isoformat(),))
            await tx.execute(
                "INSERT INTO logins (token_hash, facilitator_id, csrf_token, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?)",
                (
                    token_hash,
                    facilitator_id,
                    csrf_token,
                    now.isoformat(),
                    (now + lifetime).isoformat(),
                ),
            )

    async def login(self, token_hash: str) -> Login | None:
        """The live login session with that token hash, or None when unknown or expired."""
        row = await self._db.fetch_one(
            "SELECT f.*, l.csrf_token FROM logins l JOIN facilitators f"
            " ON f.id = l.facilitator_id WHERE l.token_hash = ? AND l.expires_at > ?",
            (token_hash, _now().isoformat()),
        )
        if row is None:
            return None
        return Login(_facilitator(row), token_hash, row["csrf_token"])

    async def end_login(self, token_hash: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM logins WHERE token_hash = ?", (token_hash,))

    async def secret(self, name: str, make: str) -> str:
        """The stored secret called name; store ``make`` first if there is none."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO app_secrets (name, value) VALUES (?, ?)", (name, make)
            )
            row = await tx.fetch_one("SELECT value FROM app_secrets WHERE name = ?", (name,))
        assert row is not None
        return str(row[0])
