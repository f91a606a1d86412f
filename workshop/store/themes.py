"""The themes a facilitator sorts an item's responses into."""

from __future__ import annotations

from workshop.models import Theme
from workshop.store.db import Database, Tx


class Themes:
    """The themes part of ``Responses`` (``store.responses.themes``, ``.add_theme``...)."""

    _db: Database

    async def themes(self, item_id: int) -> list[Theme]:
        rows = await self._db.fetch_all(
            "SELECT * FROM themes WHERE item_id = ? ORDER BY position, id", (item_id,)
        )
        return [Theme(r["id"], r["item_id"], r["name"]) for r in rows]

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
