"""What the control panel reads from the room's state: the next item, the members a group
still expects, the plan's drift, and a closed day's record of answers per item."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from facilitator.screens import schedule
from tests.unit.live_support import OPEN_TEXT, World, world


@pytest.fixture
async def w(tmp_path: Path) -> AsyncIterator[World]:
    async with world(tmp_path) as here:
        yield here


async def test_the_next_item_follows_the_current_one_and_the_last_has_none(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.item is not None and state.item.id == first
    assert state.next_item is not None and state.next_item.id == second
    await w.live.facilitator.go_to(session.id, second)
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.next_item is None
    # Before any item is current, the first one is next.
    assert replace(state, item=None).next_item == state.items[0]


async def test_a_group_expects_only_the_members_who_have_not_joined(w: World) -> None:
    session = await w.session(OPEN_TEXT)
    group = await w.store.groups.create(
        session.programme_id, "Blåveis", ("Kari Nordmann", "Ola Berg", "Per Lia")
    )
    await w.join(session, "  kari   NORDMANN ")  # as typed on a phone
    await w.join(session, "Someone else")
    await w.live.core.reread(session.id)
    state = await w.live.facilitator.state(session.id)
    assert state is not None
    assert state.not_joined(group) == ["Ola Berg", "Per Lia"]


async def test_the_plan_s_drift_is_only_said_on_the_session_s_day_while_it_runs(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.item is not None and state.item.actual_start
    planned = replace(state.items[0], start=dt.time(0, 0))
    state = replace(state, items=(planned, *state.items[1:]))
    today = replace(state, session=replace(state.session, date=dt.date.today()))
    assert schedule(today).drift is not None
    assert schedule(state).drift is not None  # no date: the day is today
    later = dt.date.today() + dt.timedelta(days=14)
    assert schedule(replace(state, session=replace(state.session, date=later))).drift is None
    closed = replace(today, session=replace(today.session, live_state="closed"))
    assert schedule(closed).drift is None


async def test_a_closed_session_s_state_counts_the_answers_and_phones_of_each_item(
    w: World,
) -> None:
    session = await w.session(OPEN_TEXT)
    first, second = await w.items(session.id)
    code = session.join_code or ""
    phones = [await w.join(session) for _ in range(3)]
    for phone, texts in zip(phones, (["a", "b"], ["c"], []), strict=True):
        for text in texts:
            fields = {"text": text, "name": ""}
            await w.live.phone.act(phone, code, first, "answer", fields, uuid.uuid4().hex)
    live = await w.live.facilitator.state(session.id)
    assert live is not None and live.tallies == {}  # read only once the day is closed

    await w.live.facilitator.close(session.id)
    state = await w.live.facilitator.state(session.id)
    assert state is not None and state.session.live_state == "closed"
    assert state.tallies == {first: (3, 2)}
    assert second not in state.tallies
