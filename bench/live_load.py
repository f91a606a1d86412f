#!/usr/bin/env python3
"""The live core under load, measured against the floors in the same run.

Run: ``make bench-live`` (or ``.venv/bin/python bench/live_load.py --phones 2000,5000``;
``make bench-live PHONES=300 ROUNDS=1`` for a quick run). Every server runs
pinned to one core (``taskset -c 0``), this client and its phone processes on
the other; each round runs, for each number of phones, the floor and the app
side by side (the order alternates from round to round):

* **floor pushes**: ``bcast_frag_server.py PORT seq app_frags.json`` (the app's own
  fragments of one move, sent to every socket in turn); N phones connect, the
  floor is told to broadcast ``--moves`` times over its control socket;
* **app**: ``run.py serve`` on a fresh database seeded through the store (a
  facilitator, a live session of open-text questions); N phones join through
  the join form, open their sockets and get their full state; the facilitator
  moves on ``--moves`` times (``POST /sessions/ID/live/step``). With the first
  number of phones, ``--answers`` of them then answer at the same moment
  (``POST /s/CODE/items/ITEM/do/answer``, each on its own connection, as htmx
  sends it) while every socket stays open;
* **floor answers**: ``ingest_http_server.py PORT DB``: the same burst of POSTs,
  each acknowledged after its own commit.

Each move is timed from the trigger until the *last* phone has the new item.
Server CPU comes from ``/proc/PID/stat`` (the whole run of moves, pauses
included, over phones × moves), memory from ``VmRSS``. Every server (floors
too) runs through ``bench/_probe_server.py``, whose sampler records the event
loop's late wake-ups inside the server: the longest one during a move is its
stall. The phones are ``bench/wsphone.py`` sockets in ``--clients`` worker
processes (``bench/crowd.py``), the same for the app and the floors; the
client's CPU is reported beside every figure, so a client that was the
bottleneck shows.

It ends with a table: each figure's floor, app, ratio (the median of each
round's app/floor), target and pass/fail.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    FLOORS,
    Facilitator,
    ServerProcess,
    app_server,
    calls_in,
    cores,
    cpu_seconds,
    exit_on_sigterm,
    floor_server,
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
    stored_responses,
    tokens,
)
from crowd import Crowd, default_processes  # noqa: E402
from wsphone import WsPhone, open_phone  # noqa: E402

TITLE = "Bench question"
Figures = dict[str, Any]


class RssWatch:
    """The server's resident memory, sampled every 50 ms: the peak of a stretch."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, rss_kib(self.pid))
            await asyncio.sleep(0.05)

    def start(self) -> None:
        self.peak = rss_kib(self.pid)
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> int:
        if self._task is not None:
            self._task.cancel()
        return self.peak


def clients(args: argparse.Namespace, phones: int) -> int:
    return int(args.clients) or default_processes(phones)


# -- pushes: the same procedure for the floor and the app ---------------------------------


async def moves(
    server: ServerProcess,
    crowd: Crowd,
    phones: int,
    count: int,
    pause: float,
    trigger: Callable[[int], Awaitable[None]],
    marker: Callable[[int], str],
) -> Figures:
    """``count`` moves: each timed from its trigger until the last phone has its marker."""
    pid = server.pid
    watch = RssWatch(pid)
    rss_before = rss_kib(pid)
    await probe(server.port)  # the probe starts afresh
    latencies: list[float] = []
    per_phone: list[float] = []
    windows: list[tuple[float, float]] = []
    missing = dropped = 0
    busy = 0.0
    watch.start()
    cpu0, client0, own0 = cpu_seconds(pid), crowd.cpu(), cpu_seconds(os.getpid())
    for move in range(1, count + 1):
        armed = await crowd.arm(marker(move))
        c0 = crowd.cpu()
        started = time.monotonic()
        await trigger(move)
        times, lost = await crowd.seen()
        ended = max(times) if times else time.monotonic()
        busy += crowd.cpu() - c0
        latencies.append(ended - started)
        windows.append((started, ended))
        per_phone += [t - started for t in times]
        missing += armed - len(times)
        dropped += lost
        await asyncio.sleep(pause)
    server_cpu = cpu_seconds(pid) - cpu0
    client_cpu = crowd.cpu() - client0 + cpu_seconds(os.getpid()) - own0
    recorded = await probe(server.port)
    await asyncio.sleep(2)
    rss_after = rss_kib(pid)
    peak = watch.stop()
    lag = lag_in(recorded, windows)
    own = lag_in(recorded, windows, own=True)
    by_move = [1000 * max(lag_in(recorded, [w], own=True), default=0.0) for w in windows]
    full = calls_in(recorded, "fanout.full", windows)
    reload = calls_in(recorded, "rooms.reload", windows)
    return {
        "phones": phones,
        "moves": count,
        "last_p50_ms": 1000 * statistics.median(latencies),
        "last_p99_ms": 1000 * pct(latencies, 0.99),
        "last_max_ms": 1000 * max(latencies),
        "phone_p50_ms": 1000 * statistics.median(per_phone) if per_phone else None,
        "missing": missing,
        "dropped": dropped,
        "server_us_per_phone_move": server_cpu / (phones * count) * 1e6,
        "client_us_per_phone_move": client_cpu / (phones * count) * 1e6,
        # The phones' processes' CPU while moves were on their way, over that time: near
        # 100 % means the client, not the server, decided when the last phone had it.
        "client_busy": busy / sum(b - a for a, b in windows),
        "stall_max_ms": 1000 * max(own, default=0.0),
        "stall_wall_max_ms": 1000 * max(lag, default=0.0),
        "stall_by_move_ms": [round(x, 1) for x in by_move],
        "fanout_full_max_ms": 1000 * max(full) if full else None,
        "reload_max_ms": 1000 * max(reload) if reload else None,
        "rss_moves_before_kib": rss_before,
        "rss_moves_peak_kib": peak,
        "rss_moves_after_kib": rss_after,
    }


async def connect(server: ServerProcess, crowd: Crowd, cookies: list[str]) -> Figures:
    rss0 = rss_kib(server.pid)
    done = await crowd.connect(cookies)
    if done["failed"]:
        raise RuntimeError(f"{done['failed']} sockets failed: {done['errors']}")
    await asyncio.sleep(1)
    rss1 = rss_kib(server.pid)
    return {
        "connect_s": done["seconds"],
        "rss_idle_kib": rss0,
        "rss_connected_kib": rss1,
        "kib_per_phone": (rss1 - rss0) / len(cookies),
    }


async def after_leaving(server: ServerProcess, crowd: Crowd, figures: Figures) -> None:
    figures["messages"] = await crowd.close()
    await asyncio.sleep(3)
    figures["rss_left_kib"] = rss_kib(server.pid)


async def floor_push(args: argparse.Namespace, phones: int) -> Figures:
    from websockets.asyncio.client import connect as ws_connect

    port = free_port()
    frags = str(FLOORS / "app_frags.json")
    server = floor_server("bcast_frag_server.py", [args.floor_mode, frags], port, args.server_cpu)
    server.start()
    crowd = Crowd(port, "/ws", clients(args, phones))
    try:
        figures = await connect(server, crowd, [""] * phones)
        control = await ws_connect(
            f"ws://127.0.0.1:{port}/control", compression=None, ping_interval=None
        )

        async def trigger(move: int) -> None:
            await control.send(json.dumps({"cmd": "bcast", "seq": move + 1}))
            await control.recv()

        try:
            figures |= await moves(
                server,
                crowd,
                phones,
                args.moves,
                args.pause,
                trigger,
                lambda move: f"{TITLE} {move + 1:02d}",
            )
        finally:
            await control.close()
        await after_leaving(server, crowd, figures)
        return figures
    finally:
        crowd.stop()
        server.stop()


async def app_run(args: argparse.Namespace, phones: int, answers: int) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        seeded = await seed(db, args.moves + 1, TITLE)
        port = free_port()
        server = app_server(db, port, args.server_cpu)
        server.start()
        crowd = Crowd(port, f"/s/{seeded.code}/ws", clients(args, phones))
        fac = Facilitator(server.url, seeded.session)
        try:
            await fac.login()
            figures: Figures = {"rss_start_kib": rss_kib(server.pid)}
            cookies, rate = await join_all(server.url, seeded.code, phones)
            figures["joins_per_s"] = rate
            figures |= await connect(server, crowd, cookies)

            async def trigger(_move: int) -> None:
                status = await fac.step()
                assert status == 204, status

            figures |= await moves(
                server,
                crowd,
                phones,
                args.moves,
                args.pause,
                trigger,
                lambda move: f"{TITLE} {move:02d}",
            )
            if answers:
                item = seeded.items[args.moves]
                figures |= await app_burst(
                    server, db, seeded.code, item, fac, crowd, cookies[:answers]
                )
            await after_leaving(server, crowd, figures)
            return figures
        finally:
            await fac.close()
            crowd.stop()
            server.stop()


# -- answers ------------------------------------------------------------------------------


def _body(i: int, token: str) -> bytes:
    return urlencode(
        {"text": f"Burst answer {i:05d}", "csrf_token": token, "idem_key": uuid.uuid4().hex}
    ).encode()


async def burst(
    server: ServerProcess,
    crowd: Crowd,
    requests: list[tuple[str, bytes, str]],
    check: tuple[str, str],
) -> Figures:
    pid = server.pid
    watch = RssWatch(pid)
    rss_before = rss_kib(pid)
    await probe(server.port)
    watch.start()
    cpu0, client0 = cpu_seconds(pid), crowd.cpu()
    started = time.monotonic()
    results = await crowd.burst(requests, check)
    wall = time.monotonic() - started
    server_cpu = cpu_seconds(pid) - cpu0
    client_cpu = crowd.cpu() - client0
    recorded = await probe(server.port)
    await asyncio.sleep(3)
    acks = [seconds for status, seconds, _ids, _seen in results if status == 200]
    sizes = recorded.get("sizes", {}).get("db.batch", [])
    return {
        "answers": len(requests),
        "acked": len(acks),
        "failed_statuses": sorted({r[0] for r in results if r[0] != 200}),
        # Acknowledged but not yet in the database when the acknowledgement arrived.
        "acked_before_commit": sum(1 for r in results if r[0] == 200 and r[3] is False),
        "ack_p50_ms": 1000 * statistics.median(acks) if acks else None,
        "ack_p99_ms": 1000 * pct(acks, 0.99) if acks else None,
        "ack_max_ms": 1000 * max(acks) if acks else None,
        "burst_wall_s": wall,
        "server_ms_per_answer": server_cpu / len(requests) * 1000,
        "client_ms_per_answer": client_cpu / len(requests) * 1000,
        "commits": len(sizes),
        "writes_per_commit_max": max(sizes, default=0),
        "burst_stall_max_ms": 1000 * max(lag_in(recorded, [(0, 1e12)], own=True), default=0.0),
        "burst_stall_wall_max_ms": 1000 * max(lag_in(recorded, [(0, 1e12)]), default=0.0),
        "rss_burst_before_kib": rss_before,
        "rss_burst_peak_kib": watch.stop(),
        "rss_burst_after_kib": rss_kib(pid),
        "_results": results,
    }


async def app_burst(
    server: ServerProcess,
    db: Path,
    code: str,
    item: int,
    fac: Facilitator,
    crowd: Crowd,
    cookies: list[str],
) -> Figures:
    marks = await tokens(server.url, code, cookies)
    presenter = await Presenter.open(server, fac)
    path = f"/s/{code}/items/{item}/do/answer"
    requests = [(path, _body(i, t), c) for i, (c, t) in enumerate(zip(cookies, marks, strict=True))]
    figures = await burst(server, crowd, requests, ("app", str(db)))
    results = figures.pop("_results")
    acked_ids = {r[2][-1] for r in results if r[0] == 200 and r[2]}
    without_id = sum(1 for r in results if r[0] == 200 and not r[2])
    stored = stored_responses(db, item)
    figures["stored"] = len(stored)
    figures["acked_not_stored"] = len(acked_ids - set(stored))
    figures["acked_without_own_id"] = without_id
    figures["presenter_s"] = await presenter.all_shown(len(cookies), within=30)
    presenter.socket.close()
    return figures


class Presenter:
    """The presenter's socket, keeping every "Burst answer NNNNN" it was sent."""

    def __init__(self) -> None:
        self.seen: set[bytes] = set()
        self.socket: WsPhone

    @classmethod
    async def open(cls, server: ServerProcess, fac: Facilitator) -> Presenter:
        import re

        found = re.compile(rb"Burst answer \d{5}")
        me = cls()

        def on_message(_socket: WsPhone, data: bytes, _arrived: float) -> None:
            me.seen.update(found.findall(data))

        me.socket = await open_phone(
            "127.0.0.1",
            server.port,
            f"/sessions/{fac.session}/ws?view=present",
            fac.cookie_header(),
            on_message,
        )
        return me

    async def all_shown(self, expected: int, within: float) -> float | None:
        """Seconds after now until every answer was on the presenter (None: not within)."""
        started = time.monotonic()
        while len(self.seen) < expected:
            if time.monotonic() - started > within:
                return None
            await asyncio.sleep(0.05)
        return time.monotonic() - started


async def floor_ingest(args: argparse.Namespace, answers: int, round_no: int) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "floor.db"
        port = free_port()
        server = floor_server("ingest_http_server.py", [str(db)], port, args.server_cpu)
        server.start()
        crowd = Crowd(port, "/", clients(args, answers))
        try:
            requests = [
                ("/items/2/responses", _body(i, "x" * 43), f"phone=p{round_no}_{i}")
                for i in range(answers)
            ]
            figures = await burst(server, crowd, requests, ("floor", str(db)))
            figures.pop("_results")
            status, body = await http("GET", port, "/stats")
            figures["stored"] = json.loads(body)["stored"] if status == 200 else None
            return figures
        finally:
            crowd.stop()
            server.stop()


# -- the run, and its table ---------------------------------------------------------------


def schedule(phones: list[int], answers: int, rounds: int) -> list[tuple[int, str, int]]:
    """(round, experiment, phones): floor and app side by side, order alternating."""
    out = []
    for r in range(rounds):
        one: list[tuple[str, int]] = []
        for n in phones:
            pair = [("floor-push", n), ("app", n)]
            if n == phones[0] and answers:
                pair.append(("floor-ingest", answers))
            one += pair
        if r % 2:
            one.reverse()
        out += [(r, name, n) for name, n in one]
    return out


async def run_all(args: argparse.Namespace) -> dict[str, list[Figures]]:
    found: dict[str, list[Figures]] = {}
    plan = schedule(args.phones, args.answers, args.rounds)
    for step, (r, name, n) in enumerate(plan, 1):
        label = f"{name} {n}"
        print(f"[{step}/{len(plan)}] round {r + 1}: {label} …", flush=True)
        try:
            if name == "floor-push":
                figures = await floor_push(args, n)
            elif name == "floor-ingest":
                figures = await floor_ingest(args, n, r)
            else:
                figures = await app_run(args, n, args.answers if n == args.phones[0] else 0)
        except Exception as exc:  # noqa: BLE001  # reported, the run goes on
            traceback.print_exc()
            figures = {"error": repr(exc)[:300]}
        figures["round"] = r
        found.setdefault(label, []).append(figures)
        print("   " + short(figures), flush=True)
    return found


def short(f: Figures) -> str:
    keys = (
        "error",
        "last_p50_ms",
        "last_p99_ms",
        "server_us_per_phone_move",
        "client_us_per_phone_move",
        "client_busy",
        "stall_max_ms",
        "fanout_full_max_ms",
        "reload_max_ms",
        "kib_per_phone",
        "ack_p99_ms",
        "server_ms_per_answer",
        "acked",
        "stored",
        "acked_not_stored",
        "commits",
        "missing",
        "dropped",
    )
    return ", ".join(f"{k}={_fmt(f[k])}" for k in keys if k in f and f[k] is not None)


def _fmt(v: Any) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def median_of(runs: list[Figures], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def ratios(app: list[Figures], floor: list[Figures], key: str) -> float | None:
    """The median of each round's app/floor (a round's two runs ran side by side)."""
    by_round = {f["round"]: f.get(key) for f in floor}
    out = [
        a[key] / by_round[a["round"]]
        for a in app
        if a.get(key) is not None and by_round.get(a["round"])
    ]
    return statistics.median(out) if out else None


def derive(found: dict[str, list[Figures]]) -> None:
    """Figures computed from the measured ones (percentages)."""
    for runs in found.values():
        for r in runs:
            if "client_busy" in r:
                r["client_busy_pct"] = 100 * r["client_busy"]
            if r.get("rss_moves_before_kib"):
                r["moves_kept_pct"] = 100 * (
                    r["rss_moves_after_kib"] / r["rss_moves_before_kib"] - 1
                )
            if r.get("rss_burst_before_kib"):
                r["burst_kept_pct"] = 100 * (
                    r["rss_burst_after_kib"] / r["rss_burst_before_kib"] - 1
                )
            took = r.get("rss_connected_kib", 0) - r.get("rss_idle_kib", 0)
            if "rss_left_kib" in r and took > 0:
                # Of what the phones' sockets took, the share still held once they all left.
                r["left_kept_pct"] = 100 * (r["rss_left_kib"] - r["rss_idle_kib"]) / took


def table(found: dict[str, list[Figures]], args: argparse.Namespace) -> list[str]:
    rows: list[tuple[str, str, str, str, str, str]] = []

    def ratio_row(
        name: str, app_key: str, floor_key: str, key: str, unit: str, target: float, digits: int = 0
    ) -> None:
        app, floor = found.get(app_key, []), found.get(floor_key, [])
        a, f, r = median_of(app, key), median_of(floor, key), ratios(app, floor, key)
        ok = "pass" if r is not None and r <= target else "FAIL"
        rows.append(
            (
                name,
                _u(f, unit, digits),
                _u(a, unit, digits),
                f"{r:.2f}" if r is not None else "–",
                f"≤ {target}× floor",
                ok,
            )
        )

    def limit_row(
        name: str,
        app_key: str,
        floor_key: str | None,
        key: str,
        unit: str,
        limit: float | None,
        digits: int = 0,
    ) -> None:
        """The app's worst round against an absolute limit (None: shown, not judged)."""
        app = found.get(app_key, [])
        floor = found.get(floor_key, []) if floor_key else []
        a = median_of(app, key)
        worst = max((r[key] for r in app if r.get(key) is not None), default=None)
        f = median_of(floor, key) if floor else None
        shown = _u(a, unit, digits)
        if len(app) > 1 and worst is not None:
            shown += f" (worst {_u(worst, unit, digits)})"
        if limit is None:
            rows.append((name, _u(f, unit, digits), shown, "–", "(info)", ""))
            return
        ok = "pass" if worst is not None and worst <= limit else "FAIL"
        rows.append((name, _u(f, unit, digits), shown, "–", f"≤ {limit:g} {unit}".strip(), ok))

    m, first = args.answers, args.phones[0]
    if m:
        app_key, floor_key = f"app {first}", f"floor-ingest {m}"
        ratio_row(
            f"server CPU per answer, {m:,} at once",
            app_key,
            floor_key,
            "server_ms_per_answer",
            "ms",
            1.5,
            2,
        )
        ratio_row(
            f"answer acknowledged, p99 ({m:,} at once)", app_key, floor_key, "ack_p99_ms", "ms", 1.5
        )
        app = [r for r in found.get(app_key, []) if "acked" in r]
        floor = found.get(floor_key, [])
        good = bool(app) and all(
            r["acked"] == r["answers"] == r["stored"]
            and not r["acked_not_stored"]
            and not r["acked_without_own_id"]
            and not r["acked_before_commit"]
            for r in app
        )
        rows.append(
            (
                "answers acked / stored / lost / acked before commit",
                " / ".join(_ints(floor, k) for k in ("acked", "stored"))
                + " / – / "
                + _ints(floor, "acked_before_commit"),
                " / ".join(
                    _ints(app, k)
                    for k in ("acked", "stored", "acked_not_stored", "acked_before_commit")
                ),
                "–",
                f"{m:,} acked after commit, 0 lost",
                "pass" if good else "FAIL",
            )
        )
        limit_row(
            "memory 3 s after the answer burst vs before",
            app_key,
            floor_key,
            "burst_kept_pct",
            "%",
            None,
            1,
        )
    for n in args.phones:
        app_key, floor_key = f"app {n}", f"floor-push {n}"
        ratio_row(
            f"server CPU per phone per move, {n:,} phones",
            app_key,
            floor_key,
            "server_us_per_phone_move",
            "µs",
            1.0,
            1,
        )
        limit_row(
            f"longest event-loop stall during a move, {n:,}",
            app_key,
            floor_key,
            "stall_max_ms",
            "ms",
            50,
        )
        limit_row(f"move → last phone, p99, {n:,}", app_key, floor_key, "last_p99_ms", "ms", 500)
        limit_row(
            f"client busy while moves travel, {n:,}", app_key, floor_key, "client_busy_pct", "%", 80
        )
        limit_row(
            f"server memory per phone, {n:,}", app_key, floor_key, "kib_per_phone", "KiB", 100
        )
        limit_row(
            f"memory 2 s after the moves vs before, {n:,}",
            app_key,
            floor_key,
            "moves_kept_pct",
            "%",
            10,
            1,
        )
        limit_row(
            f"phones' memory still held after they left, {n:,}",
            app_key,
            floor_key,
            "left_kept_pct",
            "%",
            10,
        )
    head = ("figure", "floor", "app", "ratio", "target", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(6)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return lines


def _u(v: float | None, unit: str, digits: int) -> str:
    return "–" if v is None else f"{v:,.{digits}f} {unit}".strip()


def _ints(runs: list[Figures], key: str) -> str:
    values = [r.get(key) for r in runs]
    return ",".join(str(v) for v in values) if values else "–"


def details(found: dict[str, list[Figures]]) -> list[str]:
    lines = []
    for label, runs in found.items():
        for r in runs:
            lines.append(f"{label} (round {r['round'] + 1}): {short(r)}")
            extra = {
                k: r[k]
                for k in (
                    "connect_s",
                    "joins_per_s",
                    "phone_p50_ms",
                    "last_max_ms",
                    "stall_wall_max_ms",
                    "stall_by_move_ms",
                    "burst_stall_wall_max_ms",
                    "rss_idle_kib",
                    "rss_connected_kib",
                    "rss_moves_peak_kib",
                    "rss_moves_after_kib",
                    "rss_left_kib",
                    "burst_wall_s",
                    "client_ms_per_answer",
                    "writes_per_commit_max",
                    "burst_stall_max_ms",
                    "rss_burst_before_kib",
                    "rss_burst_peak_kib",
                    "rss_burst_after_kib",
                    "presenter_s",
                    "ack_p50_ms",
                    "failed_statuses",
                )
                if k in r
            }
            if extra:
                lines.append("    " + ", ".join(f"{k}={_fmt(v)}" for k, v in extra.items()))
    return lines


async def main(args: argparse.Namespace) -> None:
    exit_on_sigterm()
    hard = raise_open_files()
    need = max(args.phones) * 2 + 200
    if hard < need:
        sys.exit(f"open-files limit {hard} is too low for {max(args.phones)} phones")
    pinned = pin_client(args.client_cpu)
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores; "
        f"servers on core {args.server_cpu}, this client on {pinned}; phones {args.phones}, "
        f"{args.moves} moves, {args.answers} answers at once, {args.rounds} round(s), "
        f"{args.clients or 'one per 2,500 phones'} client process(es)",
        flush=True,
    )
    started = time.monotonic()
    found = await run_all(args)
    derive(found)
    print(
        f"\ndone in {time.monotonic() - started:.0f} s; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
    )
    print("\n".join(details(found)))
    print()
    print("\n".join(table(found, args)))
    if args.json:
        Path(args.json).write_text(json.dumps(found, indent=1))  # noqa: ASYNC240


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", default="2000,5000", help="numbers of phones, comma-separated")
    parser.add_argument("--answers", type=int, help="answers at once (default: the first --phones)")
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between moves")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--clients",
        type=int,
        default=0,
        help="client processes for the phones (0: one per 2,500 phones)",
    )
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--client-cpu", type=int, default=1)
    parser.add_argument("--floor-mode", default="seq", choices=("seq", "seq1", "tasks"))
    parser.add_argument("--json", metavar="FILE", help="write every run's figures there")
    args = parser.parse_args(argv)
    args.phones = [int(n) for n in str(args.phones).split(",") if n.strip()]
    if args.answers is None:
        args.answers = args.phones[0]
    args.answers = min(args.answers, args.phones[0])
    if cores() < 2:
        args.server_cpu = args.client_cpu = None
    return args


if __name__ == "__main__":
    asyncio.run(main(parse()))
