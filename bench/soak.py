#!/usr/bin/env python3
"""A soak: a thousand phones for twelve minutes, with storms of dropped sockets and a restart.

Run: ``make bench-soak`` (or ``.venv/bin/python bench/soak.py --phones 1000 --minutes 12``;
``--minutes 2`` for a short run). The server (``bench/_probe_server.py``: ``run.py
serve`` with the loop-lag probe) runs pinned to one core on a database seeded
through the store; this client, pinned to the other core, joins ``--phones``
phones through the join form, opens their sockets (``bench/wsphone.py``) and then,
on one clock:

* moves the session on every ``--move-every`` seconds (20), and times each move
  until every phone shows the new item (a phone whose socket is down meanwhile
  has it when its full state arrives);
* after each move, ``--answer-share`` (30 %) of the phones answer the new item,
  each at a moment of its own within the move's interval, as htmx posts it
  (``HX-Request``, the phone token, an idempotency key). An answer is
  acknowledged when its POST answers 200 with the ``#answers`` fragment; a phone
  keeps the ids its acknowledgements show (``id="own-N"``) for the current item.
  A POST that finds no server (the restart) is sent again with the same key;
* every ``--storm-every`` seconds (120, the first at ``--storm-first``, 50 s), half
  the phones drop their socket without a close frame (the TCP connection reset)
  and each reconnects at a moment within 5 s; the recovery is the time from the
  reconnect's start until the phone has its full state. The server's memory is
  read just before the storm and 9 s after it;
* once, half-way (``--restart-at``), the server is stopped with SIGTERM and started
  again on the same database and port; the phones reconnect as the page does
  (every half second or so until it answers).

Every full state a phone gets on reconnecting is checked: it shows the current
item, and every answer the phone had acknowledged on that item before it began
to reconnect is in it as ``id="own-N"``. At the end every acknowledged answer's
idempotency key is looked up in the database: none may be missing.

It ends with a table of the figures against the issue's targets.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    OWN,
    Facilitator,
    ServerProcess,
    app_server,
    cores,
    cpu_seconds,
    exit_on_sigterm,
    free_port,
    http,
    join_all,
    lag_in,
    pct,
    pin_client,
    probe,
    raise_open_files,
    rss_kib,
    seed,
    spread_ms,
    tokens,
)
from wsphone import WsPhone, open_phone  # noqa: E402

TITLE = "Soak question"
ITEM = re.compile(rb'id="answers"[^>]*data-item="(\d+)"')
TITLE_IN = re.compile(rb'id="item-title">' + TITLE.encode() + rb" (\d+)<")


@dataclass
class Move:
    number: int
    started: float
    arrived: dict[int, float] = field(default_factory=dict)  # phone index → when
    posted: float | None = None


@dataclass
class Storm:
    at: float
    rss_before: int = 0
    rss_peak: int = 0
    rss_after: int = 0
    dropped: int = 0
    recoveries: list[float] = field(default_factory=list)
    failed: int = 0
    stall_ms: float = 0.0
    rss_gc: int = 0
    gc: str = ""


class Room:
    """What the client knows of the session: the moves so far, the checks, the figures."""

    def __init__(self, args: argparse.Namespace, port: int, code: str) -> None:
        self.args = args
        self.port = port
        self.code = code
        self.moves: list[Move] = []
        self.current = 0  # the move whose POST has been answered (0: the first item)
        self.full_states = 0
        self.stale_full_states = 0
        self.stale_examples: list[object] = []
        self.own_checked = 0
        self.own_missing: list[tuple[int, int]] = []  # (phone, response id)
        self.sent = 0
        self.acked: list[tuple[int, str, int]] = []  # (phone, idem key, item)
        self.refused: dict[int, int] = {}
        self.gave_up = 0
        self.retried = 0
        self.unexpected_closes = 0
        self.restart_recoveries: list[float] = []
        self.restart_ready: float | None = None
        self.restarting = False
        self.reconnect_failures = 0

    def title_number(self, data: bytes) -> int | None:
        found = TITLE_IN.search(data)
        return int(found[1]) if found else None


class Phone:
    def __init__(self, room: Room, index: int, cookie: str, token: str) -> None:
        self.room = room
        self.index = index
        self.cookie = cookie
        self.token = token
        self.socket: WsPhone | None = None
        self.item: int | None = None
        #: Response ids its acknowledgements showed, per item.
        self.acked: dict[int, set[int]] = {}
        self.dropping = False
        self.reconnecting = False
        self.connecting = False
        self.full_pending: tuple[float, str, dict[int, set[int]]] | None = None
        self.recovered = asyncio.get_running_loop().create_future()

    # -- the socket -------------------------------------------------------------------

    def on_message(self, socket: WsPhone, data: bytes, arrived: float) -> None:
        if self.socket is None and self.full_pending is not None:
            self.socket = socket  # its first message came with the handshake's answer
        if socket is not self.socket:
            return
        room = self.room
        found = ITEM.search(data)
        if found:
            self.item = int(found[1])
        number = room.title_number(data)
        if number is not None and number >= 1 and number <= len(room.moves):
            move = room.moves[number - 1]
            move.arrived.setdefault(self.index, arrived)
        if self.full_pending is not None:
            self._check_full(data, arrived, number)

    def _check_full(self, data: bytes, arrived: float, number: int | None) -> None:
        started, why, acked_before = self.full_pending  # type: ignore[misc]
        self.full_pending = None
        room = self.room
        room.full_states += 1
        # The item shown must be the current one (or the move on its way just now).
        if number is None or number < room.current:
            room.stale_full_states += 1
            if len(room.stale_examples) < 3:
                room.stale_examples.append((number, room.current, why, data[:400]))
        shown = {int(i) for i in OWN.findall(data)}
        if self.item is not None:
            for response_id in acked_before.get(self.item, set()):
                room.own_checked += 1
                if response_id not in shown:
                    room.own_missing.append((self.index, response_id))
        if why == "server" and room.restarting and room.restart_ready is not None:
            room.restart_recoveries.append(max(0.0, arrived - room.restart_ready))
        if not self.recovered.done():
            self.recovered.set_result(arrived - started)

    def on_close(self, socket: WsPhone) -> None:
        if socket is not self.socket or self.dropping:
            return
        self.socket = None
        if socket.close_code not in (1012, 1001, 1000) and not self.room.restarting:
            self.room.unexpected_closes += 1
        if not self.reconnecting and not self.connecting:
            asyncio.get_running_loop().create_task(self.reconnect("server", delay=random.random()))

    async def connect(self, why: str, within: float = 60) -> bool:
        """Open the socket (retrying while no server answers) and wait for the full state."""
        self.recovered = asyncio.get_running_loop().create_future()
        # Acknowledgements received before the reconnect began must be in the full state.
        acked_before = {item: set(ids) for item, ids in self.acked.items()}
        started = time.monotonic()
        deadline = started + within
        path = f"/s/{self.room.code}/ws"
        self.connecting = True
        try:
            while True:
                self.full_pending = (started, why, acked_before)
                self.socket = None
                try:
                    socket = await open_phone(
                        "127.0.0.1",
                        self.room.port,
                        path,
                        self.cookie,
                        self.on_message,
                        self.on_close,
                        within=10,
                    )
                    self.socket = socket
                    await asyncio.wait_for(asyncio.shield(self.recovered), 15)
                    return True
                except Exception:  # noqa: BLE001  # no server yet, or it closed at once: again
                    if time.monotonic() > deadline:
                        self.full_pending = None
                        self.room.reconnect_failures += 1
                        return False
                    await asyncio.sleep(0.4 + 0.4 * random.random())
        finally:
            self.connecting = False

    async def reconnect(self, why: str, delay: float) -> float | None:
        self.reconnecting = True
        try:
            await asyncio.sleep(delay)
            self.dropping = False
            ok = await self.connect(why)
            return self.recovered.result() if ok and self.recovered.done() else None
        finally:
            self.reconnecting = False

    def drop(self) -> None:
        """Lose the network: no close frame, the connection reset."""
        self.dropping = True
        if self.socket is not None:
            self.socket.abort()
        self.socket = None

    # -- answering ----------------------------------------------------------------------

    async def answer(self, item: int, text: str, within: float = 25) -> None:
        room = self.room
        key = uuid.uuid4().hex
        body = urlencode({"text": text, "csrf_token": self.token, "idem_key": key}).encode()
        path = f"/s/{room.code}/items/{item}/do/answer"
        room.sent += 1
        deadline = time.monotonic() + within
        while True:
            try:
                status, content = await http(
                    "POST", room.port, path, body, self.cookie, hx=True, within=15
                )
            except (OSError, TimeoutError, ConnectionError):
                status, content = 0, b""
            if status == 200:
                room.acked.append((self.index, key, item))
                shown = ITEM.search(content)
                if shown and int(shown[1]) == item:
                    self.acked.setdefault(item, set()).update(int(i) for i in OWN.findall(content))
                return
            if status in (0, 500, 502, 503) and time.monotonic() < deadline:
                room.retried += 1
                await asyncio.sleep(0.5)
                continue
            if status in (0, 500, 502, 503):
                room.gave_up += 1
            else:
                room.refused[status] = room.refused.get(status, 0) + 1
            return


class Sampler:
    """The server's memory every 200 ms (the peak of each stretch is kept)."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.peak = 0
        self.samples: list[tuple[float, int]] = []

    async def run(self) -> None:
        while True:
            if self.pid is not None:
                try:
                    value = rss_kib(self.pid)
                except (FileNotFoundError, ProcessLookupError):
                    value = 0
                if value:
                    self.peak = max(self.peak, value)
                    self.samples.append((time.monotonic(), value))
            await asyncio.sleep(0.2)


async def soak(args: argparse.Namespace, folder: Path) -> list[str]:
    total = args.minutes * 60
    moves = int((total - 1) // args.move_every)  # the last one leaves time to answer
    db = folder / "soak.db"
    seeded = await seed(db, moves + 2, TITLE)
    port = free_port()
    server = app_server(db, port, args.server_cpu, probe=not args.no_probe)
    server.start()
    sampler = Sampler()
    sampler.pid = server.pid
    sampling = asyncio.get_running_loop().create_task(sampler.run())
    fac = Facilitator(server.url, seeded.session)
    room = Room(args, port, seeded.code)
    storms: list[Storm] = []
    restart: dict[str, float] = {}
    try:
        await fac.login()
        cookies, rate = await join_all(server.url, seeded.code, args.phones)
        marks = await tokens(server.url, seeded.code, cookies)
        phones = [Phone(room, i, c, t) for i, (c, t) in enumerate(zip(cookies, marks, strict=True))]
        gate = asyncio.Semaphore(100)

        async def first(phone: Phone) -> bool:
            async with gate:
                return await phone.connect("first")

        started = time.monotonic()
        opened = await asyncio.gather(*(first(p) for p in phones))
        print(
            f"{args.phones} phones joined ({rate:.0f}/s) and connected in "
            f"{time.monotonic() - started:.1f} s ({opened.count(False)} failed); server pid "
            f"{server.pid}, RSS {rss_kib(server.pid) // 1024} MiB",
            flush=True,
        )
        room.full_states = room.own_checked = 0
        if not args.no_probe:
            await probe(port)

        clock0 = time.monotonic()
        cpu0 = cpu_seconds(os.getpid())
        storm_times = [
            args.storm_first + j * args.storm_every
            for j in range(int(total // args.storm_every) + 1)
            if args.storm_first + j * args.storm_every < total
        ]
        restart_at = (
            args.restart_at
            if args.restart_at is not None
            else (args.move_every * round(total / 2 / args.move_every) + args.move_every / 2)
        )
        while any(abs(restart_at - s) < 15 for s in storm_times):
            restart_at += args.move_every
        if restart_at >= total:
            restart_at = -1
        background: set[asyncio.Task[None]] = set()

        def later(coro: object) -> None:
            task = asyncio.get_running_loop().create_task(coro)  # type: ignore[arg-type]
            background.add(task)
            task.add_done_callback(background.discard)

        async def do_move(number: int) -> None:
            move = Move(number, time.monotonic())
            room.moves.append(move)
            for _attempt in range(60):
                try:
                    status = await fac.step()
                except Exception:  # noqa: BLE001  # no server (the restart): again
                    status = 0
                if status == 204:
                    break
                if status in (302, 303, 401, 403):
                    await fac.login()
                await asyncio.sleep(0.5)
            move.posted = time.monotonic()
            room.current = number
            item = seeded.items[number]
            chosen = random.sample(phones, int(len(phones) * args.answer_share))
            for phone in chosen:
                delay = 1 + random.random() * (args.move_every - 4)
                later(answer_later(phone, item, delay, number))
            print(
                f"  {time.monotonic() - clock0:6.1f} s: move {number}; server RSS "
                f"{_rss(server) // 1024} MiB",
                flush=True,
            )

        async def answer_later(phone: Phone, item: int, delay: float, number: int) -> None:
            await asyncio.sleep(delay)
            await phone.answer(item, f"Soak answer {number:02d} from phone {phone.index}")

        async def do_storm(at: float) -> None:
            storm = Storm(at=time.monotonic())
            storm.rss_before = _rss(server)
            sampler.peak = storm.rss_before
            if not args.no_probe:
                await probe(port)
            up = [p for p in phones if p.socket is not None and not p.reconnecting]
            chosen = random.sample(up, len(up) // 2)
            storm.dropped = len(chosen)
            for phone in chosen:
                phone.drop()
            results = await asyncio.gather(
                *(p.reconnect("storm", random.uniform(0.2, 4.8)) for p in chosen)
            )
            storm.recoveries = [r for r in results if r is not None]
            storm.failed = sum(1 for r in results if r is None)
            await asyncio.sleep(max(0.0, storm.at + 9 - time.monotonic()))
            storm.rss_after = _rss(server)
            storm.rss_peak = sampler.peak
            if args.gc_after_storm and not args.no_probe:
                _status, body = await http("GET", port, "/_bench/gc")
                await asyncio.sleep(0.5)
                storm.rss_gc = _rss(server)
                storm.gc = body.decode()
            if not args.no_probe:
                recorded = await probe(port)
                storm.stall_ms = 1000 * max(lag_in(recorded, [(0, 1e12)], own=True), default=0)
            storms.append(storm)
            print(
                f"  {time.monotonic() - clock0:6.1f} s: storm, {storm.dropped} dropped; "
                f"recovery {spread_ms(storm.recoveries)}; RSS {storm.rss_before // 1024} → "
                f"{storm.rss_peak // 1024} → {storm.rss_after // 1024} MiB",
                flush=True,
            )

        async def do_restart() -> None:
            t = time.monotonic()
            room.restarting = True
            restart["rss_before"] = _rss(server)
            sampler.pid = None
            restart["exit_s"] = await asyncio.to_thread(server.stop)
            await asyncio.to_thread(server.start)
            room.restart_ready = time.monotonic()
            restart["down_s"] = room.restart_ready - t
            sampler.pid = server.pid
            for _tick in range(300):  # until every phone is back, or 30 s
                if not any(p.socket is None or p.reconnecting for p in phones):
                    break
                await asyncio.sleep(0.1)
            restart["all_back_s"] = time.monotonic() - room.restart_ready
            room.restarting = False
            restart["rss_after"] = _rss(server)
            print(
                f"  {time.monotonic() - clock0:6.1f} s: restart: exit {restart['exit_s']:.1f} s,"
                f" down {restart['down_s']:.1f} s, every phone back "
                f"{restart['all_back_s']:.1f} s after; "
                f"recovery {spread_ms(room.restart_recoveries)}",
                flush=True,
            )

        events: list[tuple[float, str, int]] = [
            (args.move_every * k, "move", k) for k in range(1, moves + 1)
        ]
        events += [(t, "storm", j) for j, t in enumerate(storm_times)]
        if restart_at > 0:
            events.append((restart_at, "restart", 0))
        events.sort()
        running: list[asyncio.Task[None]] = []
        for at, kind, number in events:
            await asyncio.sleep(max(0.0, clock0 + at - time.monotonic()))
            if kind == "move":
                running.append(asyncio.get_running_loop().create_task(do_move(number)))
            elif kind == "storm":
                running.append(asyncio.get_running_loop().create_task(do_storm(at)))
            else:
                running.append(asyncio.get_running_loop().create_task(do_restart()))
        await asyncio.sleep(max(0.0, clock0 + total - time.monotonic()))
        await asyncio.gather(*running)
        if background:
            await asyncio.wait(background, timeout=40)
        client_cpu = cpu_seconds(os.getpid()) - cpu0
        wall = time.monotonic() - clock0
        recorded = await probe(port) if not args.no_probe else None
        for phone in phones:
            if phone.socket is not None:
                phone.dropping = True
                phone.socket.close()
        await asyncio.sleep(1)
        return report(args, room, phones, storms, restart, db, client_cpu, wall, recorded)
    finally:
        sampling.cancel()
        await fac.close()
        server.stop()


def _rss(server: ServerProcess) -> int:
    try:
        return rss_kib(server.pid)
    except (FileNotFoundError, ProcessLookupError, AssertionError):
        return 0


def report(
    args: argparse.Namespace,
    room: Room,
    phones: list[Phone],
    storms: list[Storm],
    restart: dict[str, float],
    db: Path,
    client_cpu: float,
    wall: float,
    recorded: dict | None,
) -> list[str]:
    import sqlite3

    lines = []
    # Moves: every phone, every move (a phone that never had it counts as late).
    pairs: list[float] = []
    lasts: list[float] = []
    never = 0
    for move in room.moves:
        got = [t - move.started for t in move.arrived.values()]
        never += len(phones) - len(got)
        pairs += got + [float("inf")] * (len(phones) - len(got))
        lasts.append(max(got) if len(got) == len(phones) else float("inf"))
    finite = [p for p in pairs if p != float("inf")]
    lines.append(
        f"moves: {len(room.moves)}; move → each phone has it: {spread_ms(finite)}; "
        f"{never} phone-moves never arrived"
    )
    lines.append(f"move → last phone: {spread_ms([x for x in lasts if x != float('inf')])}")
    storm_rec = [r for s in storms for r in s.recoveries]
    lines.append(
        f"storms: {len(storms)}; recovery (reconnect start → full state): "
        f"{spread_ms(storm_rec)}; {sum(s.failed for s in storms)} never recovered"
    )
    for i, s in enumerate(storms, 1):
        lines.append(
            f"  storm {i}: {s.dropped} dropped, RSS {s.rss_before:,} → peak "
            f"{s.rss_peak:,} → {s.rss_after:,} KiB "
            f"({100 * (s.rss_after / s.rss_before - 1):+.1f} %), loop stall "
            f"{s.stall_ms:.0f} ms"
            + (f"; after gc.collect() {s.rss_gc:,} KiB ({s.gc})" if s.rss_gc else "")
        )
    if restart:
        lines.append(
            f"restart: SIGTERM → exit {restart['exit_s']:.1f} s, down "
            f"{restart['down_s']:.1f} s; phones' full state after the server was back: "
            f"{spread_ms(room.restart_recoveries)}; RSS {restart['rss_before']:,} KiB "
            f"before, {restart['rss_after']:,} KiB after"
        )
    # Answers: every acknowledged key in the database.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        stored = {row[0] for row in conn.execute("SELECT idem_key FROM responses")}
    finally:
        conn.close()
    lost = [a for a in room.acked if a[1] not in stored]
    lines.append(
        f"answers: {room.sent} sent, {len(room.acked)} acknowledged, "
        f"{sum(room.refused.values())} refused {room.refused or ''}, {room.gave_up} "
        f"gave up; {room.retried} retries; acknowledged but not in the database: "
        f"{len(lost)}"
    )
    lines.append(
        f"full states on reconnecting: {room.full_states}, "
        f"{room.stale_full_states} showing an old item; own answers checked "
        f"{room.own_checked}, missing {len(room.own_missing)}"
        + (f" (e.g. {room.own_missing[:3]})" if room.own_missing else "")
    )
    for example in room.stale_examples:
        lines.append(f"  stale: {example!r}")
    lines.append(
        f"unexpected closes by the server: {room.unexpected_closes}; reconnects that "
        f"failed for 60 s: {room.reconnect_failures}"
    )
    lines.append(
        f"client CPU {client_cpu:.1f} s over {wall:.0f} s ({client_cpu / wall:.0%} of its core)"
    )
    if recorded is not None:
        lag = lag_in(recorded, [(0, 1e12)], own=True)
        lines.append(
            f"server loop stall after the restart (own CPU): max "
            f"{1000 * max(lag, default=0):.0f} ms"
        )

    rows = []
    p99 = pct(pairs, 0.99) if pairs else float("inf")
    rows.append(("move reaches every phone, p99", f"{_ms(p99)}", "≤ 1,000 ms", p99 <= 1.0))
    rec99 = pct(storm_rec, 0.99) if storm_rec else float("inf")
    failed = sum(s.failed for s in storms)
    rows.append(
        (
            "storm recovery, p99",
            f"{_ms(rec99)} ({failed} failed)",
            "≤ 2,000 ms",
            rec99 <= 2.0 and not failed,
        )
    )
    worst = max(
        (100 * (s.rss_after / s.rss_before - 1) for s in storms if s.rss_before), default=None
    )
    rows.append(
        (
            "server memory after a storm vs before, worst",
            "–" if worst is None else f"{worst:+.1f} %",
            "≤ +10 %",
            worst is not None and worst <= 10,
        )
    )
    rows.append(("acknowledged answers not in the database", str(len(lost)), "0", not lost))
    rows.append(
        (
            "acknowledged answers missing from a full state",
            str(len(room.own_missing)),
            "0",
            not room.own_missing and room.own_checked > 0,
        )
    )
    if restart:
        r99 = pct(room.restart_recoveries, 0.99) if room.restart_recoveries else float("inf")
        rows.append(("after the restart: server back → full state, p99", _ms(r99), "(info)", True))
    width = max(len(r[0]) for r in rows)
    lines.append("")
    lines.append(f"{'figure'.ljust(width)} | measured | target | ")
    for name, value, target, ok in rows:
        lines.append(f"{name.ljust(width)} | {value} | {target} | {'pass' if ok else 'FAIL'}")
    return lines


def _ms(seconds: float) -> str:
    return "never" if seconds == float("inf") else f"{seconds * 1000:,.0f} ms"


async def main(args: argparse.Namespace) -> None:
    exit_on_sigterm()
    hard = raise_open_files()
    if hard < args.phones * 3 + 200:
        sys.exit(f"open-files limit {hard} is too low for {args.phones} phones")
    pinned = pin_client(args.client_cpu)
    random.seed(args.seed)
    print(
        f"soak: {args.phones} phones, {args.minutes} min, a move every {args.move_every} s, "
        f"{args.answer_share:.0%} answering, a storm every {args.storm_every} s; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; server on core {args.server_cpu}, "
        f"client on {pinned}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        lines = await soak(args, Path(tmp))
    print()
    print("\n".join(lines))
    print(f"\nload average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=12)
    parser.add_argument("--move-every", type=float, default=20)
    parser.add_argument("--answer-share", type=float, default=0.3)
    parser.add_argument("--storm-every", type=float, default=120)
    parser.add_argument("--storm-first", type=float, default=50)
    parser.add_argument("--restart-at", type=float, help="seconds (default: half-way)")
    parser.add_argument("--no-probe", action="store_true", help="serve with run.py itself")
    parser.add_argument(
        "--gc-after-storm",
        action="store_true",
        help="a diagnosis: a full garbage collection in the server after each storm's reading",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--client-cpu", type=int, default=1)
    args = parser.parse_args(argv)
    if cores() < 2:
        args.server_cpu = args.client_cpu = None
    return args


if __name__ == "__main__":
    asyncio.run(main(parse()))
