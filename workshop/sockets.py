"""Websocket plumbing shared by phones, presenter and control panel.

The handshake is checked before it is accepted: an Origin that is not one of
this app's own (:mod:`workshop.origins`) gets 403. After that a socket only
receives pushes; reading it only notices the close. A subscriber that fell
behind is closed with 1013 ("try again later"), which the page answers by
reconnecting and so getting the full state. A socket opened with a login asks
before each push whether it may still see the session (``still_allowed``): a
logout, a password change or losing access closes it with 1008.

:class:`SocketSink` writes a push at once when the socket can take it, without
a task per socket: sending on a connection that is not backed up never waits,
so the send is driven to its end right away; one that would wait is finished
by a task of its own, and the subscriber queues what comes after it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from workshop.hub import Subscriber
from workshop.services import services

TRY_AGAIN_LATER = 1013
POLICY_VIOLATION = 1008
_GONE = (WebSocketDisconnect, RuntimeError, OSError)


def origin_allowed(websocket: WebSocket) -> bool:
    """Whether the handshake comes from a page of this app (--public-url, or an address
    it serves); never judged by the request's own Host, which the client chooses."""
    return services(websocket).origins.allows(websocket.headers.get("origin", ""))


async def refuse(websocket: WebSocket) -> None:
    """Refuse the handshake: closing before accepting answers it with HTTP 403."""
    await websocket.close(code=POLICY_VIOLATION)


class SocketSink:
    """A websocket as the hub writes to it."""

    def __init__(
        self, websocket: WebSocket, still_allowed: Callable[[], Awaitable[bool]] | None = None
    ) -> None:
        self.websocket = websocket
        self.still_allowed = still_allowed
        self.gone = False
        self._finishing: asyncio.Task[None] | None = None

    def send_now(self, text: str) -> bool:
        """Send without waiting when the socket takes it now (True also when it is gone);
        False when the send would have to wait (the subscriber queues the message)."""
        if self.gone:
            return True
        if self._finishing is not None:
            return False
        send = self.websocket.send_text(text)
        try:
            waiting = send.send(None)
        except StopIteration:
            return True
        except _GONE:
            self.gone = True
            return True
        # It waits (a backed-up connection): a task finishes this very send.
        self._finishing = asyncio.get_running_loop().create_task(_finish(send, waiting))
        self._finishing.add_done_callback(self._finished)
        return True

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._finishing = None
        if task.cancelled() or task.exception() is not None:
            self.gone = True

    async def send(self, text: str) -> bool:
        if self._finishing is not None:
            with contextlib.suppress(asyncio.CancelledError, *_GONE):
                await asyncio.shield(self._finishing)
        if self.gone:
            return False
        if self.still_allowed is not None and not await self.still_allowed():
            await self.close(POLICY_VIOLATION)
            return False
        try:
            await self.websocket.send_text(text)
        except _GONE:
            self.gone = True
            return False
        return True

    async def close(self, code: int) -> None:
        if self.gone:
            return
        self.gone = True
        with contextlib.suppress(*_GONE):
            await self.websocket.close(code=code)


async def _finish(send: Coroutine[Any, Any, None], waiting: Any) -> None:
    """Drive a send that stopped at ``waiting`` (what it yielded) to its end, as the
    event loop's own task would have."""
    while True:
        try:
            if waiting is None:
                await asyncio.sleep(0)  # a bare yield: give the loop a turn
            else:
                await waiting
        except BaseException as exc:  # noqa: BLE001  # handed to the send, as a task would
            try:
                waiting = send.throw(exc)
            except StopIteration:
                return
            continue
        try:
            waiting = send.send(None)
        except StopIteration:
            return


async def pump(websocket: WebSocket, subscriber: Subscriber, first: str) -> None:
    """Send the full state, let the queued pushes follow, and wait for the close."""
    await websocket.accept()
    trimmer = services(websocket).trimmer
    trimmer.opened()
    try:
        await websocket.send_text(first)
        subscriber.start()
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
    except _GONE:
        return
    finally:
        trimmer.closed()
