"""The store: typed async methods over the SQLite file.

``Store`` is the only way the rest of Samling reads or writes data; its parts
(``accounts``, ``programmes``, ``agenda``, ``live``, ``responses``, ``groups``)
each hold one area. Only ``workshop.store.db`` imports aiosqlite.
"""

from __future__ import annotations

from pathlib import Path

from workshop.store.accounts import Accounts, DuplicateUsername
from workshop.store.agenda import Agenda
from workshop.store.db import Database
from workshop.store.groups import Groups
from workshop.store.live import Live
from workshop.store.programmes import Programmes
from workshop.store.responses import Responses, TooManyResponses

__all__ = ["Store", "DuplicateUsername", "TooManyResponses"]


class Store:
    """Samling's data, opened on one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.db = Database(path)
        self.accounts = Accounts(self.db)
        self.programmes = Programmes(self.db)
        self.agenda = Agenda(self.db)
        self.live = Live(self.db)
        self.responses = Responses(self.db)
        self.groups = Groups(self.db)

    async def open(self) -> None:
        """Open the file (creating it) and run any migrations it lacks."""
        await self.db.open()

    async def close(self) -> None:
        await self.db.close()
