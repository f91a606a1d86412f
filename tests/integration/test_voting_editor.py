"""The agenda editor and the TOML file know every kind: settings typed in the editor's
form are stored clean, bad ones are refused naming the field, and an export round-trips."""

from __future__ import annotations

import re

from tests.browser.conftest import LiveServer
from tests.integration.db import item_settings
from tests.live_helpers import add_item, facilitator_client, new_session


def test_each_kind_is_offered_with_its_own_settings_fields(server: LiveServer) -> None:
    client = facilitator_client(server, "kinds-a", "kinds password 1")
    session, _csrf = new_session(client)
    page = client.get(f"/sessions/{session}").text
    for kind in ("open_text", "choice", "scale", "points"):
        assert f'<option value="{kind}"' in page
    fields = client.get(f"/sessions/{session}/settings-form?form=new&exercise=scale").text
    assert 'name="settings.statements"' in fields and 'id="new-settings-statements"' in fields
    assert 'name="settings.chart"' in fields


def test_the_editor_stores_clean_settings_of_every_kind(server: LiveServer) -> None:
    client = facilitator_client(server, "kinds-b", "kinds password 1")
    session, csrf = new_session(client)
    answers = [
        {
            "title": "Vote",
            "exercise": "choice",
            "settings.question": "Which?",
            "settings.options": "Ja\r\nNei\r\n\r\nVet ikke",
            "settings.multiple": "yes",
            "settings.max_picks": "2",
        },
        {
            "title": "Wheel",
            "exercise": "scale",
            "settings.statements": "Tillit\nTid\nMot",
            "settings.steps": "7",
            "settings.low_label": "Lite",
            "settings.high_label": "Mye",
            "settings.chart": "bars",
            "settings.question": "",
        },
        {
            "title": "Dots",
            "exercise": "points",
            "settings.question": "Hva først?",
            "settings.options": "A\nB",
            "settings.budget": "5",
        },
    ]
    for fields in answers:
        assert add_item(client, session, csrf, **fields).status_code == 200
    assert item_settings(server.db_path, session) == [
        (
            "choice",
            {
                "question": "Which?",
                "options": ["Ja", "Nei", "Vet ikke"],
                "multiple": True,
                "max_picks": 2,
            },
        ),
        (
            "scale",
            {
                "question": "",
                "statements": ["Tillit", "Tid", "Mot"],
                "steps": 7,
                "low_label": "Lite",
                "high_label": "Mye",
                "chart": "bars",
            },
        ),
        ("points", {"question": "Hva først?", "options": ["A", "B"], "budget": 5}),
    ]
    # The export carries the lists as TOML arrays, and imports back to the same.
    exported = client.get(f"/sessions/{session}/agenda.toml").text
    assert 'options = [\n    "Ja",\n    "Nei",\n    "Vet ikke",\n]' in exported
    other, csrf2 = new_session(client)
    imported = client.post(
        f"/sessions/{other}/import",
        data={"csrf_token": csrf2},
        files={"file": ("a.toml", exported.encode(), "application/toml")},
    )
    assert imported.status_code in (200, 303)
    assert client.get(f"/sessions/{other}/agenda.toml").text == exported


def test_bad_settings_are_refused_naming_the_field_and_nothing_is_stored(
    server: LiveServer,
) -> None:
    client = facilitator_client(server, "kinds-c", "kinds password 1")
    session, csrf = new_session(client)
    refused = add_item(
        client,
        session,
        csrf,
        title="Vote",
        exercise="choice",
        **{"settings.question": "Which?", "settings.options": "Only one"},
    )
    assert refused.status_code == 422
    assert "Give between 2 and 20, one per line." in refused.text
    # What was typed stays in the form.
    assert re.search(r'id="new-settings-options"[^>]*>Only one</textarea>', refused.text)
    refused = add_item(
        client,
        session,
        csrf,
        title="Dots",
        exercise="points",
        **{"settings.question": "Q", "settings.options": "A\nB", "settings.budget": "0"},
    )
    assert refused.status_code == 422 and "Must be between 1 and 1000." in refused.text
    assert item_settings(server.db_path, session) == []
