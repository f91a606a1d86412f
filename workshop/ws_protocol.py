"""The websocket protocol the server runs: uvicorn's, without a cycle on each closed socket.

uvicorn's sans-I/O websocket protocol never tells the connection that the stream
has ended, so the parser of a closed socket stays suspended, holding the
connection, which holds the parser: a reference cycle with the socket's
compressor and buffers in it (about 40 KiB a phone). Only a full garbage
collection frees it, and those are rare on purpose (``run.py``), so each storm
of reconnecting phones left the server about 25 MiB bigger for 1,000 phones.
Ending the parser when the connection is lost frees all of it at once.
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol; a lost connection frees its memory at once."""

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        # Closing the suspended generator releases its frame and, with it, the
        # connection it refers to.
        self.conn.parser.close()
