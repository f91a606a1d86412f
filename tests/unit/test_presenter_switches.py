"""The presenter's switches are commands of the live core: how the join code shows, the
themes view, the paging. Each is stored (a reload of the projector keeps it), applied to
the room and published once; another item shows its result and pages again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.unit.live_support import OPEN_TEXT, World, world
from workshop.hub import PRESENTER
from workshop.live import LiveState
from workshop.live.loading import load_room

CHOICE = """samling_agenda = 1

[[item]]
title = "Welcome"
duration = 10
kind = "talk"

[[item]]
title = "Pick one"
duration = 10
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Which?"
options = ["One", "Two"]
"""


@pytest.fixture
async def w(tmp_path: Path) -> AsyncIterator[World]:
    async with world(tmp_path) as here:
        yield here


async def _state(w: World, session_id: int) -> LiveState:
    state = await w.live.facilitator.state(session_id)
    assert state is not None
    return state


async def test_the_join_code_is_large_on_the_first_item_then_in_the_corner(w: World) -> None:
    session = await w.session(CHOICE)
    welcome, choice = await w.items(session.id)
    assert (await _state(w, session.id)).banner == "large"
    await w.live.facilitator.go_to(session.id, choice)
    assert (await _state(w, session.id)).banner == "corner"
    await w.live.facilitator.go_to(session.id, welcome)
    assert (await _state(w, session.id)).banner == "large"


async def test_the_facilitator_chooses_how_the_join_code_shows_and_it_is_kept(
    w: World,
) -> None:
    session = await w.session(CHOICE)
    _welcome, choice = await w.items(session.id)
    screen, _sub = await w.connect(session, audience=PRESENTER)
    renders, sent = w.presenter.calls["full"], len(screen.got)
    await w.live.facilitator.switch(session.id, join_banner="hidden")
    while len(screen.got) == sent:
        await screen.next()
    assert "full" in screen.got[-1], "the presenter hears of it"
    assert w.presenter.calls["full"] == renders + 1, "rendered once"
    assert w.presenter.states[-1].banner == "hidden"
    # Kept in the store, and across items: a reload (the room read again) shows it so.
    await w.live.facilitator.go_to(session.id, choice)
    stored = await w.store.live.session(session.id)
    assert stored is not None and stored.join_banner == "hidden"
    reread = await load_room(w.store, w.live.core.kinds, session.id)
    assert reread is not None and reread.session.join_banner == "hidden"
    await w.live.facilitator.switch(session.id, join_banner="large")
    assert (await _state(w, session.id)).banner == "large"
    await w.live.facilitator.switch(session.id, join_banner="auto")
    assert (await _state(w, session.id)).banner == "corner"


async def test_a_closed_session_shows_no_join_code(w: World) -> None:
    session = await w.session(CHOICE)
    await w.live.facilitator.switch(session.id, join_banner="large")
    await w.live.facilitator.close(session.id)
    stored = await w.store.live.session(session.id)
    assert stored is not None and stored.live_state == "closed"
    reread = await load_room(w.store, w.live.core.kinds, session.id)
    assert reread is not None
    assert reread.snapshot(frozenset(), 0).banner == "hidden"


async def test_the_themes_view_and_the_paging_last_for_the_item_they_were_set_on(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    await w.live.facilitator.act(session.id, first, "theme.add", {"name": "Samarbeid"})
    await w.live.facilitator.switch(session.id, present_view="themes", paging_paused=True)
    state = await _state(w, session.id)
    assert state.themes_view and state.session.paging_paused
    assert state.pages_on_screen, "the themes page through their answers"
    reread = await load_room(w.store, w.live.core.kinds, session.id)
    assert reread is not None and reread.session.present_view == "themes"
    assert reread.session.paging_paused
    # Another item: its result, paging again.
    await w.live.facilitator.go_to(session.id, second)
    state = await _state(w, session.id)
    assert not state.themes_view and not state.session.paging_paused
    assert state.session.present_view == "results"


async def test_the_themes_view_needs_themes_and_paging_a_kind_that_pages(w: World) -> None:
    session = await w.session(CHOICE)
    _welcome, choice = await w.items(session.id)
    await w.live.facilitator.go_to(session.id, choice)
    await w.live.facilitator.switch(session.id, present_view="themes")
    state = await _state(w, session.id)
    assert not state.themes_view, "no themes: the result shows"
    assert not state.pages_on_screen, "a choice's bars fit: nothing to page"
    other = await w.session(OPEN_TEXT)
    assert (await _state(w, other.id)).pages_on_screen
