"""What the benchmarks share: servers pinned to a core, a seeded database, phones joining.

Nothing here is imported by the app or the tests. The servers are started as
processes of their own (``run.py serve``, or ``bench/_probe_server.py`` which
serves the same app with a loop-lag probe, or one of the floors in
``../shared/floors``), each pinned to one core with ``taskset``; the client
pins itself to the other (:func:`pin_client`).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
FLOORS = Path(os.environ.get("SAMLING_FLOORS", ROOT.parent / "shared" / "floors"))
PASSWORD = "bench password 1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TOKEN = re.compile(r'data-token="([^"]+)"')
OWN = re.compile(rb'id="own-(\d+)"')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- the machine ------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def task_cpu_seconds(pid: int) -> float:
    """CPU of a process's main thread, to the nanosecond (/proc/PID/schedstat): for the
    single-threaded phone processes, whose moves take milliseconds."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cores() -> int:
    return len(os.sched_getaffinity(0))


def pin_client(cpu: int | None) -> str:
    """Pin this process (and the processes it starts after) to one core; what was done."""
    if cpu is None or os.cpu_count() is None or (os.cpu_count() or 1) < 2:
        return "not pinned"
    os.sched_setaffinity(0, {cpu})
    return f"core {cpu}"


def exit_on_sigterm() -> None:
    """SIGTERM ends the benchmark as Ctrl-C does: its servers are stopped on the way out."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def raise_open_files() -> int:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, process: subprocess.Popen[bytes], within: float = 60) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


# -- figures ----------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread_ms(seconds: Sequence[float]) -> str:
    if not seconds:
        return "no values"
    ms = [s * 1000 for s in seconds]
    return (
        f"p50 {statistics.median(ms):.0f} ms, p99 {pct(ms, 0.99):.0f} ms, "
        f"max {max(ms):.0f} ms (n={len(ms)})"
    )


# -- servers ----------------------------------------------------------------------------


class ServerProcess:
    """One server process pinned to a core; stopped by its own pid, never by name."""

    def __init__(self, name: str, argv: list[str], port: int, cpu: int | None) -> None:
        self.name = name
        self.argv = argv
        self.port = port
        self.cpu = cpu
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"samling-bench-{name}-{port}.log"

    def start(self) -> None:
        pinned = ["taskset", "-c", str(self.cpu)] if self.cpu is not None else []
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*pinned, *self.argv],
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_listening(self.port, self.process)
        except RuntimeError as exc:
            self.stop(keep_log=True)
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{self.name}: {exc}; its log ({self.log}) ends:\n{tail}") from None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20, *, keep_log: bool = False) -> float:
        """SIGTERM, then wait (SIGKILL after ``timeout``); the seconds the exit took. The
        log is kept only when asked to or when the server did not end cleanly."""
        started = time.monotonic()
        clean = True
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                clean = False
        elif self.process is not None:
            clean = self.process.returncode == 0
        if clean and not keep_log:
            self.log.unlink(missing_ok=True)
        else:
            print(f"{self.name}: its log is {self.log}", file=sys.stderr)
        return time.monotonic() - started


def app_server(
    db: Path,
    port: int,
    cpu: int | None,
    *,
    probe: bool = True,
    interval: float = 0.005,
) -> ServerProcess:
    """The app (``run.py serve``; through the probe wrapper unless ``probe`` is False)."""
    entry = [str(ROOT / "run.py")]
    if probe:
        entry = [str(BENCH / "_probe_server.py"), "--probe-interval", str(interval)]
    argv = [sys.executable, *entry, "serve", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--db", str(db), "--public-url", f"http://127.0.0.1:{port}"]
    return ServerProcess("app", argv, port, cpu)


def floor_server(script: str, args: list[str], port: int, cpu: int | None) -> ServerProcess:
    """A floor from FLOORS, unchanged, served through the probe wrapper (the same lag
    sampler as the app's, so both carry the same small cost)."""
    argv = [sys.executable, str(BENCH / "_probe_server.py"), "--floor", str(FLOORS / script)]
    return ServerProcess(Path(script).stem, [*argv, str(port), *args], port, cpu)


async def probe(port: int) -> dict:
    """What the server's probe recorded since the last call (it starts afresh)."""
    status, body = await http("GET", port, "/_bench/probe")
    assert status == 200, status
    return json.loads(body)


def lag_in(
    recorded: dict, windows: Sequence[tuple[float, float]], *, own: bool = False
) -> list[float]:
    """The probe's late wake-ups (seconds) whose sleep overlapped one of the windows; with
    ``own``, each only as long as the loop's thread was on the CPU meanwhile (its own
    work, not the core taken by another process)."""
    interval = float(recorded["interval"])
    out = []
    for start, late, *cpu in recorded["lag"]:
        end = start + interval + late
        if any(start < b and end > a for a, b in windows):
            out.append(min(late, cpu[0]) if own and cpu else late)
    return out


def calls_in(recorded: dict, name: str, windows: Sequence[tuple[float, float]]) -> list[float]:
    out = []
    for start, seconds, *_cpu in recorded["calls"].get(name, []):
        if any(start < b and start + seconds > a for a, b in windows):
            out.append(seconds)
    return out


# -- plain HTTP over a socket: cheaper for this process than a client library -----------


async def http(
    method: str,
    port: int,
    path: str,
    body: bytes = b"",
    cookie: str = "",
    *,
    hx: bool = False,
    within: float = 120,
) -> tuple[int, bytes]:
    """One request on its own connection (``Connection: close``): (status, body)."""

    async def go() -> tuple[int, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            if cookie:
                head += f"Cookie: {cookie}\r\n"
            if hx:
                head += "HX-Request: true\r\n"
            if method == "POST":
                head += (
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {len(body)}\r\n"
                )
            writer.write((head + "Connection: close\r\n\r\n").encode() + body)
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
        status_line, _, rest = data.partition(b"\r\n")
        if not status_line:
            raise ConnectionError("no answer")
        headers, _, content = rest.partition(b"\r\n\r\n")
        if b"transfer-encoding: chunked" in headers.lower():
            content = _unchunk(content)
        return int(status_line.split()[1]), content

    return await asyncio.wait_for(go(), within)


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)


# -- the app's database, seeded through the store before the server starts --------------


def agenda(items: int, title: str, answers_per_phone: int = 3) -> str:
    parts = ["samling_agenda = 1\n"]
    for i in range(items):
        parts.append(
            f'\n[[item]]\ntitle = "{title} {i:02d}"\nduration = 5\n'
            'kind = "exercise"\nexercise = "open_text"\n\n[item.settings]\n'
            f'question = "What do you take home from part {i}?"\n'
            f"answers_per_phone = {answers_per_phone}\nmax_length = 200\n"
        )
    return "".join(parts)


@dataclass
class Seeded:
    session: int
    code: str
    items: list[int]


async def seed(db: Path, items: int, title: str, answers_per_phone: int = 3) -> Seeded:
    """A facilitator ``bench``, a live session of open-text questions; in the store."""
    from workshop import agenda_toml, auth
    from workshop.app import kind_registry
    from workshop.settings import Settings
    from workshop.store import Store

    store = Store(db)
    await store.open()
    try:
        hashed = await auth.hash_password(PASSWORD)
        owner = await store.accounts.create("bench", "Bench", hashed, "en")
        programme = await store.programmes.create(owner.id, "Bench", "")
        session = await store.programmes.create_session(programme.id, "Bench day", None, "")
        kinds = kind_registry(Settings().plugins)
        await store.agenda.replace(
            session.id, agenda_toml.load(agenda(items, title, answers_per_phone), kinds)
        )
        started = await store.live.start(session.id)
        assert started.join_code is not None
        ids = [i.id for i in await store.agenda.items(session.id)]
        return Seeded(session.id, started.join_code, ids)
    finally:
        await store.close()


def stored_responses(db: Path, item_id: int | None = None) -> dict[int, tuple[int, int]]:
    """Every stored response: id → (item, phone), read on a connection of our own."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        sql = "SELECT id, item_id, participant_id FROM responses"
        rows = conn.execute(
            sql + (" WHERE item_id = ?" if item_id else ""), (item_id,) if item_id else ()
        )
        return {r[0]: (r[1], r[2]) for r in rows}
    finally:
        conn.close()


# -- the facilitator and the phones, over HTTP --------------------------------------------


class Facilitator:
    """The facilitator logged in (httpx2, keeping its connection), moving the session on."""

    def __init__(self, url: str, session: int) -> None:
        import httpx2

        self.url = url
        self.session = session
        self.client = httpx2.AsyncClient(base_url=url, timeout=120)
        self.csrf = ""

    async def login(self) -> None:
        self.client.cookies.clear()
        page = await self.client.get("/login")
        token = CSRF.search(page.text)
        assert token, page.text[:300]
        done = await self.client.post(
            "/login",
            data={"username": "bench", "password": PASSWORD, "csrf_token": token[1], "next": "/"},
        )
        assert done.status_code == 303, done.status_code
        found = CSRF.search((await self.client.get(f"/sessions/{self.session}/control")).text)
        assert found
        self.csrf = found[1]

    async def step(self) -> int:
        done = await self.client.post(
            f"/sessions/{self.session}/live/step",
            data={"by": "1", "csrf_token": self.csrf},
            headers={"HX-Request": "true"},
        )
        return done.status_code

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())

    async def close(self) -> None:
        await self.client.aclose()


async def join_all(url: str, code: str, count: int, start: int = 0) -> tuple[list[str], float]:
    """``count`` phones through the join form, from this one address; their cookies and
    the joins per second."""
    import httpx2

    limits = httpx2.Limits(max_connections=64)
    async with httpx2.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        page = await client.get("/")
        token = CSRF.search(page.text)
        assert token
        anon = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        client.cookies.clear()
        gate = asyncio.Semaphore(64)

        async def one(i: int) -> str:
            async with gate:
                joined = await client.post(
                    "/join",
                    data={"code": code, "name": f"Phone {i}", "csrf_token": token[1]},
                    headers={"Cookie": anon},
                )
            assert joined.status_code == 303, (joined.status_code, joined.text[:300])
            return joined.headers["set-cookie"].split(";", 1)[0]

        started = time.perf_counter()
        cookies = await asyncio.gather(*(one(start + i) for i in range(count)))
        return list(cookies), count / (time.perf_counter() - started)


async def tokens(url: str, code: str, cookies: Sequence[str]) -> list[str]:
    """Each phone's form token, from its live page (``data-token``)."""
    import httpx2

    limits = httpx2.Limits(max_connections=32)
    async with httpx2.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        gate = asyncio.Semaphore(32)

        async def one(cookie: str) -> str:
            async with gate:
                page = await client.get(f"/s/{code}", headers={"Cookie": cookie})
            found = TOKEN.search(page.text)
            assert found, page.text[:300]
            return found[1]

        return list(await asyncio.gather(*(one(c) for c in cookies)))
