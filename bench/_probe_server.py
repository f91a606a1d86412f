#!/usr/bin/env python3
"""``run.py`` with probes: the server's event-loop lag and the live core's timings.

Used by ``bench/live_load.py`` and ``bench/word_cloud.py``. Run it as ``run.py``
itself (``.venv/bin/python bench/_probe_server.py serve --db FILE --port N ...``):
it serves exactly as ``run.py serve`` does (its first-start check, the same
uvicorn settings, uvloop and httptools when installed), but the app it serves is
wrapped:

* a task sleeps ``--probe-interval`` seconds in a loop and records how late it
  wakes up: the event loop's lag, sampled inside the server process;
* parts of the live core are timed on their instances (start and duration by
  ``time.monotonic``, one clock for every process of the machine): a room read
  again from the store (``rooms.reload``), the fan-out of a change to every
  socket (``fanout.full`` and the coalesced pushes), the store's group commits
  (``db.batch``, with how many writes each held), the worker jobs, the word
  cloud's ``summarise`` and every audience's renders;
* ``GET /_bench/probe`` answers with everything recorded since the last call, as
  JSON, and starts afresh; ``GET /_bench/gc`` runs a full garbage collection (a
  diagnosis: whether memory held after a burst is garbage waiting for one).

``bench/_probe_server.py --floor FILE.py ARGS...`` runs one of the floors
(``../shared/floors``) unchanged, with the same lag sampler and endpoint
around its app: the floor and the app carry the same probe.

Nothing in the app's behaviour changes; none of this is in the production
packages.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib
import json
import runpy
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from starlette.types import ASGIApp, Receive, Scope, Send

ROOT = Path(__file__).resolve().parent.parent
PROBE_PATH = "/_bench/probe"
GC_PATH = "/_bench/gc"
T = TypeVar("T")


class Probe:
    """An ASGI wrapper: samples the loop's lag while the app's lifespan runs."""

    def __init__(self, app: ASGIApp, interval: float) -> None:
        self.app = app
        self.interval = interval
        self.lag: list[tuple[float, float, float]] = []  # (sleep started, s late, CPU s)
        self.calls: dict[str, list[tuple[float, float, float]]] = {}  # (started, s, CPU s)
        self.sizes: dict[str, list[int]] = {}  # name: sizes (writes per commit)
        self._sampler: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            self._sampler = asyncio.get_running_loop().create_task(self._sample())
            try:
                await self.app(scope, receive, send)
            finally:
                self._sampler.cancel()
            return
        if self._sampler is None:  # a server run without lifespan events
            self._sampler = asyncio.get_running_loop().create_task(self._sample())
        if scope["type"] == "http" and scope["path"] == PROBE_PATH:
            await self._report(send)
            return
        if scope["type"] == "http" and scope["path"] == GC_PATH:
            await self._collect(send)
            return
        await self.app(scope, receive, send)

    async def _sample(self) -> None:
        # With each late wake-up, the CPU the loop's thread spent meanwhile: a stall of the
        # loop's own work shows as much CPU as lateness; the server's core taken by another
        # process (a shared machine) as lateness without CPU.
        while True:
            started, cpu = time.monotonic(), time.thread_time()
            await asyncio.sleep(self.interval)
            late = time.monotonic() - started - self.interval
            self.lag.append((started, late, time.thread_time() - cpu))

    async def _report(self, send: Send) -> None:
        body = json.dumps(
            {"interval": self.interval, "lag": self.lag, "calls": self.calls, "sizes": self.sizes}
        )
        self.lag, self.calls, self.sizes = [], {}, {}
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})

    async def _collect(self, send: Send) -> None:
        """A diagnosis: a full garbage collection now, and what it found."""
        import gc

        started = time.monotonic()
        found = gc.collect()
        body = json.dumps({"collected": found, "seconds": time.monotonic() - started})
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})

    def _record(self, name: str, started: float, cpu: float) -> None:
        took = time.monotonic() - started
        self.calls.setdefault(name, []).append((started, took, time.thread_time() - cpu))

    def timed(self, name: str, func: Callable[..., T]) -> Callable[..., T]:
        """A synchronous function, timed (it holds the event loop for all of it)."""

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> T:
            started, cpu = time.monotonic(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                self._record(name, started, cpu)

        return timed

    def timed_async(
        self, name: str | Callable[..., str], func: Callable[..., Awaitable[T]]
    ) -> Callable[..., Awaitable[T]]:
        """A coroutine function, timed from call to result (wall time, awaits included)."""

        @functools.wraps(func)
        async def timed(*args: Any, **kwargs: Any) -> T:
            started, cpu = time.monotonic(), time.thread_time()
            try:
                return await func(*args, **kwargs)
            finally:
                self._record(name(*args) if callable(name) else name, started, cpu)

        return timed

    def wrap(self, owner: object, method: str, name: str, *, is_async: bool = False) -> None:
        """Time ``owner.method`` on the instance, if it has one (the app moves on)."""
        func = getattr(owner, method, None)
        if func is None:
            return
        wrapped = self.timed_async(name, func) if is_async else self.timed(name, func)
        setattr(owner, method, wrapped)


def _instrument(app: Any, probe: Probe) -> None:
    """Time the live core's parts by wrapping them on their instances."""
    services = app.state.services
    core = services.live.core
    probe.wrap(core.rooms, "reload", "rooms.reload", is_async=True)
    fanout = core.fanout
    for method in ("full", "results_now", "_counts", "_to_group", "to_phone", "first_for_phone"):
        probe.wrap(fanout, method, f"fanout.{method.lstrip('_')}")
    probe.wrap(
        services.store.responses, "keyed_for_item", "responses.keyed_for_item", is_async=True
    )
    _instrument_batches(services.store.db, probe)
    workers = getattr(core.drawings, "workers", None)
    if workers is not None:
        name_of = lambda func, *_args: f"worker {getattr(func, '__name__', func)}"  # noqa: E731
        setattr(workers, "run", probe.timed_async(name_of, workers.run))  # noqa: B010
    cloud = services.kinds.get("word_cloud")
    if cloud is not None:
        cloud.summarise = probe.timed("word_cloud.summarise", cloud.summarise)
    for method in ("stage", "shared", "group", "own", "region"):
        probe.wrap(fanout.phones, method, f"render phones.{method}")
    for audience, view in fanout.screens.items():
        for method in ("full", "results", "counts"):
            probe.wrap(view, method, f"render {audience}.{method}")


def _instrument_batches(db: Any, probe: Probe) -> None:
    """The store's group commits: how long each took and how many writes it held."""
    run_batch = getattr(db, "_run_batch", None)
    if run_batch is None:
        return

    @functools.wraps(run_batch)
    async def timed(taken: list[Any]) -> None:
        started, cpu = time.monotonic(), time.thread_time()
        try:
            await run_batch(taken)
        finally:
            probe._record("db.batch", started, cpu)
            probe.sizes.setdefault("db.batch", []).append(len(taken))

    db._run_batch = timed


def serve_app(interval: float, rest: list[str]) -> int:
    # run.py is a script at the root, not a package: import it from there.
    sys.path.insert(0, str(ROOT))
    run = importlib.import_module("run")
    create_app = run.create_app

    def probed_app(settings: Any) -> ASGIApp:
        app = create_app(settings)
        probe = Probe(app, interval)
        _instrument(app, probe)
        return probe

    # run.py serves whatever its create_app returns: hand it the wrapped app, so
    # everything else (first start, uvicorn's settings) stays exactly run.py's.
    setattr(run, "create_app", probed_app)  # noqa: B010
    return int(run.main(rest))


def serve_floor(interval: float, script: str, rest: list[str]) -> int:
    """A floor script, unchanged: its ``uvicorn.run`` is handed the wrapped app."""
    import uvicorn

    real_run = uvicorn.run

    def probed_run(app: ASGIApp, *args: Any, **kwargs: Any) -> None:
        real_run(Probe(app, interval), *args, **kwargs)

    uvicorn.run = probed_run
    sys.argv = [script, *rest]
    runpy.run_path(script, run_name="__main__")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--probe-interval", type=float, default=0.005)
    parser.add_argument("--floor", metavar="FILE")
    ours, rest = parser.parse_known_args()
    if ours.floor:
        return serve_floor(ours.probe_interval, ours.floor, rest)
    return serve_app(ours.probe_interval, rest)


if __name__ == "__main__":
    sys.exit(main())
