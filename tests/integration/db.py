"""Reading a test's SQLite file straight, to check what was (or was not) stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

Rows = dict[str, list[tuple[object, ...]]]


def rows(db_path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def one(db_path: Path, sql: str, *args: object) -> object:
    """The first column of the first row (None when there is none)."""
    found = rows(db_path, sql, *args)
    return found[0][0] if found else None


def snapshot(db_path: Path, *, logins: bool = False) -> Rows:
    """Every row of every table (login sessions only when asked for)."""
    where = "name NOT LIKE 'sqlite_%'" + ("" if logins else " AND name != 'logins'")
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                f"SELECT name FROM sqlite_master WHERE type = 'table' AND {where} ORDER BY name"  # noqa: S608
            )
        ]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}  # noqa: S608
    finally:
        conn.close()


def changed(before: Rows, after: Rows) -> list[str]:
    """The tables whose rows differ."""
    return [t for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]


def item_settings(db_path: Path, session_id: int) -> list[tuple[object, dict[str, object]]]:
    """Each agenda item's kind and settings, as stored, in agenda order."""
    found = rows(
        db_path,
        "SELECT exercise_kind, settings FROM agenda_items WHERE session_id = ? ORDER BY position",
        session_id,
    )
    return [(kind, json.loads(str(settings))) for kind, settings in found]
