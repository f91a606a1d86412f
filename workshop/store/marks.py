"""The facilitator's marks on responses (hidden, highlighted, approved, theme) and the
curation of an item's responses."""

from __future__ import annotations

import json
from typing import Any

from workshop.kinds import ResponseRecord
from workshop.store.db import Database, Tx
from workshop.store.response_rows import _COLUMNS, _record


class Marks:
    """The marks part of ``Responses`` (``store.responses.mark``, ``.curation``...)."""

    _db: Database

    async def curation(self, item_id: int) -> dict[str, Any]:
        """The facilitator's curation of an item's responses (empty when none)."""
        row = await self._db.fetch_one(
            "SELECT data FROM item_curation WHERE item_id = ?", (item_id,)
        )
        data: dict[str, Any] = json.loads(row["data"]) if row else {}
        return data

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
