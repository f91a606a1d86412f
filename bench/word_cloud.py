#!/usr/bin/env python3
"""The word cloud with many phrases: how soon a new answer is drawn, and what the loop feels.

Run: ``make bench-cloud`` (or ``.venv/bin/python bench/word_cloud.py --phrases 30,300,3000``).
For each number of distinct phrases it makes a fresh database with one live
word-cloud item already holding that many phrases (written through the store
before the server starts: the most sent phrase ``--head`` times, the phrase of
rank r about head/r times, the tail once each), and then:

1. starts the server with ``bench/_probe_server.py``: ``run.py serve`` exactly,
   plus a task in the server's event loop that sleeps ``--probe-interval`` and
   records how late it wakes, and timings of the live loop's parts;
2. logs the facilitator in and opens the presenter's socket (and the control
   panel's, unless ``--no-control``), as a browser does (Origin, cookie);
3. sends ``--answers`` new phrases, one at a time, each through the phones' own
   POST (htmx header, the phone's token, an idempotency key), and times each
   from its acknowledgement until the presenter's socket has a cloud SVG with
   the phrase as a ``<text>``. A new phrase must rank among the drawn
   (``DRAWN_MAX``) to be drawn: where the drawn set is full, other phones send
   it first (not timed; that does not change what is drawn), and the timed
   answer is the one that brings it in. Each phrase is sent only once the
   server's redraw throttle (``Drawings.INTERVAL`` in ``workshop/live/drawings.py``)
   is over since the previous cloud arrived, so no figure includes a throttle wait.

It prints, per size, the answer→cloud latency (p50/p95/max), where that time
goes (before the layout, the layout in the worker process, after it), the
event loop's lag while the answers are on their way to the cloud and over the
whole run, the loop's work per answer (which parts, how often, how long), and
the layout and ``summarise`` timed directly in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx2
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    CSRF,
    ServerProcess,
    app_server,
    cores,
    cpu_seconds,
    free_port,
    http,
    join_all,
    pin_client,
    tokens,
)

from exercises import word_cloud  # noqa: E402
from workshop import agenda_toml, auth  # noqa: E402
from workshop.app import kind_registry  # noqa: E402
from workshop.live.drawings import Drawings  # noqa: E402
from workshop.settings import Settings  # noqa: E402
from workshop.store import Store, Tx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 1"
ENTRIES = 10  # entries per phone: the most word_cloud allows
AGENDA = f"""samling_agenda = 1

[[item]]
title = "Ordsky"
duration = 10
kind = "exercise"
exercise = "word_cloud"

[item.settings]
question = "Hva tar du med deg fra i dag?"
entries_per_phone = {ENTRIES}
max_length = 40
"""
WORD = re.compile(r"<text[^>]*>([^<]*)</text>")
Span = tuple[float, float]  # (start, end) by time.monotonic: one clock for every process

# Invented phrases: an adjective and a noun, bokmål and English.
_NB_ADJ = (
    "felles tydelig rask trygg åpen ny god klar ærlig modig rolig sterk lett enkel varm "
    "kreativ smidig raus nysgjerrig grønn lokal digital langsiktig kort konkret praktisk "
    "stabil fleksibel samlet levende nær stille lys frisk ekte bærekraftig robust tverrfaglig "
    "inkluderende lyttende delt aktiv engasjert presis jevn tålmodig ryddig fri bred dyp"
).split()
_NB_NOUN = (
    "forståelse flyt læring tillit retning samarbeid energi dialog fokus ledelse kultur "
    "kommunikasjon struktur endring glede ansvar mestring motivasjon prioritering "
    "tilbakemelding mangfold innovasjon fellesskap trivsel kvalitet tempo oversikt eierskap "
    "involvering nettverk refleksjon balanse framdrift oppfølging utvikling nysgjerrighet "
    "humor åpenhet raushet medvirkning planlegging beslutning rolleavklaring møtekultur "
    "arbeidsdeling kunnskapsdeling støtte tid ro mot"
).split()
_EN_ADJ = (
    "shared clear quick safe open new good honest brave calm strong simple warm creative "
    "agile curious green local long concrete practical steady flexible lively fresh real "
    "robust active precise patient"
).split()
_EN_NOUN = (
    "understanding flow learning trust direction teamwork energy dialogue focus leadership "
    "culture structure change joy ownership mastery motivation feedback diversity community "
    "quality pace overview network reflection balance progress support time courage"
).split()


def phrases() -> list[str]:
    """Every invented phrase, in a fixed shuffled order; no two are the same phrase."""
    seen: set[str] = set()
    out = []
    for adjectives, nouns in ((_NB_ADJ, _NB_NOUN), (_EN_ADJ, _EN_NOUN)):
        for adjective in adjectives:
            for noun in nouns:
                text = f"{adjective} {noun}"
                if word_cloud.key(text) not in seen:
                    seen.add(word_cloud.key(text))
                    out.append(text)
    random.Random(7).shuffle(out)
    return out


def needed(counts: list[int]) -> int:
    """How many entries a phrase sent after all of ``counts`` needs to be drawn.

    Drawn are the DRAWN_MAX phrases sent most, the first sent first among
    equals; a phrase sent last with c entries is drawn when fewer than
    DRAWN_MAX phrases have c or more.
    """
    c = 1
    while sum(1 for n in counts if n >= c) >= word_cloud.DRAWN_MAX:
        c += 1
    return c


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def spread(values: list[float], high: float = 0.95) -> str:
    """p50 / p<high> / max, in milliseconds."""
    if not values:
        return "no values"
    return (
        f"p50 {ms(statistics.median(values))}, p{high * 100:.0f} {ms(percentile(values, high))}, "
        f"max {ms(max(values))} (n={len(values)})"
    )


@dataclass
class Room:
    session: int
    code: str
    item: int
    counts: list[int]  # entries per phrase, in the order first sent
    phones: int


async def seed(db: Path, texts: list[str], counts: list[int]) -> Room:
    """A facilitator and a live session whose word cloud already holds the phrases."""
    store = Store(db)
    await store.open()
    try:
        kinds = kind_registry(Settings().plugins)
        hashed = await auth.hash_password(PASSWORD)
        facilitator = await store.accounts.create("bench", "Bench", hashed, "en")
        programme = await store.programmes.create(facilitator.id, "Bench", "")
        session = await store.programmes.create_session(programme.id, "Cloud day", None, "")
        await store.agenda.replace(session.id, agenda_toml.load(AGENDA, kinds))
        started = await store.live.start(session.id)
        assert started.current_item_id is not None and started.join_code is not None
        item = started.current_item_id
        # As many phones as it takes at ENTRIES each, and never one phrase twice from a phone.
        phones = max(math.ceil(sum(counts) / ENTRIES), max(counts))
        ids = [
            (await store.responses.add_participant(session.id, f"Phone {i}")).id
            for i in range(phones)
        ]

        async def write(tx: Tx) -> int:
            # The phones' answers as the live core writes them: Responses.insert, in a
            # batch (here one batch holds them all).
            sent = 0
            for text, count in zip(texts, counts, strict=True):
                for _ in range(count):
                    stored = await store.responses.insert(
                        tx,
                        session_id=session.id,
                        item_id=item,
                        participant_id=ids[sent % phones],
                        idem_key=uuid.uuid4().hex,
                        value={"text": text},
                        limit=ENTRIES,
                    )
                    assert stored is not None, "an answer was not stored"
                    sent += 1
            return sent

        await store.batch(write)
        return Room(session.id, started.join_code, item, list(counts), phones)
    finally:
        await store.close()


async def in_process(db: Path, item: int) -> tuple[float, float, int]:
    """``summarise`` and ``layout`` timed here: (summarise s, layout s, phrases drawn)."""
    store = Store(db)
    await store.open()
    try:
        responses = await store.responses.for_item(item)
    finally:
        await store.close()
    kind = word_cloud.WordCloudKind()
    settings = {"question": "?", "entries_per_phone": ENTRIES, "max_length": 40}
    times = []
    for _ in range(5):
        started = time.monotonic()
        cloud = kind.summarise(settings, responses)
        times.append(time.monotonic() - started)
    summarise = statistics.median(times)
    word_cloud.layout(cloud.table)  # imports, font cache
    times = []
    for _ in range(3):
        started = time.monotonic()
        word_cloud.layout(cloud.table)
        times.append(time.monotonic() - started)
    return summarise, statistics.median(times), len(cloud.table)


@dataclass
class Screen:
    """A screen's socket, read all along: when each awaited phrase is first drawn."""

    socket: ClientConnection
    waiting: dict[str, asyncio.Event] = field(default_factory=dict)
    drawn_at: dict[str, float] = field(default_factory=dict)

    async def listen(self) -> None:
        try:
            async for message in self.socket:
                text = str(message)
                if 'class="cloud"' not in text:
                    continue
                arrived = time.monotonic()
                words = {html.unescape(w) for w in WORD.findall(text)}
                for phrase, event in self.waiting.items():
                    if phrase in words and not event.is_set():
                        self.drawn_at[phrase] = arrived
                        event.set()
        except Exception:  # noqa: BLE001  # the socket closed: the waits time out
            return

    async def drawn(self, phrase: str, within: float) -> float | None:
        """When the phrase was first in a cloud, or None if not within ``within`` s."""
        try:
            await asyncio.wait_for(self.waiting[phrase].wait(), within)
        except TimeoutError:
            return None
        return self.drawn_at[phrase]


@dataclass
class Sample:
    phrase: str
    sent: float  # the timed POST went out
    acked: float  # its answer was in
    drawn: float | None  # the presenter had a cloud with the phrase


@dataclass
class Phone:
    cookie: str
    token: str


async def presenter_socket(
    server: ServerProcess, fac: httpx2.AsyncClient, session: int
) -> ClientConnection:
    cookies = "; ".join(f"{k}={v}" for k, v in fac.cookies.items())
    url = server.url.replace("http://", "ws://") + f"/sessions/{session}/ws?view=present"
    presenter = await connect(url, additional_headers={"Origin": server.url, "Cookie": cookies})
    await presenter.recv()
    return presenter


async def login(server: ServerProcess) -> httpx2.AsyncClient:
    client = httpx2.AsyncClient(base_url=server.url, timeout=60)
    token = CSRF.search((await client.get("/login")).text)
    assert token
    done = await client.post(
        "/login",
        data={"username": "bench", "password": PASSWORD, "csrf_token": token[1], "next": "/"},
    )
    assert done.status_code == 303, done.status_code
    return client


async def control_socket(
    server: ServerProcess, fac: httpx2.AsyncClient, session: int
) -> ClientConnection:
    cookies = "; ".join(f"{k}={v}" for k, v in fac.cookies.items())
    url = server.url.replace("http://", "ws://") + f"/sessions/{session}/ws?view=control"
    control = await connect(url, additional_headers={"Origin": server.url, "Cookie": cookies})
    await control.recv()
    return control


async def drain(control: ClientConnection) -> None:
    try:
        async for _message in control:
            pass
    except Exception:  # noqa: BLE001  # closed at the end
        return


class Answers:
    """Phones that send phrases in turn, each at most ENTRIES times."""

    def __init__(self, server: ServerProcess, room: Room, phones: list[Phone]) -> None:
        self.server = server
        self.room = room
        self.phones = phones
        self.turn = 0

    async def send(self, phrase: str) -> tuple[float, float]:
        """One answer from the next phone: (sent, acknowledged)."""
        phone = self.phones[self.turn % len(self.phones)]
        assert self.turn // len(self.phones) < ENTRIES, "too few phones for the answers"
        self.turn += 1
        body = urlencode(
            {"text": phrase, "csrf_token": phone.token, "idem_key": uuid.uuid4().hex}
        ).encode()
        path = f"/s/{self.room.code}/items/{self.room.item}/do/answer"
        sent = time.monotonic()
        status, _body = await http("POST", self.server.port, path, body, phone.cookie, hx=True)
        acked = time.monotonic()
        assert status == 200, status
        return sent, acked

    async def bring_in(self, screen: Screen, phrase: str) -> Sample:
        """Send a new phrase as often as it takes to be drawn; time the last one."""
        times = needed(self.room.counts)
        screen.waiting[phrase] = asyncio.Event()
        for _ in range(times - 1):
            await self.send(phrase)
        if times > 1:
            await asyncio.sleep(0.3)  # the earlier entries' pushes are out of the way
        sent, acked = await self.send(phrase)
        self.room.counts.append(times)
        return Sample(phrase, sent, acked, await screen.drawn(phrase, 30))


@dataclass
class Recorded:
    """What the server's probe recorded: late wake-ups and timed calls, as spans."""

    interval: float
    lag: list[tuple[Span, float]]  # (the sleep, seconds late)
    calls: dict[str, list[Span]]


async def probe(fac: httpx2.AsyncClient) -> Recorded:
    """What the server recorded since the last call (and it starts afresh)."""
    found = (await fac.get("/_bench/probe")).json()
    interval = float(found["interval"])
    return Recorded(
        interval,
        [((start, start + interval + late), late) for start, late, *_cpu in found["lag"]],
        {
            name: [(start, start + seconds) for start, seconds, *_cpu in timings]
            for name, timings in found["calls"].items()
        },
    )


async def one_size(count: int, pool: list[str], args: argparse.Namespace) -> dict[str, str]:
    head = args.head
    counts = [max(1, round(head / rank)) for rank in range(1, count + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        server = app_server(db, free_port(), args.server_cpu, interval=args.probe_interval)
        room = await seed(db, pool[:count], counts)
        fresh = iter(pool[count:])
        entries = sum(counts)
        print(
            f"\n== {count:,} phrases: {entries:,} entries from {room.phones} phones; "
            f"a new phrase is drawn at {needed(counts)} entries =="
        )
        summarise_s, layout_s, drawn = await in_process(db, room.item)
        print(
            f"in this process: summarise {ms(summarise_s)} ({entries:,} entries), "
            f"layout {ms(layout_s)} ({drawn} phrases drawn)"
        )
        server.start()
        try:
            return await measure(server, room, fresh, args, layout_s, summarise_s)
        finally:
            server.stop()


async def measure(
    server: ServerProcess,
    room: Room,
    fresh: Iterator[str],
    args: argparse.Namespace,
    layout_s: float,
    summarise_s: float,
) -> dict[str, str]:
    fac = await login(server)
    times = needed(room.counts)
    cookies, _rate = await join_all(
        server.url, room.code, math.ceil((args.answers + 1) * times / ENTRIES) + times
    )
    marks = await tokens(server.url, room.code, cookies)
    phones = [Phone(c, t) for c, t in zip(cookies, marks, strict=True)]
    screen = Screen(await presenter_socket(server, fac, room.session))
    listeners = [asyncio.create_task(screen.listen())]
    control = None if args.no_control else await control_socket(server, fac, room.session)
    if control is not None:
        listeners.append(asyncio.create_task(drain(control)))
    answers = Answers(server, room, phones)

    # The first cloud after the server started: the worker process is spawned then.
    first = await answers.bring_in(screen, next(fresh))
    assert first.drawn is not None, "the first cloud never came"
    print(f"first cloud after the server started (worker spawned): {ms(first.drawn - first.acked)}")
    await probe(fac)

    samples: list[Sample] = []
    cpu_before = cpu_seconds(server.pid)
    previous = first.drawn
    for _ in range(args.answers):
        ready = previous + Drawings.INTERVAL + 0.25
        await asyncio.sleep(max(0.0, ready - time.monotonic()))
        sample = await answers.bring_in(screen, next(fresh))
        samples.append(sample)
        previous = sample.drawn if sample.drawn is not None else time.monotonic()
    cpu_used = cpu_seconds(server.pid) - cpu_before
    recorded = await probe(fac)

    await screen.socket.close()
    if control is not None:
        await control.close()
    for task in listeners:
        task.cancel()
    await fac.aclose()
    return report(samples, recorded, cpu_used, layout_s, summarise_s)


#: The timed parts that hold the event loop for all of their time (the rest await).
_BLOCKING = ("word_cloud.", "render ", "fanout.")
_NOTES = {
    "worker layout": "wall time, in the worker process",
    "rooms.reload": "wall time, awaits the database",
    "responses.keyed_for_item": "wall time, part of rooms.reload",
    "db.batch": "wall time, a group commit",
}


def overlaps(span: Span, spans: list[Span]) -> bool:
    return any(span[0] < end and span[1] > start for start, end in spans)


def report(
    samples: list[Sample],
    recorded: Recorded,
    cpu_used: float,
    layout_s: float,
    summarise_s: float,
) -> dict[str, str]:
    """Print one size's figures; return its row of the closing table."""
    drawn = [(s, s.drawn) for s in samples if s.drawn is not None]
    missing = len(samples) - len(drawn)
    latencies = [at - s.acked for s, at in drawn]
    print(f"answer acknowledged: {spread([s.acked - s.sent for s in samples])}")
    print(
        f"ack → cloud with the new phrase on the presenter: {spread(latencies)}"
        + (f"; {missing} never drawn within 30 s" if missing else "")
    )

    calls = recorded.calls
    # Each answer's layout: the first one started after its POST went out.
    jobs: list[tuple[Sample, float, Span]] = []
    for s, at in drawn:
        job = next((c for c in sorted(calls.get("worker layout", [])) if c[0] >= s.sent), None)
        if job is not None and job[1] <= at:
            jobs.append((s, at, job))
    inside = [job[1] - job[0] for _s, _at, job in jobs]
    if jobs:
        before = [job[0] - s.acked for s, _at, job in jobs]
        after = [at - job[1] for _s, at, job in jobs]
        print(
            f"  of which (p50): ack → layout starts {ms(statistics.median(before))}, "
            f"layout in the worker {ms(statistics.median(inside))} "
            f"(p95 {ms(percentile(inside, 0.95))}), "
            f"layout done → cloud on the presenter {ms(statistics.median(after))}"
        )

    lag = recorded.lag
    windows = [(s.sent, at) for s, at in drawn]
    during = [late for span, late in lag if overlaps(span, windows)]
    laying_out = [late for span, late in lag if overlaps(span, [job for _s, _a, job in jobs])]
    everything = [late for _span, late in lag]
    print(f"event-loop lag from each answer's POST to its cloud: {lag_line(during)}")
    print(f"event-loop lag while the worker lays out: {lag_line(laying_out)}")
    print(f"event-loop lag over the whole run (idle waits too): {lag_line(everything)}")
    print(
        f"  over 20 ms in the answers' windows, by what it overlapped: {blame(lag, windows, calls)}"
    )

    print(f"the loop's work per answer ({len(drawn)} answers, from POST to cloud):")
    for name, spans in sorted(calls.items(), key=lambda kv: -sum(e - b for b, e in kv[1])):
        seconds = [e - b for b, e in spans if overlaps((b, e), windows)]
        if not seconds or not drawn:
            continue
        note = f" ({_NOTES[name]})" if name in _NOTES else ""
        print(
            f"  {name:<30} {len(seconds) / len(drawn):4.1f} × "
            f"{ms(statistics.mean(seconds)):>8} = {ms(sum(seconds) / len(drawn)):>8}{note}"
        )
    print(
        f"server process CPU per answer: {ms(cpu_used / len(samples))} (the whole run, idle "
        "waits included; the worker process not counted)"
    )
    return {
        "cloud": spread(latencies).rsplit(" (", 1)[0] + (f", {missing} missing" if missing else ""),
        "layout": ms(statistics.median(inside)) if inside else "n/a",
        "here": f"{ms(layout_s)} / {ms(summarise_s)}",
        "lag": lag_line(during, short=True),
        "lag_layout": lag_line(laying_out, short=True),
    }


def blame(lag: list[tuple[Span, float]], windows: list[Span], calls: dict[str, list[Span]]) -> str:
    """Late samples in the windows, counted by what they overlapped most.

    A blocking call (one that holds the loop for all its time) first; else the
    innermost awaiting one, whose own Python work held it.
    """
    tally: dict[str, int] = {}
    for span, late in lag:
        if late <= 0.020 or not overlaps(span, windows):
            continue
        best = ""
        for group in (_BLOCKING, ("responses.keyed_for_item", "db.batch"), ("rooms.reload",)):
            most = 0.0
            for name, spans in calls.items():
                if not name.startswith(group):
                    continue
                for b, e in spans:
                    common = min(e, span[1]) - max(b, span[0])
                    if common > most:
                        best, most = name, common
            if best:
                break
        best = best or "none of the timed calls"
        tally[best] = tally.get(best, 0) + 1
    ranked = sorted(tally.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{name} {n}" for name, n in ranked) or "none"


def lag_line(values: list[float], short: bool = False) -> str:
    if not values:
        return "no samples"
    text = (
        f"p50 {values_ms(statistics.median(values))}, p99 {values_ms(percentile(values, 0.99))}, "
        f"max {values_ms(max(values))}"
    )
    if short:
        return text
    over = sum(1 for v in values if v > 0.020)
    return f"{text}; {over} of {len(values)} samples over 20 ms"


def values_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def main(args: argparse.Namespace) -> None:
    if cores() < 2:
        args.server_cpu = args.client_cpu = None
    pin_client(args.client_cpu)
    sizes = [int(n) for n in args.phrases.split(",")]
    pool = phrases()
    if max(sizes) + args.answers + 1 > len(pool):
        sys.exit(f"at most {len(pool) - args.answers - 1} phrases")
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the start; "
        f"{os.cpu_count()} cores; {args.answers} answers per size"
    )
    rows = {count: await one_size(count, pool, args) for count in sizes}
    print(f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end\n")
    print(
        "| phrases | ack → cloud on the presenter | layout in the worker (p50) "
        "| layout / summarise here | loop lag, POST → cloud | loop lag during layouts |"
    )
    print("|---|---|---|---|---|---|")
    for count, row in rows.items():
        print(
            f"| {count:,} | {row['cloud']} | {row['layout']} | {row['here']} "
            f"| {row['lag']} | {row['lag_layout']} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phrases", default="30,300,3000", help="sizes, comma-separated")
    parser.add_argument("--answers", type=int, default=20, help="timed answers per size")
    parser.add_argument("--head", type=int, default=40, help="entries of the most sent phrase")
    parser.add_argument("--probe-interval", type=float, default=0.005, metavar="SECONDS")
    parser.add_argument("--no-control", action="store_true", help="no control panel socket")
    parser.add_argument("--server-cpu", type=int, default=0, help="the server's core")
    parser.add_argument("--client-cpu", type=int, default=1, help="this process's core")
    asyncio.run(main(parser.parse_args()))
