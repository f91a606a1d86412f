"""An acknowledged answer survives kill -9: many phones answer while the server dies.

The harness posts answers from concurrent phones, each retrying with the same
idempotency key until it gets an answer, while the server is killed with
SIGKILL at random moments and restarted. Afterwards every acknowledged answer
is in the database exactly once and the file passes ``PRAGMA integrity_check``.
The same harness against a server that acknowledges before it commits loses
answers, which shows the test can fail.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

import httpx2

from tests.browser.conftest import LiveServer
from tests.live_helpers import HTMX, facilitator_client, join, live_session

PHONES = 24
ANSWERS_EACH = 12
KILLS = 3
EARLY_ACK = [sys.executable, str(Path(__file__).with_name("early_ack_server.py"))]


async def _phone_answers(
    base: str,
    cookies: dict[str, str],
    token: str,
    code: str,
    item_id: int,
    phone_no: int,
    acked: list[str],
    deadline: float,
) -> None:
    async with httpx2.AsyncClient(base_url=base, cookies=cookies, timeout=5) as client:
        for n in range(ANSWERS_EACH):
            text = f"phone {phone_no} answer {n}"
            key = f"key-{phone_no}-{n}-{random.random():.8f}"
            while time.monotonic() < deadline:
                try:
                    response = await client.post(
                        f"/s/{code}/items/{item_id}/do/answer",
                        data={"csrf_token": token, "idem_key": key, "text": text},
                        headers=HTMX,
                    )
                except httpx2.TransportError:
                    await asyncio.sleep(0.05)
                    continue
                if response.status_code == 200:
                    acked.append(text)
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(random.uniform(0, 0.05))


async def _killer(server: LiveServer, done: asyncio.Event) -> int:
    kills = 0
    while kills < KILLS and not done.is_set():
        await asyncio.sleep(random.uniform(0.2, 0.7))
        assert server.process is not None
        server.process.kill()  # SIGKILL: no shutdown, no flush
        await asyncio.to_thread(server.process.wait)
        kills += 1
        await asyncio.to_thread(server.start)
    return kills


def _harness(tmp_path: Path, launcher: list[str] | None) -> tuple[list[str], Counter[str]]:
    server = LiveServer(tmp_path / "kill.db", launcher=launcher).start()
    try:
        fac = facilitator_client(server, "killer", "kill password 1")
        live = live_session(server, fac)
        phones = [join(server, live.code) for _ in range(PHONES)]
        acked: list[str] = []

        async def run() -> int:
            done = asyncio.Event()
            deadline = time.monotonic() + 90
            killer = asyncio.create_task(_killer(server, done))
            await asyncio.gather(
                *(
                    _phone_answers(
                        server.url,
                        dict(p.client.cookies.items()),
                        p.token,
                        live.code,
                        live.item_ids[0],
                        i,
                        acked,
                        deadline,
                    )
                    for i, p in enumerate(phones)
                )
            )
            done.set()
            return await killer

        kills = asyncio.run(run())
        assert kills >= 1
    finally:
        server.stop()
    conn = sqlite3.connect(server.db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = Counter(
            row[0] for row in conn.execute("SELECT json_extract(value, '$.text') FROM responses")
        )
    finally:
        conn.close()
    return acked, stored


def test_acknowledged_answers_survive_sigkill(tmp_path: Path) -> None:
    acked, stored = _harness(tmp_path, launcher=None)
    assert len(acked) > PHONES  # the phones got through between the kills
    missing = [text for text in acked if stored[text] == 0]
    twice = [text for text, count in stored.items() if count > 1]
    assert not missing, f"acknowledged but lost: {missing[:5]}"
    assert not twice, f"stored twice: {twice[:5]}"


def test_the_harness_catches_an_acknowledgement_before_commit(tmp_path: Path) -> None:
    acked, stored = _harness(tmp_path, launcher=EARLY_ACK)
    missing = [text for text in acked if stored[text] == 0]
    assert missing, "acknowledging before commit lost nothing: the harness proves nothing"
