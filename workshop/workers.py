"""CPU work off the event loop: a small pool of worker processes.

A thread would still hold the GIL while pure-Python work (QR codes, word-cloud
layout, exports) runs, and every phone would wait; a process does not.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class Workers:
    def __init__(self, processes: int = 1, *, nice: int = 0) -> None:
        self.processes = processes
        #: How much lower than the server the workers run (an export gives way to a live
        #: session's phones on a busy machine).
        self.nice = nice
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """Run a picklable function in a worker process and await its result."""
        if self._pool is None:
            # spawn: a fork of a running event loop (threads, sockets) is unsafe.
            self._pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
                initargs=(self.nice,),
            )
        return await asyncio.get_running_loop().run_in_executor(self._pool, func, *args)

    async def close(self) -> None:
        """Stop the workers and wait for them (in a thread): a pool left to the end of the
        process leaks its semaphores (the resource tracker warns of them)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


def _lower_priority(by: int) -> None:
    """A worker's first step: run ``by`` steps nicer than the server (0: as the server)."""
    if by:
        os.nice(by)
