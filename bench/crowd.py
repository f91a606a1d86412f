"""Many phones in one or several client processes, driven from the benchmark's own process.

A :class:`Crowd` starts ``processes`` worker processes (spawned; they inherit
this process's core) and shares the phones out among them. Each worker runs
its phones as :class:`wsphone.WsPhone` sockets on one event loop (uvloop when
installed) and answers the coordinator's commands over a pipe:

``connect``
    open its phones' sockets (at most 100 handshakes at a time) and wait for
    each one's first message (the full state);
``arm``
    from now on, note when each phone first receives a message holding the
    marker (a move's title); once every open phone has it, report the arrival
    times (``time.monotonic``: one clock for every process of the machine);
``burst``
    at an agreed moment, send its share of form POSTs at once, each on its own
    connection, and report each one's status, time to acknowledgement, the
    response ids its acknowledgement shows (``id="own-N"``) and whether the
    answer was already in the database, read on a connection of its own, the
    moment its acknowledgement arrived (it must be: acknowledged after commit);
``close``
    close every socket cleanly and report the messages each received.

Used alike for the app and for the floors, so both are driven by the same client.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OWN, http, task_cpu_seconds  # noqa: E402
from wsphone import WsPhone, open_phone  # noqa: E402


@dataclass
class _Phone:
    cookie: str
    socket: WsPhone | None = None
    seen_at: float | None = None


@dataclass
class _Worker:
    conn: multiprocessing.connection.Connection
    phones: list[_Phone] = field(default_factory=list)
    marker: bytes = b""
    waiting: int = 0
    first_ok: int = 0
    closed: int = 0


def _worker_main(conn: multiprocessing.connection.Connection, port: int, path: str) -> None:
    try:
        import uvloop

        run = uvloop.run
    except ImportError:  # pragma: no cover
        run = asyncio.run
    run(_serve(conn, port, path))


async def _serve(conn: multiprocessing.connection.Connection, port: int, path: str) -> None:
    loop = asyncio.get_running_loop()
    inbox = _reader(conn, loop)
    me = _Worker(conn)

    def on_message(socket: WsPhone, data: bytes, arrived: float) -> None:
        phone: _Phone = socket.tag  # type: ignore[assignment]
        if me.marker and phone.seen_at is None and me.marker in data:
            phone.seen_at = arrived
            me.waiting -= 1
            if me.waiting == 0:
                _report_seen(me)

    def on_close(socket: WsPhone) -> None:
        me.closed += 1
        phone: _Phone | None = socket.tag  # type: ignore[assignment]
        if phone is not None and me.marker and phone.seen_at is None:
            me.waiting -= 1
            if me.waiting == 0:
                _report_seen(me)

    while True:
        command, args = await inbox.get()
        if command in ("gone", "quit"):  # the coordinator is gone, or done: so are we
            return
        if command == "connect":
            cookies: list[str] = args
            me.phones = [_Phone(c) for c in cookies]
            started = time.monotonic()
            gate = asyncio.Semaphore(100)
            errors: list[str] = []
            await asyncio.gather(
                *(_open(p, port, path, gate, errors, on_message, on_close) for p in me.phones)
            )
            me.first_ok = sum(1 for p in me.phones if p.socket is not None)
            conn.send(
                (
                    "connected",
                    {
                        "ok": me.first_ok,
                        "errors": errors[:5],
                        "failed": len(errors),
                        "seconds": time.monotonic() - started,
                    },
                )
            )
        elif command == "arm":
            me.marker = args.encode()
            me.waiting = 0
            for phone in me.phones:
                phone.seen_at = None
                if phone.socket is not None and phone.socket.transport is not None:
                    me.waiting += 1
            conn.send(("armed", me.waiting))
            if me.waiting == 0:
                _report_seen(me)
        elif command == "report":  # a timeout: whatever arrived so far
            _report_seen(me)
        elif command == "burst":
            at, requests, check = args
            conn.send(("burst", await _burst(port, at, requests, check)))
        elif command == "close":
            for phone in me.phones:
                if phone.socket is not None:
                    phone.socket.close()
            waits = [p.socket.closed for p in me.phones if p.socket is not None]
            if waits:
                await asyncio.wait(waits, timeout=10)
            conn.send(("closed", sum(p.socket.messages for p in me.phones if p.socket)))
            return


async def _open(
    phone: _Phone,
    port: int,
    path: str,
    gate: asyncio.Semaphore,
    errors: list[str],
    on_message: Callable[[WsPhone, bytes, float], None],
    on_close: Callable[[WsPhone], None],
) -> None:
    """One phone's socket, and its first message (the full state)."""
    first: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

    def first_message(socket: WsPhone, data: bytes, arrived: float) -> None:
        if not first.done():
            first.set_result(data)
        else:
            on_message(socket, data, arrived)

    async with gate:
        try:
            socket = await open_phone(
                "127.0.0.1", port, path, phone.cookie, first_message, on_close
            )
            socket.tag = phone
            data = await asyncio.wait_for(first, 60)
            assert b'id="stage"' in data, data[:200]
            socket.on_message = on_message
            phone.socket = socket
        except Exception as exc:  # noqa: BLE001  # counted and reported
            errors.append(repr(exc)[:200])


def _reader(
    conn: multiprocessing.connection.Connection, loop: asyncio.AbstractEventLoop
) -> asyncio.Queue[Any]:
    """The pipe's messages, read by a thread (the pipe stays blocking), into a queue."""
    queue: asyncio.Queue[Any] = asyncio.Queue()

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):  # the other side is gone
                message = ("gone", None)
            try:
                loop.call_soon_threadsafe(queue.put_nowait, message)
            except RuntimeError:  # the loop is closed
                return
            if message[0] == "gone":
                return

    threading.Thread(target=read, daemon=True).start()
    return queue


def _report_seen(me: _Worker) -> None:
    times = [p.seen_at for p in me.phones if p.seen_at is not None]
    dropped = sum(1 for p in me.phones if p.socket is not None and p.socket.transport is None)
    me.marker = b""
    me.conn.send(("seen", {"times": times, "dropped": dropped}))


Check = tuple[str, str] | None  # ("app" or "floor", the database file)


async def _burst(
    port: int, at: float, requests: Sequence[tuple[str, bytes, str]], check: Check
) -> list[tuple[int, float, list[int], bool | None]]:
    """Every request at once (from ``at``): (status, seconds to the answer, own ids, whether
    the answer was in the database when its acknowledgement came)."""
    db = sqlite3.connect(f"file:{check[1]}?mode=ro", uri=True) if check else None
    await asyncio.sleep(max(0.0, at - time.monotonic()))

    def committed(body: bytes, cookie: str, ids: list[int]) -> bool | None:
        if db is None or check is None:
            return None
        key = parse_qs(body.decode())["idem_key"][0]
        if check[0] == "app":
            sql, args = "SELECT 1 FROM responses WHERE id = ? AND idem_key = ?", (ids[-1], key)
            if not ids:
                return False
        else:
            sql, args = (
                "SELECT 1 FROM responses WHERE participant = ? AND idem_key = ?",
                (cookie, key),
            )
        return db.execute(sql, args).fetchone() is not None

    async def one(path: str, body: bytes, cookie: str) -> tuple[int, float, list[int], bool | None]:
        started = time.monotonic()
        try:
            status, content = await http("POST", port, path, body, cookie, hx=True)
        except Exception:  # noqa: BLE001  # reported as status 0
            return 0, time.monotonic() - started, [], None
        took = time.monotonic() - started
        ids = [int(i) for i in OWN.findall(content)]
        return status, took, ids, committed(body, cookie, ids) if status == 200 else None

    try:
        return list(await asyncio.gather(*(one(*r) for r in requests)))
    finally:
        if db is not None:
            db.close()


class Crowd:
    """Phones shared out among worker processes; the coordinator's side."""

    def __init__(self, port: int, path: str, processes: int) -> None:
        self.port = port
        self.path = path
        context = multiprocessing.get_context("spawn")
        self.workers: list[tuple[multiprocessing.process.BaseProcess, Any]] = []
        for _ in range(max(1, processes)):
            ours, theirs = context.Pipe()
            process = context.Process(target=_worker_main, args=(theirs, port, path), daemon=True)
            process.start()
            theirs.close()
            self.workers.append((process, ours))
        self._inbox: list[asyncio.Queue[Any]] = []

    def _listen(self) -> None:
        if not self._inbox:
            loop = asyncio.get_running_loop()
            self._inbox = [_reader(conn, loop) for _process, conn in self.workers]

    @property
    def pids(self) -> list[int]:
        return [p.pid for p, _ in self.workers if p.pid is not None]

    def cpu(self) -> float:
        """CPU seconds of every worker so far."""
        return sum(task_cpu_seconds(pid) for pid in self.pids)

    async def _all(
        self, command: str, args: Sequence[Any], expect: str, within: float
    ) -> list[Any]:
        self._listen()
        for (_process, conn), arg in zip(self.workers, args, strict=True):
            conn.send((command, arg))
        return [await self._next(i, expect, within) for i in range(len(self.workers))]

    async def _next(self, i: int, expect: str, within: float) -> Any:
        kind, value = await asyncio.wait_for(self._inbox[i].get(), within)
        if kind == "gone":
            raise RuntimeError(f"client worker {i} exited")
        assert kind == expect, (kind, expect)
        return value

    def _share(self, items: Sequence[Any]) -> list[list[Any]]:
        n = len(self.workers)
        return [list(items[i::n]) for i in range(n)]

    async def connect(self, cookies: Sequence[str]) -> dict[str, Any]:
        found = await self._all("connect", self._share(cookies), "connected", 600)
        return {
            "ok": sum(f["ok"] for f in found),
            "failed": sum(f["failed"] for f in found),
            "errors": [e for f in found for e in f["errors"]][:5],
            "seconds": max(f["seconds"] for f in found),
        }

    async def arm(self, marker: str) -> int:
        return sum(await self._all("arm", [marker] * len(self.workers), "armed", 60))

    async def seen(self, within: float = 60) -> tuple[list[float], int]:
        """Arrival times of every phone that had the marker (and how many sockets dropped)."""
        times: list[float] = []
        dropped = 0
        for i, (_process, conn) in enumerate(self.workers):
            try:
                found = await self._next(i, "seen", within)
            except TimeoutError:
                conn.send(("report", None))
                found = await self._next(i, "seen", 30)
            times += found["times"]
            dropped += found["dropped"]
        return times, dropped

    async def burst(
        self, requests: Sequence[tuple[str, bytes, str]], check: Check = None, lead: float = 0.5
    ) -> list[tuple[int, float, list[int], bool | None]]:
        at = time.monotonic() + lead
        shares = self._share(requests)
        found = await self._all("burst", [(at, s, check) for s in shares], "burst", 600)
        return [r for share in found for r in share]

    async def close(self) -> int:
        try:
            return sum(await self._all("close", [None] * len(self.workers), "closed", 60))
        finally:
            self.stop()

    def stop(self) -> None:
        """Every worker told to quit and waited for (terminated after 10 s)."""
        for process, conn in self.workers:
            if process.is_alive():
                try:
                    conn.send(("quit", None))
                except OSError:
                    pass
        for process, conn in self.workers:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
            conn.close()


def default_processes(phones: int) -> int:
    """One worker per 2,500 phones (each worker is one event loop)."""
    return max(1, -(-phones // 2500))
