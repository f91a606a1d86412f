"""The presenter's switches over HTTP on the real app: the join code (large, corner badge,
hidden, automatic), the themes view and the paging, through the one ``switch`` route;
a bad value changes nothing; participant text in the themes view is escaped."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from tests.conftest import Facilitator
from tests.integration.db import rows
from tests.integration.test_live_actions import HTMX, _ask, _live, _phone


def _switches(db_path: Path, session: int) -> tuple[str, str, int]:
    found = rows(
        db_path,
        "SELECT join_banner, present_view, paging_paused FROM sessions WHERE id = ?",
        session,
    )
    banner, view, paused = found[0]
    return str(banner), str(view), int(str(paused))


def test_the_join_code_is_switched_and_a_bad_value_changes_nothing(
    facilitator: Facilitator, db_path: Path
) -> None:
    live = _live(facilitator, "open_text", question="Hva nå?")
    switch = f"/sessions/{live.session}/live/switch"
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert 'class="join-banner join-large"' in present  # the first item: people join
    for bad in ({"banner": "huge"}, {"view": "cloud"}, {"paging": "later"}, {}):
        assert facilitator.post(switch, bad).status_code == 400, bad
    assert _switches(db_path, live.session) == ("auto", "results", 0)
    assert facilitator.post(switch, {"banner": "hidden"}, headers=HTMX).status_code == 204
    assert _switches(db_path, live.session) == ("hidden", "results", 0)
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert 'id="join-banner"' not in present and 'class="present banner-hidden' in present
    control = facilitator.client.get(f"/sessions/{live.session}/control").text
    assert re.search(r'id="banner-hidden" aria-pressed="true"', control)
    assert 'id="banner-auto"' in control
    assert facilitator.post(switch, {"banner": "corner"}).status_code == 303
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert 'class="join-banner join-corner"' in present and 'id="join-code"' in present


def test_the_paging_is_paused_and_resumed(facilitator: Facilitator, db_path: Path) -> None:
    live = _live(facilitator, "open_text", question="Hva nå?")
    switch = f"/sessions/{live.session}/live/switch"
    control = facilitator.client.get(f"/sessions/{live.session}/control").text
    assert "Pause paging on the screen" in control
    assert facilitator.post(switch, {"paging": "pause"}).status_code == 303
    assert _switches(db_path, live.session)[2] == 1
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert 'data-paging="paused"' in present
    assert (
        "Resume paging on the screen"
        in facilitator.client.get(f"/sessions/{live.session}/control").text
    )
    assert facilitator.post(switch, {"paging": "resume"}).status_code == 303
    assert _switches(db_path, live.session)[2] == 0


def test_the_themes_view_shows_each_theme_with_its_answers_escaped(
    facilitator: Facilitator, app_client: TestClient, db_path: Path
) -> None:
    live = _live(facilitator, "open_text", question="Hva nå?", answers_per_phone="3")
    phone = _phone(app_client, live)
    hostile = '<img src=x onerror="alert(1)">Samarbeid'
    answer = _ask(phone, hostile, "answer-key-1")
    _ask(phone, "Uten tema", "answer-key-2")
    act = f"{live.base}/do/"
    assert facilitator.post(act + "theme.add", {"name": "<b>Tema</b>"}).status_code == 303
    theme = rows(db_path, "SELECT id FROM themes WHERE item_id = ?", live.item)[0][0]
    marked = facilitator.post(
        act + "mark", {"response": str(answer), "theme_id": str(theme), "set_theme": "1"}
    )
    assert marked.status_code == 303
    control = facilitator.client.get(f"/sessions/{live.session}/control").text
    assert "Show the summary on the screen" in control
    assert (
        facilitator.post(f"/sessions/{live.session}/live/switch", {"view": "themes"}).status_code
        == 303
    )
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert 'id="present-themes"' in present and 'class="wall"' not in present
    assert "&lt;b&gt;Tema&lt;/b&gt;" in present and "<b>Tema" not in present
    assert "&lt;img src=x" in present and "<img src=x" not in present
    assert "Uten tema" not in present  # an answer with no theme is not in the summary
    control = facilitator.client.get(f"/sessions/{live.session}/control").text
    assert "Show the answers on the screen" in control
