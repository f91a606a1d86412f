"""A deliberately broken server for the kill test: it acknowledges answers before commit.

It runs the real run.py, with the store's ``submit`` replaced by one that
answers at once and writes a moment later. The kill test runs its harness
against this server to show that the harness catches exactly that mistake.
"""

from __future__ import annotations

import asyncio
import runpy
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from workshop.kinds import ResponseRecord  # noqa: E402
from workshop.store.responses import Responses  # noqa: E402

_commit = Responses.submit
_pending: set[asyncio.Task[Any]] = set()


async def _acknowledge_first(
    self: Responses,
    item_id: int,
    participant_id: int,
    idem_key: str,
    value: Any,
    limit: int,
    **kwargs: Any,
) -> Any:
    async def later() -> None:
        await asyncio.sleep(0.3)
        await _commit(self, item_id, participant_id, idem_key, value, limit, **kwargs)

    task = asyncio.get_running_loop().create_task(later())
    _pending.add(task)
    task.add_done_callback(_pending.discard)
    return ResponseRecord(0, participant_id, value), True


Responses.submit = _acknowledge_first  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.argv = [str(ROOT / "run.py"), *sys.argv[1:]]
    runpy.run_path(str(ROOT / "run.py"), run_name="__main__")
