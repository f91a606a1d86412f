"""A lean websocket phone: the websockets library's own protocol (Sans-I/O), no task per socket.

Thousands of phones in one client process must cost that process less than
they cost the server, or the client is what a latency measures. The asyncio
client of ``websockets`` runs a task per connection and queues every message;
this one is an ``asyncio.Protocol`` around ``websockets.client.ClientProtocol``
(the same handshake, the same permessage-deflate with the library's default
settings, pongs answered), and hands each complete message to a callback as
bytes, as it arrives. The app and the floors are measured with the same phone.

``abort()`` drops the connection the way a phone that loses its network does:
no close frame, and the TCP connection reset (``SO_LINGER`` 0).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import Callable

from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Opcode
from websockets.http11 import Response
from websockets.protocol import State
from websockets.typing import Origin
from websockets.uri import parse_uri

OnMessage = Callable[["WsPhone", bytes, float], None]
OnClose = Callable[["WsPhone"], None]


def _deflate() -> ClientPerMessageDeflateFactory:
    # What websockets' own client offers by default (enable_client_permessage_deflate).
    return ClientPerMessageDeflateFactory(compress_settings={"memLevel": 5})


class WsPhone(asyncio.Protocol):
    """One phone's socket. ``opened`` is done after the handshake; ``closed`` when gone."""

    def __init__(
        self, url: str, origin: str, cookie: str, on_message: OnMessage, on_close: OnClose | None
    ) -> None:
        self.protocol = ClientProtocol(
            parse_uri(url), origin=Origin(origin), extensions=[_deflate()], max_size=2**20
        )
        self.request = self.protocol.connect()
        if cookie:
            self.request.headers["Cookie"] = cookie
        self.on_message = on_message
        self.on_close = on_close
        self.transport: asyncio.Transport | None = None
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.close_code: int | None = None
        self._parts: list[bytes] = []
        self.messages = 0
        self.tag: object = None  # whatever the owner keeps here

    # -- asyncio.Protocol --------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.protocol.send_request(self.request)
        self._flush()

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic()
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if isinstance(event, Response):
                if self.protocol.handshake_exc is not None:
                    if not self.opened.done():
                        self.opened.set_exception(self.protocol.handshake_exc)
                elif not self.opened.done():
                    self.opened.set_result(None)
                continue
            opcode = event.opcode
            if opcode is Opcode.TEXT or opcode is Opcode.BINARY:
                if event.fin:
                    self.messages += 1
                    self.on_message(self, event.data, arrived)
                else:
                    self._parts = [event.data]
            elif opcode is Opcode.CONT:
                self._parts.append(event.data)
                if event.fin:
                    self.messages += 1
                    data, self._parts = b"".join(self._parts), []
                    self.on_message(self, data, arrived)
            elif opcode is Opcode.CLOSE:
                close = self.protocol.close_rcvd
                self.close_code = close.code if close is not None else 1005
        self._flush()
        if self.protocol.close_expected() and self.transport is not None:
            self.transport.close()

    def eof_received(self) -> bool | None:
        self.protocol.receive_eof()
        self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.close_code is None:
            self.close_code = 1006
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed before the handshake"))
        if not self.closed.done():
            self.closed.set_result(None)
        if self.on_close is not None:
            self.on_close(self)

    def _flush(self) -> None:
        if self.transport is None:
            return
        for data in self.protocol.data_to_send():
            if data:
                self.transport.write(data)

    # -- the phone's own doing -----------------------------------------------------------

    @property
    def open(self) -> bool:
        return self.transport is not None and self.protocol.state is State.OPEN

    def close(self) -> None:
        """A clean close (close frame), as a page being left does."""
        if self.transport is None:
            return
        if self.protocol.state is State.OPEN:
            self.protocol.send_close(1001)
            self._flush()
        else:
            self.transport.close()

    def abort(self) -> None:
        """Lose the connection: no close frame, the TCP connection reset."""
        if self.transport is None:
            return
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self.transport.abort()


async def open_phone(
    host: str,
    port: int,
    path: str,
    cookie: str,
    on_message: OnMessage,
    on_close: OnClose | None = None,
    *,
    timeout: float = 60,
) -> WsPhone:
    """Open one phone's socket (Origin: the server's own address, as a browser sends)."""
    loop = asyncio.get_running_loop()
    origin = f"http://{host}:{port}"
    _transport, phone = await asyncio.wait_for(
        loop.create_connection(
            lambda: WsPhone(f"ws://{host}:{port}{path}", origin, cookie, on_message, on_close),
            host,
            port,
        ),
        timeout,
    )
    await asyncio.wait_for(asyncio.shield(phone.opened), timeout)
    return phone


__all__ = ["WsPhone", "open_phone"]
