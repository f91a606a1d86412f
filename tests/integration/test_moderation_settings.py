"""The settings every exercise has (``hide_results``, ``approve``) through the real app:
the TOML file and the agenda editor store them, an export round-trips them, and
approval is refused for a kind whose answers are not shown as text."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import httpx2

from tests.browser.conftest import LiveServer
from tests.integration.db import item_settings, rows
from tests.live_helpers import add_item, facilitator_client, join, live_session, new_session

AGENDA = """samling_agenda = 1

[[item]]
title = "Wall"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters?"
answers_per_phone = 2
max_length = 200
hide_results = true
approve = true

[[item]]
title = "Cloud"
duration = 5
kind = "exercise"
exercise = "word_cloud"

[item.settings]
question = "One word"
approve = true

[[item]]
title = "Vote"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Which?"
options = ["A", "B"]
hide_results = true

[[item]]
title = "Plain"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Which?"
options = ["A", "B"]
hide_results = false
"""

APPROVE_ON_CHOICE = """samling_agenda = 1

[[item]]
title = "Fine"
duration = 5
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "Q"
approve = true

[[item]]
title = "Vote"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Which?"
options = ["A", "B"]
approve = true
"""


def flags(db: Path, session: int) -> list[dict[str, object]]:
    """Each item's hide_results and approve as stored (absent when off)."""
    return [
        {k: v for k, v in settings.items() if k in ("hide_results", "approve")}
        for _kind, settings in item_settings(db, session)
    ]


def import_file(client: httpx2.Client, session: int, csrf: str, text: str) -> httpx2.Response:
    return client.post(
        f"/sessions/{session}/import",
        data={"csrf_token": csrf},
        files={"file": ("agenda.toml", text.encode(), "application/toml")},
    )


def item_ids(db: Path, session: int) -> list[int]:
    found = rows(db, "SELECT id FROM agenda_items WHERE session_id = ? ORDER BY position", session)
    return [int(str(r[0])) for r in found]


def test_the_toml_file_round_trips_hide_results_and_approve(server: LiveServer) -> None:
    client = facilitator_client(server, "mod-a", "moderation password 1")
    session, csrf = new_session(client)
    assert import_file(client, session, csrf, AGENDA).status_code in (200, 303)
    # Stored as true when switched on; "false" is the same as leaving it out.
    assert flags(server.db_path, session) == [
        {"hide_results": True, "approve": True},
        {"approve": True},
        {"hide_results": True},
        {},
    ]
    exported = client.get(f"/sessions/{session}/agenda.toml").text
    assert exported.count("hide_results = true") == 2
    assert exported.count("approve = true") == 2
    assert "hide_results = false" not in exported
    other, csrf2 = new_session(client)
    assert import_file(client, other, csrf2, exported).status_code in (200, 303)
    assert item_settings(server.db_path, other) == item_settings(server.db_path, session)
    assert client.get(f"/sessions/{other}/agenda.toml").text == exported


def test_approval_on_a_choice_item_is_refused_naming_the_field(server: LiveServer) -> None:
    client = facilitator_client(server, "mod-b", "moderation password 1")
    session, csrf = new_session(client)
    refused = import_file(client, session, csrf, APPROVE_ON_CHOICE)
    assert refused.status_code == 422
    error = re.search(r'id="import-error">([^<]*)<', refused.text)
    assert error, refused.text[:2000]
    # The offending key with its line; the file is refused whole, nothing is stored.
    assert error[1] == (
        "Line 22, item[2].settings.approve: Only for exercises whose answers are shown as text."
    )
    assert item_settings(server.db_path, session) == []

    # The same through the editor's form: refused, nothing stored.
    refused = add_item(
        client,
        session,
        csrf,
        title="Vote",
        exercise="choice",
        **{
            "settings.question": "Which?",
            "settings.options": "A\nB",
            "settings.approve": "yes",
        },
    )
    assert refused.status_code == 422
    # The message is shown at the box that was ticked, so it can be unticked.
    assert re.search(
        r'<input type="checkbox" id="new-settings-approve" name="settings.approve"'
        r' value="yes" checked>\s*<label[^>]*>[^<]*</label>\s*<p class="hint">[^<]*</p>\s*'
        r'<p class="field-error">Only for exercises whose answers are shown as text.</p>',
        refused.text,
    ), refused.text
    assert item_settings(server.db_path, session) == []


def test_the_editor_offers_and_stores_the_checkboxes(server: LiveServer) -> None:
    client = facilitator_client(server, "mod-c", "moderation password 1")
    session, csrf = new_session(client)
    # Approval is offered only for kinds whose answers are text; hiding for every kind.
    text_fields = client.get(f"/sessions/{session}/settings-form?form=new&exercise=open_text")
    assert 'id="new-settings-hide_results" name="settings.hide_results"' in text_fields.text
    assert 'id="new-settings-approve" name="settings.approve"' in text_fields.text
    vote_fields = client.get(f"/sessions/{session}/settings-form?form=edit&exercise=choice")
    assert 'id="edit-settings-hide_results" name="settings.hide_results"' in vote_fields.text
    assert "settings.approve" not in vote_fields.text

    wall = {
        "title": "Wall",
        "exercise": "open_text",
        "settings.question": "What matters?",
        "settings.answers_per_phone": "3",
        "settings.max_length": "200",
    }
    assert add_item(client, session, csrf, **wall, **{"settings.approve": "yes"}).status_code == 200
    vote = {
        "title": "Vote",
        "exercise": "choice",
        "settings.question": "Which?",
        "settings.options": "A\nB",
        "settings.hide_results": "yes",
    }
    assert add_item(client, session, csrf, **vote).status_code == 200
    assert flags(server.db_path, session) == [{"approve": True}, {"hide_results": True}]

    # The edit form shows them ticked; saving with one unticked takes it away.
    first, second = item_ids(server.db_path, session)
    editing = client.get(f"/sessions/{session}?edit={first}").text
    assert re.search(r'id="edit-settings-approve"[^>]* checked>', editing)
    assert re.search(r'id="edit-settings-hide_results"[^>]*value="yes">', editing)
    changed = client.post(
        f"/sessions/{session}/items/{first}",
        data={
            "csrf_token": csrf,
            "duration": "10",
            "kind": "exercise",
            **wall,
            "settings.hide_results": "yes",
        },
        headers={"HX-Request": "true"},
    )
    assert changed.status_code == 200
    assert flags(server.db_path, session) == [{"hide_results": True}, {"hide_results": True}]
    editing = client.get(f"/sessions/{session}?edit={second}").text
    assert re.search(r'id="edit-settings-hide_results"[^>]* checked>', editing)
    assert 'id="edit-settings-approve"' not in editing


WAIT_FOR_ALL = """samling_agenda = 1

[[item]]
title = "Wall"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters?"
answers_per_phone = 20
approve = true
"""


def test_waiting_answers_have_ids_of_their_own(server: LiveServer) -> None:
    client = facilitator_client(server, "mod-d", "moderation password 1")
    live = live_session(server, client, agenda=WAIT_FOR_ALL)
    (item,) = live.item_ids
    # Answer until one answer's id is the item's: ids of rows and of the list must
    # not clash on the control panel.
    newest = 0
    while newest < item:
        phone = join(server, live.code)
        for _ in range(20):
            sent = phone.do(
                item, "answer", {"idem_key": secrets.token_hex(8), "text": f"Answer {newest + 1}"}
            )
            assert sent.status_code == 200, sent.text
            newest = max(int(i) for i in re.findall(r'id="own-(\d+)"', sent.text))
            if newest >= item:
                break
    control = client.get(f"/sessions/{live.id}/control").text
    ids = re.findall(r' id="([^"]+)"', control)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert f'<li id="pending-{item}">' in control
    assert 'id="approve-all">Approve all' in control
