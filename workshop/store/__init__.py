"""The store: typed async methods over the SQLite file.

``Store`` is the only way the rest of Samling reads or writes data; its parts
(``accounts``, ``programmes``, ``agenda``, ``live``, ``responses``, ``groups``,
``drafts``...) each hold one area. Only ``workshop.store.db`` imports aiosqlite.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from workshop.store.accounts import Accounts, DuplicateUsername
from workshop.store.agenda import Agenda
from workshop.store.db import Database, Tx
from workshop.store.drafts import Drafts
from workshop.store.groups import Groups
from workshop.store.live import Live
from workshop.store.people import People
from workshop.store.programmes import Programmes
from workshop.store.records import Records
from workshop.store.responses import Responses, TooManyResponses

__all__ = ["Store", "DuplicateUsername", "TooManyResponses", "Tx"]

T = TypeVar("T")


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
        self.people = People(self.db)
        self.records = Records(self.db)
        self.drafts = Drafts(self.db)

    async def open(self) -> None:
        """Open the file (creating it) and run any migrations it lacks."""
        await self.db.open()

    async def close(self) -> None:
        await self.db.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One write transaction for several of the parts' writes (they take the ``tx``)."""
        async with self.db.transaction() as tx:
            yield tx

    async def batch(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """``work`` in a transaction shared with the writes that arrive beside it (one
        commit for a room of phones answering at once); the result after the commit."""
        return await self.db.batch(work)
