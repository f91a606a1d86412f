"""While a word cloud's layout runs, the live loop goes on: answers are acknowledged and
pushes delivered. The layout is held on an event until the test lets it go, so nothing
here depends on how long a layout takes.

The app runs in this process under uvicorn (a real server on 127.0.0.1 and a real SQLite
file); only its worker pool is swapped for one that waits for the test's event before
running the real layout.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect

from tests.browser.conftest import LiveServer
from tests.live_helpers import (
    PhoneClient,
    cookie_header,
    csrf_of,
    facilitator_client,
    join,
    live_session,
    ws_url,
)
from workshop.app import create_app
from workshop.services import Services
from workshop.settings import Settings
from workshop.ws_protocol import WebSocketProtocol

AGENDA = """samling_agenda = 1

[[item]]
title = "Cloud"
duration = 5
kind = "exercise"
exercise = "word_cloud"

[item.settings]
question = "One word"
entries_per_phone = 3
max_length = 25

[[item]]
title = "Next item"
duration = 5
kind = "talk"
"""


class HeldWorkers:
    """A worker pool whose jobs wait until the test releases them."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.jobs = 0

    async def run(self, func: Callable[..., Any], *args: Any) -> Any:
        self.jobs += 1
        self.started.set()
        await asyncio.to_thread(self.release.wait, 60)
        return func(*args)

    def close(self) -> None:
        self.release.set()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[LiveServer, HeldWorkers]]:
    info = LiveServer(tmp_path / "samling.db")
    settings = Settings(db_path=info.db_path, host="127.0.0.1", port=info.port, public_url=info.url)
    app = create_app(settings)
    held = HeldWorkers()
    services: Services = app.state.services
    services.live.core.drawings.workers = held  # type: ignore[assignment]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=info.port, ws=WebSocketProtocol, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(300):
        if server.started:
            break
        threading.Event().wait(0.05)
    assert server.started
    try:
        yield info, held
    finally:
        held.release.set()
        server.should_exit = True
        thread.join(10)


async def _until(socket: ClientConnection, needle: str) -> str:
    while True:
        message = str(await asyncio.wait_for(socket.recv(), 15))
        if needle in message:
            return message


def test_answers_and_pushes_go_on_while_a_layout_runs(
    served: tuple[LiveServer, HeldWorkers],
) -> None:
    server, held = served
    fac = facilitator_client(server, "drawer", "drawer password 1")
    live = live_session(server, fac, agenda=AGENDA)
    csrf = csrf_of(fac)
    first, second = join(server, live.code), join(server, live.code)
    item = live.item_ids[0]

    def answer(phone: PhoneClient, text: str, key: str) -> int:
        return phone.do(item, "answer", {"text": text, "idem_key": key}).status_code

    async def scenario() -> None:
        async with (
            connect(
                ws_url(server, f"/sessions/{live.id}/ws?view=present"),
                additional_headers={"Origin": server.url, "Cookie": cookie_header(fac)},
            ) as presenter,
            connect(
                ws_url(server, f"/s/{live.code}/ws"),
                additional_headers={"Origin": server.url, "Cookie": second.cookie},
            ) as phone_socket,
        ):
            await presenter.recv()
            await phone_socket.recv()
            assert await asyncio.to_thread(answer, first, "Tillit", "key-first-0001") == 200
            # The layout of the first cloud starts, and is held.
            assert await asyncio.to_thread(held.started.wait, 15)
            # Meanwhile another answer is acknowledged and reaches the presenter...
            assert await asyncio.to_thread(answer, second, "Tid", "key-second-001") == 200
            pushed = await _until(presenter, 'cloud-entry">Tid<')
            assert "2 entries" in pushed and 'class="cloud"' not in pushed
            # ...and the facilitator's move reaches the phones.
            moved = await asyncio.to_thread(
                fac.post,
                f"/sessions/{live.id}/live/step",
                data={"by": "1", "csrf_token": csrf},
                headers={"HX-Request": "true"},
            )
            assert moved.status_code == 204
            await _until(phone_socket, "Next item")
            # Back to the cloud, and let the layout finish: the drawing arrives.
            await asyncio.to_thread(
                fac.post,
                f"/sessions/{live.id}/live/step",
                data={"by": "-1", "csrf_token": csrf},
                headers={"HX-Request": "true"},
            )
            held.release.set()
            drawn = await _until(presenter, 'class="cloud"')
            assert ">Tillit</text>" in drawn

    asyncio.run(scenario())
    assert held.jobs >= 1


def test_a_cloud_is_drawn_again_when_the_session_comes_back_to_it(
    served: tuple[LiveServer, HeldWorkers],
) -> None:
    """The room lets an item's drawing go when the session moves on: back on the cloud,
    the same cloud is drawn again, not left at "Drawing the cloud…"."""
    server, held = served
    held.release.set()
    fac = facilitator_client(server, "redrawer", "redrawer password 1")
    live = live_session(server, fac, agenda=AGENDA)
    csrf = csrf_of(fac)
    phone = join(server, live.code)
    item = live.item_ids[0]

    def step(by: str) -> int:
        return fac.post(
            f"/sessions/{live.id}/live/step",
            data={"by": by, "csrf_token": csrf},
            headers={"HX-Request": "true"},
        ).status_code

    async def scenario() -> None:
        async with connect(
            ws_url(server, f"/sessions/{live.id}/ws?view=present"),
            additional_headers={"Origin": server.url, "Cookie": cookie_header(fac)},
        ) as presenter:
            await presenter.recv()
            answered = await asyncio.to_thread(
                phone.do, item, "answer", {"text": "Tillit", "idem_key": "key-redraw-0001"}
            )
            assert answered.status_code == 200
            assert ">Tillit</text>" in await _until(presenter, 'class="cloud"')
            assert await asyncio.to_thread(step, "1") == 204
            await _until(presenter, "Next item")
            assert await asyncio.to_thread(step, "-1") == 204
            assert ">Tillit</text>" in await _until(presenter, 'class="cloud"')

    asyncio.run(scenario())
    assert held.jobs >= 2
