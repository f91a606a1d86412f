"""A deliberately broken server for the kill test: it acknowledges answers before commit.

It runs the real run.py, with the database's ``batch`` (through which every phone's
write goes) replaced by one that answers at once, as if the answer were stored, and
runs the real write a moment later. The kill test runs its harness against this
server to show that the harness catches exactly that mistake.
"""

from __future__ import annotations

import asyncio
import runpy
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from workshop.kinds import ResponseRecord  # noqa: E402
from workshop.live.effects import Outcome  # noqa: E402
from workshop.store.db import Database, Tx  # noqa: E402

_commit = Database.batch
_pending: set[asyncio.Task[Any]] = set()


async def _acknowledge_first(self: Database, work: Callable[[Tx], Awaitable[Any]]) -> Any:
    async def later() -> None:
        await asyncio.sleep(0.3)
        await _commit(self, work)

    task = asyncio.get_running_loop().create_task(later())
    _pending.add(task)
    task.add_done_callback(_pending.discard)
    return Outcome(created=ResponseRecord(0, 0, {}))


Database.batch = _acknowledge_first  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.argv = [str(ROOT / "run.py"), *sys.argv[1:]]
    runpy.run_path(str(ROOT / "run.py"), run_name="__main__")
