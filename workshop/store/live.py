"""A session's live state: its join code, the current item, timers and switches."""

from __future__ import annotations

import secrets
import sqlite3

from workshop.clock import Timer, now
from workshop.models import JoinBanner, PresentView, Session
from workshop.store.db import Database, Tx
from workshop.store.programmes import session_from_row


def _new_code() -> str:
    # Eight digits, never starting with 0 so nobody drops a leading zero.
    return str(10_000_000 + secrets.randbelow(90_000_000))


async def _stamp_current(tx: Tx, session_id: int) -> None:
    """The current item's actual start is the first moment it was current."""
    await tx.execute(
        "UPDATE agenda_items SET actual_start = coalesce(actual_start, ?)"
        " WHERE id = (SELECT current_item_id FROM sessions WHERE id = ?)",
        (now().isoformat(), session_id),
    )


async def _results_as_item_says(tx: Tx, session_id: int) -> None:
    """Results show on the presenter unless the current item hides them until revealed."""
    await tx.execute(
        "UPDATE sessions SET results_visible = NOT coalesce((SELECT json_extract(settings,"
        " '$.hide_results') FROM agenda_items WHERE id = sessions.current_item_id), 0)"
        " WHERE id = ?",
        (session_id,),
    )


class Live:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def session(self, session_id: int) -> Session | None:
        """A session by id, without an access check (phones and the hub use it)."""
        row = await self._db.fetch_one("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return session_from_row(row) if row else None

    async def by_code(self, code: str) -> Session | None:
        """The live session with that join code, or None."""
        row = await self._db.fetch_one(
            "SELECT * FROM sessions WHERE join_code = ? AND live_state = 'live'", (code,)
        )
        return session_from_row(row) if row else None

    async def is_retired(self, code: str) -> bool:
        row = await self._db.fetch_one("SELECT 1 FROM retired_codes WHERE code = ?", (code,))
        return row is not None

    async def retired_by(self, code: str) -> int | None:
        """The closed session whose join code this was (None: no session's)."""
        row = await self._db.fetch_one(
            "SELECT session_id FROM retired_codes WHERE code = ?", (code,)
        )
        return int(row[0]) if row else None

    async def start(self, session_id: int) -> Session:
        """Open the session for phones: a join code (kept if it has one), the first item."""
        for _attempt in range(50):
            code = _new_code()
            if await self.is_retired(code):
                continue
            try:
                async with self._db.transaction() as tx:
                    had_item = await tx.fetch_one(
                        "SELECT current_item_id IS NOT NULL FROM sessions WHERE id = ?",
                        (session_id,),
                    )
                    await tx.execute(
                        "UPDATE sessions SET join_code = coalesce(join_code, ?),"
                        " live_state = 'live', started_at = coalesce(started_at, ?),"
                        " current_item_id = coalesce(current_item_id, (SELECT id FROM"
                        " agenda_items WHERE session_id = ? ORDER BY position, id LIMIT 1))"
                        " WHERE id = ?",
                        (code, now().isoformat(), session_id, session_id),
                    )
                    if had_item is not None and not had_item[0]:
                        await _results_as_item_says(tx, session_id)
                    await _stamp_current(tx, session_id)
            except sqlite3.IntegrityError:
                continue  # another live session holds that code: draw again
            break
        found = await self.session(session_id)
        assert found is not None
        return found

    async def close(self, tx: Tx, session_id: int) -> None:
        """End the live session: the join code is retired for good; when it closed is kept
        (the record of the day ends its last item there)."""
        await tx.execute(
            "INSERT OR IGNORE INTO retired_codes (code, session_id)"
            " SELECT join_code, id FROM sessions WHERE id = ? AND join_code IS NOT NULL",
            (session_id,),
        )
        await tx.execute(
            "UPDATE sessions SET join_code = NULL, live_state = 'closed', closed_at = ?"
            " WHERE id = ?",
            (now().isoformat(), session_id),
        )

    async def go_to(self, tx: Tx, session_id: int, item_id: int) -> bool:
        """Make an item current (stamping its actual start the first time)."""
        row = await tx.fetch_one(
            "SELECT 1 FROM agenda_items WHERE id = ? AND session_id = ?", (item_id, session_id)
        )
        if row is None:
            return False
        # Another item: the presenter shows its result (not the last item's themes view)
        # and pages through it again, from its first page.
        await tx.execute(
            "UPDATE sessions SET current_item_id = ?, present_view = 'results',"
            " paging_paused = 0, page_turn = 0 WHERE id = ?",
            (item_id, session_id),
        )
        await _results_as_item_says(tx, session_id)
        await _stamp_current(tx, session_id)
        return True

    async def set_switches(
        self,
        tx: Tx,
        session_id: int,
        *,
        results_visible: bool | None = None,
        responses_locked: bool | None = None,
        join_banner: JoinBanner | None = None,
        present_view: PresentView | None = None,
        paging_paused: bool | None = None,
    ) -> None:
        """The session's switches (None leaves one as it is)."""
        await tx.execute(
            "UPDATE sessions SET results_visible = coalesce(?, results_visible),"
            " responses_locked = coalesce(?, responses_locked),"
            " join_banner = coalesce(?, join_banner), present_view = coalesce(?, present_view),"
            " paging_paused = coalesce(?, paging_paused) WHERE id = ?",
            (
                None if results_visible is None else int(results_visible),
                None if responses_locked is None else int(responses_locked),
                join_banner,
                present_view,
                None if paging_paused is None else int(paging_paused),
                session_id,
            ),
        )

    async def turn_page(self, tx: Tx, session_id: int, by: int) -> None:
        """The facilitator turns the presenter's page by hand: the next (1) or previous (-1)."""
        await tx.execute(
            "UPDATE sessions SET page_turn = page_turn + ? WHERE id = ?", (by, session_id)
        )

    async def set_timer(
        self, tx: Tx, session_id: int, item_id: int, timer: Timer, phase: int | None = None
    ) -> None:
        """An item's timer (and, for an exercise in phases, the phase it counts down)."""
        await tx.execute(
            "UPDATE agenda_items SET timer_ends_at = ?, timer_paused_ms = ?,"
            " phase = coalesce(?, phase) WHERE id = ? AND session_id = ?",
            (
                timer.ends_at.isoformat() if timer.ends_at else None,
                timer.paused_ms,
                phase,
                item_id,
                session_id,
            ),
        )
