"""Previous page / Next page on the control panel over HTTP on the real app: shown beside
the paging switch (only where the screen pages), one ``page`` route with or without htmx
(no JavaScript: a plain form, back to the panel), the count in the presenter's frame; a
bad value changes nothing, and with no item on the screen htmx hears why, translated."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Facilitator
from tests.integration.db import rows
from tests.integration.test_live_actions import HTMX, _live


def _turns(db_path: Path, session: int) -> int:
    return int(str(rows(db_path, "SELECT page_turn FROM sessions WHERE id = ?", session)[0][0]))


def test_the_page_is_turned_from_the_control_panel(facilitator: Facilitator, db_path: Path) -> None:
    live = _live(facilitator, "open_text", question="Hva nå?")
    page = f"/sessions/{live.session}/live/page"
    control = facilitator.client.get(f"/sessions/{live.session}/control").text
    for button, by in (("page-previous", "-1"), ("page-next", "1")):
        found = re.search(
            rf'<form method="post" action="{page}"[^>]*>\s*<input type="hidden"'
            rf' name="csrf_token"[^>]*>\s*<button type="submit" name="by" value="{by}"'
            rf' id="{button}">',
            control,
        )
        assert found, button
    assert 'role="group" aria-label="Pages on the screen"' in control
    for bad in ({"by": "2"}, {"by": "next"}, {}):
        assert facilitator.post(page, bad).status_code == 400, bad
    assert _turns(db_path, live.session) == 0
    assert facilitator.post(page, {"by": "1"}, headers=HTMX).status_code == 204
    assert facilitator.post(page, {"by": "1"}).status_code == 303  # no JavaScript
    assert _turns(db_path, live.session) == 2
    present = facilitator.client.get(f"/sessions/{live.session}/present").text
    assert re.search(rf'data-page-item="{live.item}" data-page-turn="2"', present)
    assert facilitator.post(page, {"by": "-1"}, headers=HTMX).status_code == 204
    assert _turns(db_path, live.session) == 1
    # Turning leaves the paging switch as it was.
    assert "Pause paging on the screen" in (
        facilitator.client.get(f"/sessions/{live.session}/control").text
    )


def test_no_turn_without_an_item_and_no_buttons_where_nothing_pages(
    facilitator: Facilitator, db_path: Path
) -> None:
    choice = _live(facilitator, "choice", question="Hvilken?", options="En\nTo")
    control = facilitator.client.get(f"/sessions/{choice.session}/control").text
    assert 'id="page-next"' not in control and 'id="paging-toggle"' not in control
    live = _live(facilitator, "open_text", question="Hva nå?")
    assert facilitator.post(f"/sessions/{live.session}/live/close").status_code == 303
    page = f"/sessions/{live.session}/live/page"
    refused = facilitator.post(page, {"by": "1"}, headers=HTMX)
    assert refused.status_code == 422
    assert refused.text == "The screen shows no item now: there is no page to turn."
    assert facilitator.post(page, {"by": "1"}).status_code == 303
    assert _turns(db_path, live.session) == 0


def test_the_buttons_and_the_refusal_speak_the_facilitator_s_language(
    facilitator: Facilitator,
) -> None:
    live = _live(facilitator, "open_text", question="Hva nå?")
    words = {
        "nb": ("Forrige side", "Neste side", "Sidene på skjermen"),
        "nn": ("Førre side", "Neste side", "Sidene på skjermen"),
        "da": ("Forrige side", "Næste side", "Siderne på skærmen"),
    }
    for language, (previous, following, group) in words.items():
        assert facilitator.post("/account/language", {"language": language}).status_code in (
            200,
            303,
        )
        control = facilitator.client.get(f"/sessions/{live.session}/control").text
        assert f'id="page-previous">{previous}</button>' in control, language
        assert f'id="page-next">{following}</button>' in control, language
        assert f'aria-label="{group}"' in control, language
    assert facilitator.post(f"/sessions/{live.session}/live/close").status_code == 303
    refused = facilitator.post(f"/sessions/{live.session}/live/page", {"by": "-1"}, headers=HTMX)
    assert refused.status_code == 422
    assert refused.text == "Skærmen viser ikke noget punkt nu: der er ingen side at vende."
