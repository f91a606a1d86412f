"""Websockets on a real server (uvicorn with its limits): origin, scope, size."""

from __future__ import annotations

import asyncio

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.browser.conftest import LiveServer
from tests.live_helpers import (
    cookie_header,
    csrf_of,
    facilitator_client,
    join,
    live_session,
    ws_url,
)


async def _first_message(url: str, headers: dict[str, str]) -> str:
    async with connect(url, additional_headers=headers, open_timeout=10) as socket:
        return str(await asyncio.wait_for(socket.recv(), 10))


def test_a_phone_gets_the_full_state_on_connect(server: LiveServer) -> None:
    fac = facilitator_client(server, "ws-a", "ws password 1")
    live = live_session(server, fac)
    phone = join(server, live.code)
    headers = {"Origin": server.url, "Cookie": phone.cookie}
    first = asyncio.run(_first_message(ws_url(server, f"/s/{live.code}/ws"), headers))
    # One message: the server's clock first (for the countdown), then the regions.
    assert first.startswith('<i id="server-now"'), first[:80]
    assert 'id="stage"' in first and "Question one" in first and 'id="answers"' in first


def test_a_foreign_origin_is_refused_with_403(server: LiveServer) -> None:
    fac = facilitator_client(server, "ws-b", "ws password 1")
    live = live_session(server, fac)
    phone = join(server, live.code)
    for origin in ("http://evil.example", "null", ""):
        headers = {"Cookie": phone.cookie}
        if origin:
            headers["Origin"] = origin
        with pytest.raises(InvalidStatus) as refused:
            asyncio.run(_first_message(ws_url(server, f"/s/{live.code}/ws"), headers))
        assert refused.value.response.status_code == 403


def test_a_phone_cannot_subscribe_to_another_session(server: LiveServer) -> None:
    fac = facilitator_client(server, "ws-c", "ws password 1")
    first = live_session(server, fac)
    second = live_session(server, fac)
    phone = join(server, first.code)
    headers = {"Origin": server.url, "Cookie": phone.cookie}
    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(_first_message(ws_url(server, f"/s/{second.code}/ws"), headers))
    assert refused.value.response.status_code == 403
    # No cookie at all: refused too.
    with pytest.raises(InvalidStatus):
        asyncio.run(_first_message(ws_url(server, f"/s/{first.code}/ws"), {"Origin": server.url}))


def test_facilitator_sockets_need_a_facilitator_of_the_session(server: LiveServer) -> None:
    owner = facilitator_client(server, "ws-d", "ws password 1")
    live = live_session(server, owner)
    stranger = facilitator_client(server, "ws-e", "ws password 1")
    url = ws_url(server, f"/sessions/{live.id}/ws?view=control")
    for cookies in ("", cookie_header(stranger)):
        with pytest.raises(InvalidStatus) as refused:
            asyncio.run(_first_message(url, {"Origin": server.url, "Cookie": cookies}))
        assert refused.value.response.status_code == 403
    mine = cookie_header(owner)
    message = asyncio.run(_first_message(url, {"Origin": server.url, "Cookie": mine}))
    assert 'id="control"' in message


def test_a_100kb_message_closes_only_that_socket(server: LiveServer) -> None:
    fac = facilitator_client(server, "ws-f", "ws password 1")
    live = live_session(server, fac)
    noisy, calm = join(server, live.code), join(server, live.code)
    url = ws_url(server, f"/s/{live.code}/ws")
    csrf = csrf_of(fac)

    async def scenario() -> tuple[int | None, str]:
        async with (
            connect(url, additional_headers={"Origin": server.url, "Cookie": noisy.cookie}) as bad,
            connect(url, additional_headers={"Origin": server.url, "Cookie": calm.cookie}) as good,
        ):
            await bad.recv()
            await good.recv()
            await bad.send("x" * 100_000)
            with pytest.raises(ConnectionClosed):
                while True:
                    await asyncio.wait_for(bad.recv(), 10)
            code = bad.close_code
            await asyncio.to_thread(
                fac.post,
                f"/sessions/{live.id}/live/step",
                data={"by": "1", "csrf_token": csrf},
                headers={"HX-Request": "true"},
            )
            pushed = str(await asyncio.wait_for(good.recv(), 10))
            return code, pushed

    code, pushed = asyncio.run(scenario())
    assert code == 1009  # message too big
    # The other phone got the next item, in one message (stage, answers and its own).
    assert pushed.startswith('<i id="server-now"') and "Question two" in pushed
