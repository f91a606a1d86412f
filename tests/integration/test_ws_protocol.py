"""A closed socket frees its connection at once, without waiting for a full collection.

Each storm of reconnecting phones used to leave the server about 25 MiB bigger for
1,000 phones: the websocket connections of the closed sockets sat in reference
cycles (with their compressors) that only a full garbage collection frees. Here the
collector is off, so anything still alive after a close is held by a cycle.
"""

from __future__ import annotations

import base64
import gc
import os
import socket
import struct
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from websockets.server import ServerProtocol
from websockets.sync.client import connect

from tests.browser.conftest import free_port
from workshop.ws_protocol import WebSocketProtocol


class EchoApp:
    """Accepts a socket and waits for its close; tells the test about both."""

    def __init__(self) -> None:
        self.accepted = threading.Event()
        self.closed = threading.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        self.accepted.set()
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            self.closed.set()


@pytest.fixture
def served() -> Iterator[tuple[EchoApp, int]]:
    app = EchoApp()
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ws=WebSocketProtocol,
        ws_per_message_deflate=True,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(300):
        if server.started:
            started.set()
            break
        started.wait(0.05)
    assert server.started
    gc.collect()
    gc.disable()
    try:
        yield app, port
    finally:
        gc.enable()
        server.should_exit = True
        thread.join(10)


def _connections() -> int:
    return sum(type(o) is ServerProtocol for o in gc.get_objects())


def _until_freed() -> int:
    waited = threading.Event()
    for _ in range(200):
        if _connections() == 0:
            return 0
        waited.wait(0.05)
    return _connections()


def _handshake(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(4096)
    assert response.startswith(b"HTTP/1.1 101"), response
    return sock


def test_a_socket_that_vanishes_without_a_close_frame_is_freed(
    served: tuple[EchoApp, int],
) -> None:
    app, port = served
    sock = _handshake(port)
    assert app.accepted.wait(10)
    assert _connections() == 1
    # A phone that loses its network: the connection is reset, no close frame.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
    assert app.closed.wait(10)
    assert _until_freed() == 0


def test_a_socket_closed_cleanly_is_freed(served: tuple[EchoApp, int]) -> None:
    app, port = served
    with connect(f"ws://127.0.0.1:{port}/ws"):
        assert app.accepted.wait(10)
        assert _connections() == 1
    assert app.closed.wait(10)
    assert _until_freed() == 0
