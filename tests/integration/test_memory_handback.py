"""Phones' sockets that close hand their memory back: the app's trimmer hears every
socket that opens and closes, and trims once a wave of closes has settled."""

from __future__ import annotations

import threading

from starlette.testclient import TestClient

from tests.conftest import Facilitator
from tests.integration.test_live_actions import _live, _phone
from workshop.memory import Trimmer
from workshop.services import Services


def test_a_wave_of_closed_phone_sockets_is_trimmed(
    app_client: TestClient, facilitator: Facilitator
) -> None:
    trimmed = threading.Event()
    calls: list[int] = []

    def trim(pad: int) -> int:
        calls.append(pad)
        trimmed.set()
        return 1

    services: Services = app_client.app.state.services  # type: ignore[attr-defined]
    services.trimmer = Trimmer(after=3, quiet=0.0, trim=trim)
    live = _live(facilitator, "open_text", question="What matters?")
    phones = [_phone(app_client, live) for _ in range(3)]
    for n, phone in enumerate(phones):
        with phone.client.websocket_connect(
            f"/s/{live.code}/ws", headers={"Origin": "http://testserver"}
        ) as socket:
            assert "What matters?" in socket.receive_text()
        if n < 2:
            assert not trimmed.is_set()
    assert trimmed.wait(10)
    assert calls == [0]
