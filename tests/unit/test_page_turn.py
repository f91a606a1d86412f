"""Turning the presenter's page by hand is one command of the live core: the net count of
the facilitator's turns on the current item is stored (a reloaded presenter opens on the
page turned to), applied to the room and published once; it leaves the paging switch as
it is, and another item starts again at 0 (its first page)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.unit.live_support import OPEN_TEXT, World, world
from workshop.hub import PRESENTER
from workshop.live.loading import load_room


@pytest.fixture
async def w(tmp_path: Path) -> AsyncIterator[World]:
    async with world(tmp_path) as here:
        yield here


async def _turns(w: World, session_id: int) -> tuple[int, int, bool]:
    """The turns in the room, in the store, and whether paging is paused."""
    state = await w.live.facilitator.state(session_id)
    stored = await w.store.live.session(session_id)
    assert state is not None and stored is not None
    return state.session.page_turn, stored.page_turn, stored.paging_paused


async def test_a_turn_is_stored_applied_and_published_once(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    screen, _sub = await w.connect(session, audience=PRESENTER)
    renders, sent = w.presenter.calls["full"], len(screen.got)
    assert await w.live.facilitator.turn_page(session.id, 1)
    while len(screen.got) == sent:
        await screen.next()
    assert "full" in screen.got[-1], "the presenter hears of it"
    assert w.presenter.calls["full"] == renders + 1, "rendered once"
    assert w.presenter.states[-1].session.page_turn == 1
    assert await _turns(w, session.id) == (1, 1, False)
    # Back twice: the count goes below 0 (each screen wraps it to its own pages).
    assert await w.live.facilitator.turn_page(session.id, -1)
    assert await w.live.facilitator.turn_page(session.id, -1)
    assert await _turns(w, session.id) == (-1, -1, False)
    reread = await load_room(w.store, w.live.core.kinds, session.id)
    assert reread is not None and reread.session.page_turn == -1


async def test_a_turn_while_paused_keeps_it_paused_and_another_item_starts_at_0(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    await w.live.facilitator.switch(session.id, paging_paused=True)
    assert await w.live.facilitator.turn_page(session.id, 1)
    assert await w.live.facilitator.turn_page(session.id, 1)
    assert await _turns(w, session.id) == (2, 2, True)
    await w.live.facilitator.go_to(session.id, second)
    assert await _turns(w, session.id) == (0, 0, False)
    await w.live.facilitator.go_to(session.id, first)
    assert await _turns(w, session.id) == (0, 0, False)


async def test_nothing_is_turned_without_a_current_item(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    await w.live.facilitator.close(session.id)
    assert not await w.live.facilitator.turn_page(session.id, 1)
    stored = await w.store.live.session(session.id)
    assert stored is not None and stored.page_turn == 0
    with pytest.raises(ValueError):
        await w.live.facilitator.turn_page(session.id, 2)
