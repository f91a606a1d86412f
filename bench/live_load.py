#!/usr/bin/env python3
"""The live loop under load: many phones on one server process.

Run: ``make bench-live`` (or ``.venv/bin/python bench/live_load.py --phones 2000``).
It starts ``run.py serve`` on a temporary database, makes a facilitator and a
live session of open-text questions, and then:

1. joins N phones over HTTP from this one address (the join form, as a phone
   does it: the rate limit must let a whole NAT in);
2. opens N phone websockets (Origin and phone cookie, permessage-deflate) and
   waits for each one's full state;
3. moves the session on ``--moves`` times and times each move from the
   facilitator's POST until the last phone has the new item (push latency);
4. has ``--burst`` phones send one answer each at once and times each answer
   until it is acknowledged (answered only after the commit), then checks
   that every answer is on the presenter's socket.

It prints the server's CPU time per delivered push message (from
/proc/PID/stat), its resident memory per connected phone (from
/proc/PID/status) and the latencies as p50/p99/max. The phones all run in
this one client process, so on a small machine the client's own work is part
of every latency: the figures are an upper bound for the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx2
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TOKEN = re.compile(r'data-token="([^"]+)"')
IDEM = re.compile(r'name="idem_key" value="([^"]*)"')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KIB = 4


def agenda(items: int) -> str:
    parts = ["samling_agenda = 1\n"]
    for i in range(items):
        parts.append(
            f'\n[[item]]\ntitle = "Bench question {i:02d}"\nduration = 5\n'
            'kind = "exercise"\nexercise = "open_text"\n\n[item.settings]\n'
            f'question = "What do you take home from part {i}?"\n'
            "answers_per_phone = 3\nmax_length = 200\n"
        )
    return "".join(parts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_py(*args: str, stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        input=stdin,
        text=True,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return (
        f"{name}: p50 {statistics.median(ms):.0f} ms, p99 {p99:.0f} ms, "
        f"max {ms[-1]:.0f} ms (n={len(ms)})"
    )


@dataclass
class Phone:
    cookie: str
    token: str = ""
    socket: ClientConnection | None = None
    seen: asyncio.Event = field(default_factory=asyncio.Event)
    waiting_for: str = ""
    messages: int = 0


class Server:
    def __init__(self, folder: Path, profile: str | None = None) -> None:
        self.profile = profile
        self.db = folder / "bench.db"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        run_py("facilitator", "create", "bench", "--db", str(self.db), stdin=PASSWORD + "\n")
        profiler = ["-m", "cProfile", "-o", self.profile] if self.profile else []
        self.process = subprocess.Popen(
            [
                sys.executable,
                *profiler,
                str(ROOT / "run.py"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--db",
                str(self.db),
                "--public-url",
                self.url,
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGINT: uvicorn re-raises SIGTERM after its shutdown, which would lose a profile.
            self.process.send_signal(signal.SIGINT if self.profile else signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


async def facilitator(
    server: Server, folder: Path, items: int
) -> tuple[httpx2.AsyncClient, str, int, str]:
    """A logged-in client, its CSRF token, and a started session: (client, csrf, id, code)."""
    client = httpx2.AsyncClient(base_url=server.url, timeout=60)
    page = await client.get("/login")
    token = CSRF.search(page.text)
    assert token
    await client.post(
        "/login",
        data={"username": "bench", "password": PASSWORD, "csrf_token": token[1], "next": "/"},
    )
    csrf_found = CSRF.search((await client.get("/programmes")).text)
    assert csrf_found
    csrf = csrf_found[1]
    made = await client.post("/programmes", data={"title": "Bench", "csrf_token": csrf})
    programme = made.headers["location"].rsplit("/", 1)[1]
    made = await client.post(
        f"/programmes/{programme}/sessions", data={"title": "Bench day", "csrf_token": csrf}
    )
    session = int(made.headers["location"].rsplit("/", 1)[1])
    file = folder / "agenda.toml"
    file.write_text(agenda(items), encoding="utf-8")
    run_py("agenda", "import", str(file), "--session", str(session), "--db", str(server.db))
    await client.post(f"/sessions/{session}/live/start", data={"csrf_token": csrf})
    control = (await client.get(f"/sessions/{session}/control")).text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code, "no join code on the control panel"
    return client, csrf, session, code[1] + code[2]


async def join_all(server: Server, code: str, count: int) -> tuple[list[Phone], float]:
    """Join ``count`` phones through the join form; return them and the joins per second."""
    limits = httpx2.Limits(max_connections=64)
    async with httpx2.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        page = await client.get("/")
        token = CSRF.search(page.text)
        assert token
        anon = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        gate = asyncio.Semaphore(64)

        async def one(i: int) -> Phone:
            async with gate:
                joined = await client.post(
                    "/join",
                    data={"code": code, "name": f"Phone {i}", "csrf_token": token[1]},
                    headers={"Cookie": anon},
                )
                assert joined.status_code == 303, (joined.status_code, joined.text[:300])
                cookie = joined.headers["set-cookie"].split(";", 1)[0]
                return Phone(cookie)

        client.cookies.clear()
        started = time.perf_counter()
        phones = await asyncio.gather(*(one(i) for i in range(count)))
        return list(phones), count / (time.perf_counter() - started)


async def listen(phone: Phone) -> None:
    assert phone.socket is not None
    try:
        async for message in phone.socket:
            phone.messages += 1
            if phone.waiting_for and phone.waiting_for in str(message):
                phone.seen.set()
    except Exception:  # noqa: BLE001  # a closed socket ends the listener; counted below
        return


async def connect_all(server: Server, code: str, phones: list[Phone]) -> float:
    """Open every phone's socket and wait for its full state; return the seconds it took."""
    url = server.url.replace("http://", "ws://") + f"/s/{code}/ws"
    gate = asyncio.Semaphore(100)

    async def one(phone: Phone) -> None:
        async with gate:
            phone.socket = await connect(
                url,
                additional_headers={"Origin": server.url, "Cookie": phone.cookie},
                open_timeout=60,
                max_size=2**20,
            )
            first = await asyncio.wait_for(phone.socket.recv(), 60)
            assert 'id="stage"' in str(first)
            phone.messages = 1

    started = time.perf_counter()
    await asyncio.gather(*(one(p) for p in phones))
    return time.perf_counter() - started


async def main(args: argparse.Namespace) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.phones * 2 + 100:
        sys.exit(f"open-files limit {hard} is too low for {args.phones} phones")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = Server(folder, args.profile)
        server.start()
        try:
            await run(server, folder, args)
        finally:
            server.stop()


async def run(server: Server, folder: Path, args: argparse.Namespace) -> None:
    items = args.moves + 1
    fac, csrf, session, code = await facilitator(server, folder, items)
    print(f"server pid {server.pid}, session {session}, code {code}, {args.phones} phones")
    rss_before = rss_kib(server.pid)

    phones, joins_per_second = await join_all(server, code, args.phones)
    print(f"joined {len(phones)} phones from one address: {joins_per_second:.0f} joins/s")

    connect_seconds = await connect_all(server, code, phones)
    await asyncio.sleep(1)
    rss_after = rss_kib(server.pid)
    per_phone = (rss_after - rss_before) / len(phones)
    print(
        f"connected {len(phones)} sockets in {connect_seconds:.1f} s; server RSS "
        f"{rss_before // 1024} → {rss_after // 1024} MiB: {per_phone:.0f} KiB per phone"
    )
    listeners = [asyncio.create_task(listen(p)) for p in phones]

    # Moves: from the POST until the last phone shows the new item.
    latencies: list[float] = []
    cpu_before = cpu_seconds(server.pid)
    messages_before = sum(p.messages for p in phones)
    for move in range(1, items):
        title = f"Bench question {move:02d}"
        for phone in phones:
            phone.seen.clear()
            phone.waiting_for = title
        started = time.perf_counter()
        done = await fac.post(
            f"/sessions/{session}/live/step",
            data={"by": "1", "csrf_token": csrf},
            headers={"HX-Request": "true"},
        )
        assert done.status_code == 204, done.status_code
        await asyncio.wait_for(asyncio.gather(*(p.seen.wait() for p in phones)), 60)
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(args.pause)
    cpu_used = cpu_seconds(server.pid) - cpu_before
    delivered = sum(p.messages for p in phones) - messages_before
    print(summary(f"push on move (last of {len(phones)} phones has it)", latencies))
    print(
        f"server CPU {cpu_used:.2f} s for {delivered} delivered messages: "
        f"{cpu_used / delivered * 1e6:.0f} µs per message (incl. the moves' own work)"
    )

    # A burst of answers: each acknowledged only after its commit. The POSTs go
    # over plain sockets: an HTTP client library would cost this process more
    # CPU per request than the server spends on it.
    burst = phones[: args.burst]
    item = await current_item(fac, session)
    limits = httpx2.Limits(max_connections=64)
    async with httpx2.AsyncClient(base_url=server.url, timeout=120, limits=limits) as client:
        gate = asyncio.Semaphore(64)

        async def form_of(phone: Phone) -> None:
            async with gate:
                page = await client.get(f"/s/{code}", headers={"Cookie": phone.cookie})
            found = TOKEN.search(page.text)
            assert found, page.text[:300]
            phone.token = found[1]

        await asyncio.gather(*(form_of(p) for p in burst))
    presenter = await presenter_socket(server, fac, session)
    acks: list[float] = []

    async def answer(i: int, phone: Phone) -> None:
        body = urlencode(
            {
                "text": f"Burst answer {i:05d}",
                "csrf_token": phone.token,
                "idem_key": uuid.uuid4().hex,
            }
        ).encode()
        started = time.perf_counter()
        status = await post(server, f"/s/{code}/items/{item}/responses", body, phone.cookie)
        assert status == 200, status
        acks.append(time.perf_counter() - started)

    cpu_before = cpu_seconds(server.pid)
    own_before = cpu_seconds(os.getpid())
    started = time.perf_counter()
    await asyncio.gather(*(answer(i, p) for i, p in enumerate(burst)))
    burst_seconds = time.perf_counter() - started
    burst_cpu = cpu_seconds(server.pid) - cpu_before
    client_cpu = cpu_seconds(os.getpid()) - own_before
    shown = await wall_count(presenter, len(burst), within=30)
    await presenter.close()
    print(summary(f"answer acknowledged ({len(burst)} phones at once)", acks))
    print(
        f"burst of {len(burst)} answers done in {burst_seconds:.1f} s "
        f"(server CPU {burst_cpu / len(burst) * 1000:.1f} ms per answer, "
        f"{burst_cpu / burst_seconds:.0%} of a core; "
        f"this client {client_cpu / burst_seconds:.0%}); "
        f"on the presenter within {shown:.1f} s after the last ack"
    )
    closed = sum(1 for p in phones if p.socket is not None and p.socket.close_code is not None)
    print(f"phone sockets closed by the server during the run: {closed}")
    for phone in phones:
        if phone.socket is not None:
            await phone.socket.close()
    for task in listeners:
        task.cancel()
    await fac.aclose()


async def post(server: Server, path: str, body: bytes, cookie: str) -> int:
    """One form POST as htmx sends it, on its own connection; the status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nCookie: {cookie}\r\n"
        "HX-Request: true\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()  # the rest, until the server closes
    writer.close()
    return int(status_line.split()[1])


async def current_item(fac: httpx2.AsyncClient, session: int) -> int:
    control = (await fac.get(f"/sessions/{session}/control")).text
    found = re.search(r'id="control-item-(\d+)" class="current"', control)
    assert found, "no current item on the control panel"
    return int(found[1])


async def presenter_socket(
    server: Server, fac: httpx2.AsyncClient, session: int
) -> ClientConnection:
    cookies = "; ".join(f"{k}={v}" for k, v in fac.cookies.items())
    url = server.url.replace("http://", "ws://") + f"/sessions/{session}/ws?view=present"
    presenter = await connect(url, additional_headers={"Origin": server.url, "Cookie": cookies})
    await presenter.recv()
    return presenter


async def wall_count(presenter: ClientConnection, expected: int, within: float) -> float:
    """Read the presenter's pushes until every burst answer is on its wall."""
    seen: set[str] = set()
    started = time.perf_counter()
    deadline = started + within
    while len(seen) < expected:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise AssertionError(f"only {len(seen)} of {expected} answers reached the presenter")
        message = str(await asyncio.wait_for(presenter.recv(), left))
        seen.update(re.findall(r"Burst answer \d{5}", message))
    return time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--burst", type=int, default=300, help="phones that answer at once")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between moves")
    parser.add_argument("--profile", metavar="FILE", help="run the server under cProfile into FILE")
    arguments = parser.parse_args()
    arguments.burst = min(arguments.burst, arguments.phones)
    asyncio.run(main(arguments))
