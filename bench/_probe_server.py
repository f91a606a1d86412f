#!/usr/bin/env python3
"""``run.py`` with probes: the server's event-loop lag and the live loop's timings.

Used by ``bench/word_cloud.py``; run it as ``run.py`` itself
(``.venv/bin/python bench/_probe_server.py serve --db FILE --port N ...``): it
serves exactly as ``run.py serve`` does (its first-start check, the same uvicorn
settings, uvloop and httptools when installed), but the app it serves is wrapped:

* a task sleeps ``--probe-interval`` seconds in a loop and records how late it
  wakes up: the event loop's lag, sampled inside the server process;
* the live loop's worker jobs, its ``state()`` and the store's read of an item's
  responses, the word cloud's ``summarise`` and every screen's renders are timed
  (start and duration by ``time.monotonic``, one clock for every process of the
  machine);
* ``GET /_bench/probe`` answers with everything recorded since the last call, as
  JSON, and starts afresh.

Nothing in the app's behaviour changes; none of this is in the production
packages.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from workshop.app import create_app
from workshop.live import LiveLoop
from workshop.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PROBE_PATH = "/_bench/probe"
T = TypeVar("T")


class Probe:
    """An ASGI wrapper: samples the loop's lag while the app's lifespan runs."""

    def __init__(self, app: ASGIApp, interval: float) -> None:
        self.app = app
        self.interval = interval
        self.lag: list[tuple[float, float]] = []  # (sleep started, seconds late)
        self.calls: dict[str, list[tuple[float, float]]] = {}  # name: (started, seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            sampler = asyncio.get_running_loop().create_task(self._sample())
            try:
                await self.app(scope, receive, send)
            finally:
                sampler.cancel()
            return
        if scope["type"] == "http" and scope["path"] == PROBE_PATH:
            await self._report(send)
            return
        await self.app(scope, receive, send)

    async def _sample(self) -> None:
        while True:
            started = time.monotonic()
            await asyncio.sleep(self.interval)
            self.lag.append((started, time.monotonic() - started - self.interval))

    async def _report(self, send: Send) -> None:
        body = json.dumps({"interval": self.interval, "lag": self.lag, "calls": self.calls})
        self.lag, self.calls = [], {}
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})

    def _record(self, name: str, started: float) -> None:
        self.calls.setdefault(name, []).append((started, time.monotonic() - started))

    def timed(self, name: str, func: Callable[..., T]) -> Callable[..., T]:
        """A synchronous function, timed (it holds the event loop for all of it)."""

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> T:
            started = time.monotonic()
            try:
                return func(*args, **kwargs)
            finally:
                self._record(name, started)

        return timed

    def timed_async(
        self, name: str | Callable[..., str], func: Callable[..., Awaitable[T]]
    ) -> Callable[..., Awaitable[T]]:
        """A coroutine function, timed from call to result (wall time, awaits included)."""

        @functools.wraps(func)
        async def timed(*args: Any, **kwargs: Any) -> T:
            started = time.monotonic()
            try:
                return await func(*args, **kwargs)
            finally:
                self._record(name(*args) if callable(name) else name, started)

        return timed


def _instrument(app: Starlette, probe: Probe) -> None:
    """Time the live loop's parts by wrapping them on their instances."""
    live: LiveLoop = app.state.live
    setattr(live, "state", probe.timed_async("live.state", live.state))  # noqa: B010
    responses = live.store.responses
    timed_read = probe.timed_async("responses.for_item", responses.for_item)
    setattr(responses, "for_item", timed_read)  # noqa: B010
    if live.workers is not None:
        name_of = lambda func, *_args: f"worker {getattr(func, '__name__', func)}"  # noqa: E731
        setattr(live.workers, "run", probe.timed_async(name_of, live.workers.run))  # noqa: B010
    cloud = app.state.kinds.get("word_cloud")
    if cloud is not None:
        cloud.summarise = probe.timed("word_cloud.summarise", cloud.summarise)
    for audience, view in live.views.items():
        for method in ("full", "results", "added", "counts"):
            name = f"render {audience}.{method}"
            setattr(view, method, probe.timed(name, getattr(view, method)))


def main() -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--probe-interval", type=float, default=0.005)
    ours, rest = parser.parse_known_args()
    # run.py is a script at the root, not a package: import it from there.
    sys.path.insert(0, str(ROOT))
    run = importlib.import_module("run")

    def probed_app(settings: Settings) -> ASGIApp:
        app = create_app(settings)
        probe = Probe(app, ours.probe_interval)
        _instrument(app, probe)
        return probe

    # run.py serves whatever its create_app returns: hand it the wrapped app, so
    # everything else (first start, uvicorn's settings) stays exactly run.py's.
    setattr(run, "create_app", probed_app)  # noqa: B010
    return int(run.main(rest))


if __name__ == "__main__":
    sys.exit(main())
