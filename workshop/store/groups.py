"""Groups, the phones in them, and the roles handed out in them.

A programme has named network groups that last all its sessions
(``session_id`` NULL). A session can also have groups of its own, formed on
the spot among the phones present; when it has, they are the session's groups
instead of the programme's. A phone (participant) is in at most one group. A
group's list (group work) is made of responses with its ``group_id`` and a
``position`` (see ``workshop.store.responses``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workshop.clock import now
from workshop.models import Group, Participant
from workshop.store.db import Database, Row, Tx
from workshop.store.responses import participant_from_row

#: The groups a session's phones are in: its own when it has formed some, else
#: its programme's network groups. Parameters: the session id, twice.
_OF_SESSION = (
    "SELECT g.* FROM groups g JOIN sessions s ON s.id = ?"
    " WHERE (g.session_id = s.id)"
    " OR (g.session_id IS NULL AND g.programme_id = s.programme_id"
    " AND NOT EXISTS (SELECT 1 FROM groups o WHERE o.session_id = ?))"
)


#: Whether a group is one of a session's: the session id twice, then the group id.
_IS_SESSION_GROUP = "SELECT 1 FROM (" + _OF_SESSION + ") g WHERE g.id = ?"  # noqa: S608  # constants
_RENAME = (
    "UPDATE groups SET name = ? WHERE id = ? AND id IN (SELECT g.id FROM ("  # noqa: S608  # constants
    + _OF_SESSION
    + ") g)"
)


def _group(row: Row) -> Group:
    members = tuple(line for line in row["members"].split("\n") if line)
    return Group(row["id"], row["programme_id"], row["session_id"], row["name"], members)


class Groups:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- a programme's network groups --------------------------------------------

    async def of_programme(self, programme_id: int) -> list[Group]:
        rows = await self._db.fetch_all(
            "SELECT * FROM groups WHERE programme_id = ? AND session_id IS NULL"
            " ORDER BY position, id",
            (programme_id,),
        )
        return [_group(r) for r in rows]

    async def create(self, programme_id: int, name: str, members: Sequence[str] = ()) -> Group:
        async with self._db.transaction() as tx:
            new_id = await tx.execute(
                "INSERT INTO groups (programme_id, session_id, name, members, position)"
                " SELECT ?, NULL, ?, ?, coalesce(max(position) + 1, 0) FROM groups"
                " WHERE programme_id = ? AND session_id IS NULL",
                (programme_id, name, "\n".join(members), programme_id),
            )
        return Group(new_id, programme_id, None, name, tuple(members))

    async def update(
        self, programme_id: int, group_id: int, name: str, members: Sequence[str]
    ) -> bool:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE groups SET name = ?, members = ?"
                " WHERE id = ? AND programme_id = ? AND session_id IS NULL",
                (name, "\n".join(members), group_id, programme_id),
            )
            row = await tx.fetch_one("SELECT changes()")
        return bool(row and row[0])

    async def delete(self, programme_id: int, group_id: int) -> bool:
        """Delete a network group; its phones are left without a group."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM groups WHERE id = ? AND programme_id = ? AND session_id IS NULL",
                (group_id, programme_id),
            )
            row = await tx.fetch_one("SELECT changes()")
        return bool(row and row[0])

    # -- a session's groups and phones ---------------------------------------------

    async def of_session(self, session_id: int) -> list[Group]:
        """The groups the session's phones are in (its own, else its programme's)."""
        rows = await self._db.fetch_all(
            _OF_SESSION + " ORDER BY g.position, g.id", (session_id, session_id)
        )
        return [_group(r) for r in rows]

    async def of_session_in(self, tx: Tx, session_id: int) -> list[Group]:
        """The session's groups, as a transaction that is changing them sees them."""
        rows = await tx.fetch_all(
            _OF_SESSION + " ORDER BY g.position, g.id", (session_id, session_id)
        )
        return [_group(r) for r in rows]

    async def form(
        self,
        tx: Tx,
        session_id: int,
        programme_id: int,
        groups: Sequence[tuple[str, Sequence[int]]],
    ) -> None:
        """Replace the session's own groups by these (name, participant ids), at once."""
        await tx.execute("DELETE FROM groups WHERE session_id = ?", (session_id,))
        for position, (name, members) in enumerate(groups):
            group_id = await tx.execute(
                "INSERT INTO groups (programme_id, session_id, name, position) VALUES (?, ?, ?, ?)",
                (programme_id, session_id, name, position),
            )
            await tx.executemany(
                "UPDATE participants SET group_id = ? WHERE id = ? AND session_id = ?",
                [(group_id, pid, session_id) for pid in members],
            )

    async def rename(self, session_id: int, group_id: int, name: str) -> bool:
        """Rename one of the session's groups (formed on the spot, or the programme's)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                _RENAME,
                (name, group_id, session_id, session_id),
            )
            row = await tx.fetch_one("SELECT changes()")
        return bool(row and row[0])

    async def participants(self, session_id: int) -> list[Participant]:
        rows = await self._db.fetch_all(
            "SELECT * FROM participants WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return [participant_from_row(r) for r in rows]

    async def members(self, session_id: int, group_id: int) -> list[Participant]:
        """The phones of one group in a session."""
        rows = await self._db.fetch_all(
            "SELECT * FROM participants WHERE session_id = ? AND group_id = ? ORDER BY id",
            (session_id, group_id),
        )
        return [participant_from_row(r) for r in rows]

    async def join(self, session_id: int, name: str, group_id: int | None) -> Participant:
        """A new phone in a session, in a group of the session (or in none)."""
        async with self._db.transaction() as tx:
            if group_id is not None:
                row = await tx.fetch_one(
                    _IS_SESSION_GROUP,
                    (session_id, session_id, group_id),
                )
                if row is None:
                    group_id = None
            new_id = await tx.execute(
                "INSERT INTO participants (session_id, name, group_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                (session_id, name, group_id, now().isoformat()),
            )
        return Participant(new_id, session_id, name, group_id)

    async def move(self, session_id: int, participant_id: int, group_id: int | None) -> bool:
        """Put a phone of the session in one of its groups (None: in no group)."""
        async with self._db.transaction() as tx:
            if group_id is not None:
                row = await tx.fetch_one(
                    _IS_SESSION_GROUP,
                    (session_id, session_id, group_id),
                )
                if row is None:
                    return False
            await tx.execute(
                "UPDATE participants SET group_id = ? WHERE id = ? AND session_id = ?",
                (group_id, participant_id, session_id),
            )
            row = await tx.fetch_one("SELECT changes()")
        return bool(row and row[0])

    # -- roles and private notes -------------------------------------------------------

    async def roles(self, item_id: int) -> dict[int, int]:
        """Each phone's role (an index into the item's roles) in a group-work item."""
        rows = await self._db.fetch_all(
            "SELECT participant_id, role FROM roles WHERE item_id = ?", (item_id,)
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def set_roles(self, tx: Tx, item_id: int, roles: Mapping[int, int]) -> None:
        """Hand out the roles anew: every earlier role of the item is gone."""
        await tx.execute("DELETE FROM roles WHERE item_id = ?", (item_id,))
        await tx.executemany(
            "INSERT INTO roles (item_id, participant_id, role) VALUES (?, ?, ?)",
            [(item_id, pid, role) for pid, role in roles.items()],
        )

    async def roles_drawn(self, tx: Tx, item_id: int) -> bool:
        """Whether an item's roles have been handed out already."""
        return (
            await tx.fetch_one("SELECT 1 FROM roles WHERE item_id = ? LIMIT 1", (item_id,))
            is not None
        )

    async def notes(self, item_id: int) -> dict[int, str]:
        """Every phone's note for an item (sent back only to each phone itself)."""
        rows = await self._db.fetch_all(
            "SELECT participant_id, text FROM notes WHERE item_id = ? AND text != ''", (item_id,)
        )
        return {int(r[0]): str(r[1]) for r in rows}
