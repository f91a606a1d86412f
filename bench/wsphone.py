"""A lean websocket phone: a few lines of RFC 6455 on an ``asyncio.Protocol``, no task per socket.

Thousands of phones in one client process must cost that process far less than
they cost the server, or the client is what a latency measures. The websockets
library (its asyncio client, or even its Sans-I/O protocol) spends some 15 µs
of this process's CPU on each message; this phone spends a few: it parses the
server's frames itself, inflates permessage-deflate messages with ``zlib``
(the extension is negotiated as a browser and the websockets client offer it,
``permessage-deflate; client_max_window_bits``, so the server compresses
exactly as it would for them), answers pings and close frames, and hands each
complete message to a callback as bytes, with the moment its bytes arrived.
The app and the floors are measured with the same phone.

``abort()`` drops the connection the way a phone that loses its network does:
no close frame, and the TCP connection reset (``SO_LINGER`` 0).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import socket
import struct
import time
import zlib
from collections.abc import Callable

OnMessage = Callable[["WsPhone", bytes, float], None]
OnClose = Callable[["WsPhone"], None]
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TAIL = b"\x00\x00\xff\xff"
TEXT, BINARY, CONT, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10


class HandshakeRefused(ConnectionError):
    def __init__(self, status: int) -> None:
        super().__init__(f"handshake answered with HTTP {status}")
        self.status = status


def _frame(opcode: int, payload: bytes) -> bytes:
    """A client frame (clients mask every frame)."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
    return head + mask + masked


class WsPhone(asyncio.Protocol):
    """One phone's socket. ``opened`` is done after the handshake; ``closed`` when gone."""

    def __init__(
        self,
        host: str,
        port: int,
        path: str,
        cookie: str,
        on_message: OnMessage,
        on_close: OnClose | None = None,
    ) -> None:
        self.key = base64.b64encode(os.urandom(16))
        origin = f"http://{host}:{port}"
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {self.key.decode()}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            f"Origin: {origin}\r\nUser-Agent: samling-bench\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        ).encode()
        self.on_message = on_message
        self.on_close = on_close
        self.transport: asyncio.Transport | None = None
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.close_code: int | None = None
        self.messages = 0
        self.tag: object = None  # whatever the owner keeps here
        self._buf = bytearray()
        self._handshaken = False
        self._deflate = False
        self._reset_each = False
        self._inflate = zlib.decompressobj(-15)
        self._parts: list[bytes] = []
        self._compressed = False
        self._close_sent = False

    # -- asyncio.Protocol --------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no subclass
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic()
        buf = self._buf
        buf += data
        if not self._handshaken and not self._handshake():
            return
        pos, n = 0, len(buf)
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length = b1 & 0x7F
            at = pos + 2
            if length == 126:
                if n - at < 2:
                    break
                length = int.from_bytes(buf[at : at + 2], "big")
                at += 2
            elif length == 127:
                if n - at < 8:
                    break
                length = int.from_bytes(buf[at : at + 8], "big")
                at += 8
            mask = None
            if b1 & 0x80:  # servers do not mask; read it anyway
                if n - at < 4:
                    break
                mask = bytes(buf[at : at + 4])
                at += 4
            if n - at < length:
                break
            payload = bytes(buf[at : at + length])
            pos = at + length
            if mask is not None:
                payload = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
            self._frame(b0, payload, arrived)
            if self.transport is None:
                return
        if pos:
            del buf[:pos]

    def _handshake(self) -> bool:
        end = self._buf.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self._buf[:end]).decode("latin-1").split("\r\n")
        del self._buf[: end + 4]
        status = int(head[0].split()[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        accept = base64.b64encode(hashlib.sha1(self.key + _GUID).digest()).decode()
        if status != 101 or headers.get("sec-websocket-accept") != accept:
            if not self.opened.done():
                self.opened.set_exception(HandshakeRefused(status))
            if self.transport is not None:
                self.transport.close()
            return False
        extensions = headers.get("sec-websocket-extensions", "")
        self._deflate = "permessage-deflate" in extensions
        self._reset_each = "server_no_context_takeover" in extensions
        self._handshaken = True
        if not self.opened.done():
            self.opened.set_result(None)
        return True

    def _frame(self, b0: int, payload: bytes, arrived: float) -> None:
        opcode, fin = b0 & 0x0F, b0 & 0x80
        if opcode in (TEXT, BINARY):
            self._compressed = bool(b0 & 0x40) and self._deflate
            self._parts = [payload]
        elif opcode == CONT:
            self._parts.append(payload)
        elif opcode == PING:
            self._send(PONG, payload)
            return
        elif opcode == CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            if not self._close_sent:
                self._send(CLOSE, payload[:2])
                self._close_sent = True
            if self.transport is not None:
                self.transport.close()
            return
        else:  # PONG
            return
        if not fin:
            return
        data = self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)
        self._parts = []
        if self._compressed:
            data = self._inflate.decompress(data + _TAIL)
            if self._reset_each:
                self._inflate = zlib.decompressobj(-15)
        self.messages += 1
        self.on_message(self, data, arrived)

    def _send(self, opcode: int, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(opcode, payload))

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

    # -- the phone's own doing -----------------------------------------------------------

    @property
    def open(self) -> bool:
        return self.transport is not None and self._handshaken and not self._close_sent

    def close(self, code: int = 1001) -> None:
        """A clean close (a close frame; the server closes the connection), as a page being
        left does."""
        if self.transport is None:
            return
        if self._handshaken and not self._close_sent:
            self._close_sent = True
            self._send(CLOSE, struct.pack("!H", code))
            asyncio.get_running_loop().call_later(5, self.abort)
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
    within: float = 60,
) -> WsPhone:
    """Open one phone's socket (Origin: the server's own address, as a browser sends)."""
    loop = asyncio.get_running_loop()
    _transport, phone = await asyncio.wait_for(
        loop.create_connection(
            lambda: WsPhone(host, port, path, cookie, on_message, on_close), host, port
        ),
        within,
    )
    try:
        await asyncio.wait_for(asyncio.shield(phone.opened), within)
    except BaseException:
        phone.abort()
        raise
    return phone


__all__ = ["HandshakeRefused", "WsPhone", "open_phone"]
