"""Phones' votes for an item's responses."""

from __future__ import annotations

from workshop.store.db import Database, Tx


class Votes:
    """The votes part of ``Responses`` (``store.responses.votes``, ``.set_vote``)."""

    _db: Database

    async def votes(self, item_id: int) -> list[tuple[int, int]]:
        """Every vote on an item's responses: (phone, response)."""
        rows = await self._db.fetch_all(
            "SELECT v.participant_id, v.response_id FROM response_votes v"
            " JOIN responses r ON r.id = v.response_id WHERE r.item_id = ?",
            (item_id,),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

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
