"""The control panel's group controls in real Chromium: forming groups on the spot,
renaming one, moving a phone with its menu, drawing the roles again, and moving through
the phases with the buttons; the phones follow each change."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveServer
from tests.browser.rooms import LiveRoom, live_room

AGENDA = """samling_agenda = 1

[[item]]
title = "Samskaping"
duration = 30
kind = "exercise"
exercise = "group_work"

[item.settings]
task = "Hva betyr samskaping for oss?"
phases = [
    { name = "Alene", minutes = 1, mode = "individual", instructions = "Tenk selv." },
    { name = "Rekkefremlegg", minutes = 1, mode = "group", instructions = "Del i gruppa." },
    { name = "Plenum", minutes = 1, mode = "plenary", instructions = "" },
]
roles = [{ name = "Sekretær", rule = "den med nyest bukse", keeps_list = true }]
"""
HOSTILE = 'Tyttebær <img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveRoom]:
    with live_room(
        browser,
        server,
        tmp_path_factory.mktemp("group-controls"),
        username="grouper",
        title="Groups",
        agenda=AGENDA,
        phones=4,
    ) as live:
        yield live


def _group_names(room: LiveRoom) -> list[str]:
    """Each phone's group, as its page says it."""
    names = []
    for phone in room.phones:
        expect(phone.locator("#group-name")).to_be_visible()
        names.append(phone.inner_text("#group-name").removeprefix("Your group: "))
    return names


def test_form_rename_move_draw_and_step_through_phases(room: LiveRoom) -> None:
    control = room.control
    expect(control.locator("#form-groups")).to_contain_text("4 phones connected now")
    control.fill("#groups-number", "2")
    control.click("#form-groups-button")
    columns = control.locator("#control-groups section.group-column")
    expect(columns).to_have_count(2)
    expect(control.locator("#form-groups-button")).to_have_text("Form the groups again")
    names = _group_names(room)
    assert len(set(names)) == 2 and sorted(names.count(n) for n in set(names)) == [2, 2]
    # The one role is handed out in each group once the groups are formed.
    expect(control.locator(".role-badge")).to_have_count(2)

    # Rename a group: its phones show the new name, as text.
    first = columns.first
    group_id = (first.get_attribute("id") or "").removeprefix("control-group-")
    old_name = control.input_value(f"#group-rename-{group_id}")
    control.fill(f"#group-rename-{group_id}", HOSTILE)
    first.locator("form.group-rename button[type=submit]").click()
    for phone, name in zip(room.phones, names, strict=True):
        if name == old_name:
            expect(phone.locator("#group-name")).to_have_text(f"Your group: {HOSTILE}")
    assert room.phones[0].locator("#group-name img").count() == 0

    # Move one phone of the renamed group into the other one with its menu.
    other_name = next(n for n in names if n != old_name)
    row = first.locator(".group-phones li").first
    phone_id = (row.get_attribute("id") or "").removeprefix("phone-")
    control.select_option(f"#move-{phone_id}", label=other_name)
    second = control.locator("#control-groups section.group-column").nth(1)
    expect(second.locator(f"#phone-{phone_id}")).to_be_visible()
    expect(second.locator(".group-phones li")).to_have_count(3)
    expect(
        control.locator("#control-groups section.group-column").first.locator(".group-phones li")
    ).to_have_count(1)
    # Three phones now say they are in the other group.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        said = [p.inner_text("#group-name") for p in room.phones]
        if said.count(f"Your group: {other_name}") == 3:
            break
        time.sleep(0.1)
    assert said.count(f"Your group: {other_name}") == 3, said

    # Draw the roles again: still one secretary a group, shown on the phones.
    control.click("#draw-roles")
    expect(control.locator(".role-badge")).to_have_count(2)
    expect(control.locator(".role-badge")).to_have_text(["Sekretær", "Sekretær"])
    # The new draw reaches the phones: two role cards, one a group, with the rule.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        cards = [p.locator("#my-role").all_inner_texts() for p in room.phones]
        if sum(len(c) for c in cards) == 2:
            break
        time.sleep(0.1)
    assert sum(len(c) for c in cards) == 2, cards
    assert all("den med nyest bukse" in text for c in cards for text in c)

    # The phases, with the control panel's buttons.
    control.click("#timer-start")
    for phone in room.phones:
        expect(phone.locator("#phase-name")).to_have_text("Alene")
    control.click("#phase-next")
    expect(control.locator("#phase-list li.current")).to_contain_text("Rekkefremlegg")
    for phone in room.phones:
        expect(phone.locator("#phase-name")).to_have_text("Rekkefremlegg")
        expect(phone.locator("#point-form")).to_be_visible()
    control.click("#phase-next")
    expect(room.presenter.locator("#phase-name")).to_have_text("Plenum")
    expect(room.presenter.locator(".group-list")).to_have_count(2)
