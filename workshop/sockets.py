"""Websocket plumbing shared by phones, presenter and control panel.

The handshake is checked before it is accepted: an Origin that is not this
app's own gets 403. After that a socket only receives: its writer drains the
subscriber's queue, its reader notices the close. A subscriber that fell
behind is closed with 1013 ("try again later"), which htmx's websocket
extension answers by reconnecting and so getting the full state. A socket
opened with a login asks before each push whether it may still see the
session (``still_allowed``): a logout, a password change or losing access
closes it with 1008.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from workshop.hub import Fragment, Subscriber

TRY_AGAIN_LATER = 1013
POLICY_VIOLATION = 1008


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(websocket: WebSocket) -> bool:
    """Whether the handshake comes from a page of this app (its Host, or --public-url)."""
    origin = websocket.headers.get("origin", "").lower()
    if not origin:
        return False
    host = websocket.headers.get("host", "").lower()
    scheme = "https" if websocket.url.scheme == "wss" else "http"
    allowed = {f"{scheme}://{host}"}
    public_url = websocket.app.state.settings.public_url
    if public_url:
        allowed.add(_origin_of(public_url))
    return origin in allowed


async def refuse(websocket: WebSocket) -> None:
    """Refuse the handshake: closing before accepting answers it with HTTP 403."""
    await websocket.close(code=POLICY_VIOLATION)


async def pump(
    websocket: WebSocket,
    subscriber: Subscriber,
    first: list[Fragment],
    still_allowed: Callable[[], Awaitable[bool]] | None = None,
) -> None:
    """Send the full state, then every queued fragment, until either side stops."""
    await websocket.accept()
    await websocket.send_text("".join(f.html for f in first))

    async def write() -> None:
        while (html := await subscriber.next()) is not None:
            if still_allowed is not None and not await still_allowed():
                await websocket.close(code=POLICY_VIOLATION)
                return
            await websocket.send_text(html)
        await websocket.close(code=TRY_AGAIN_LATER)

    async def read() -> None:
        # Phones and screens send nothing we use; reading notices the close.
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return

    tasks = [asyncio.create_task(write()), asyncio.create_task(read())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(
                asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError
            ):
                await task
