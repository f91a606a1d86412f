#!/usr/bin/env python3
"""How many small write transactions per second the store commits (synchronous=FULL).

Run: ``make bench`` (or ``.venv/bin/python bench/store_writes.py [N]``). It
writes N agenda items one transaction each, from 20 concurrent tasks, on a
temporary file, and prints commits per second and the p50/p99 commit latency.
The live loop's answers are such writes: this is the ceiling they sit under.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop.models import ItemFields  # noqa: E402
from workshop.store import Store  # noqa: E402


async def main(total: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        await store.open()
        owner = await store.accounts.create("bench", "Bench", "x", "en")
        programme = await store.programmes.create(owner.id, "Bench", "")
        session = await store.programmes.create_session(programme.id, "Bench", None, "")
        latencies: list[float] = []

        async def writer(count: int) -> None:
            for i in range(count):
                started = time.perf_counter()
                await store.agenda.add(session.id, ItemFields(f"Item {i}", 5))
                latencies.append(time.perf_counter() - started)

        tasks = 20
        started = time.perf_counter()
        await asyncio.gather(*(writer(total // tasks) for _ in range(tasks)))
        elapsed = time.perf_counter() - started
        await store.close()
    latencies.sort()
    done = len(latencies)
    print(f"{done} commits in {elapsed:.2f} s: {done / elapsed:.0f} commits/s")
    print(
        f"latency p50 {statistics.median(latencies) * 1000:.2f} ms,"
        f" p99 {latencies[int(done * 0.99) - 1] * 1000:.2f} ms (20 concurrent writers)"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
