"""Saved versions of drafts over HTTP on the real app, with the test-only ``relay`` kind
(tests/addon: it keeps its words as versions, and passes on the group and "common" a phone
posts as they are, so forged requests reach the live core's checks): what each phone's
page shows, forged requests refused, a later session of the programme continuing the
thread, and a kind's file of an item for the facilitator (login, access, the worker)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import CSRF_INPUT, Facilitator, browser_of
from tests.integration.db import rows
from workshop.settings import Settings

EN = {"Accept-Language": "en"}
HTMX = {"HX-Request": "true"}
PROMPT = "Vi skal skape MERVERDI ved å"
NOT_YOURS = "You can save only your own group&#39;s draft."


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(
        db_path=db_path, public_url="http://testserver", plugins=("exercises", "tests.addon")
    )


@dataclass
class Day:
    programme: int
    session: int
    code: str
    item: int
    groups: dict[str, int]

    @property
    def live(self) -> str:
        return f"/sessions/{self.session}/live/items/{self.item}"


@dataclass
class Phone:
    client: TestClient
    token: str
    day: Day

    def do(self, action: str, item: int | None = None, **data: str) -> Any:
        data.setdefault("idem_key", uuid.uuid4().hex)
        return self.client.post(
            f"/s/{self.day.code}/items/{item or self.day.item}/do/{action}",
            data={"csrf_token": self.token, **data},
            headers=HTMX,
        )

    def page(self) -> str:
        return str(self.client.get(f"/s/{self.day.code}").text)


def _group(facilitator: Facilitator, programme: int, name: str) -> int:
    made = facilitator.post(f"/programmes/{programme}/groups", {"name": name})
    assert made.status_code == 303, made.text
    page = facilitator.client.get(f"/programmes/{programme}").text
    return int(re.findall(r'id="group-(\d+)"', page)[-1])


def _day(
    facilitator: Facilitator,
    programme: int,
    title: str,
    groups: dict[str, int],
    prompt: str = PROMPT,
) -> Day:
    """A started session of the programme whose current (and only) item is a relay."""
    session = facilitator.create_session(programme, title)
    added = facilitator.post(
        f"/sessions/{session}/items",
        {
            "title": "Our purpose",
            "duration": "30",
            "kind": "exercise",
            "exercise": "relay",
            "settings.prompt": prompt,
            "settings.words_per_phone": "5",
        },
    )
    assert added.status_code == 303, added.text
    assert facilitator.post(f"/sessions/{session}/live/start").status_code == 303
    control = facilitator.client.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    item = re.search(r'id="control-item-(\d+)"', control)
    assert code and item
    return Day(programme, session, code[1] + code[2], int(item[1]), groups)


def _first_day(facilitator: Facilitator) -> Day:
    programme = facilitator.create_programme()
    groups = {name: _group(facilitator, programme, name) for name in ("Blåveis", "Fjellreven")}
    return _day(facilitator, programme, "Day 1", groups)


def _phone(app_client: TestClient, day: Day, group: str | None) -> Phone:
    client = browser_of(app_client, headers=EN)
    token = CSRF_INPUT.search(client.get("/").text)
    assert token
    joined = client.post(
        "/join",
        data={
            "code": day.code,
            "csrf_token": token[1],
            "group_step": "1",
            "group": str(day.groups[group]) if group else "",
        },
    )
    assert joined.status_code == 200
    found = re.search(r'data-token="([^"]+)"', joined.text)
    assert found
    return Phone(client, found[1], day)


def _versions(html: str) -> list[str]:
    """The version names a phone's page lists."""
    found = re.search(r'<ul class="relay-versions" id="relay-versions">(.*?)</ul>', html, re.S)
    assert found, "no list of versions"
    return [v.strip() for v in re.findall(r"<li [^>]*>([^<]*)</li>", found[1])]


def _drafts(db_path: Path) -> list[tuple[object, ...]]:
    return rows(db_path, "SELECT name, common, group_id, session_id FROM drafts ORDER BY id")


def test_each_phone_sees_its_groups_versions_and_the_common_ones_only(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    day = _first_day(facilitator)
    a, b = _phone(app_client, day, "Blåveis"), _phone(app_client, day, "Fjellreven")
    loner = _phone(app_client, day, None)
    assert a.do("pass", word="tillit", idem_key="k" * 16).status_code == 200
    kept = a.do("keep", name="Utkast 1")
    assert kept.status_code == 200, kept.text
    assert _versions(kept.text) == ["Utkast 1"]
    assert _versions(b.page()) == []
    common = facilitator.post(day.live + "/do/keep", {"name": "Felles 1", "common": "1"})
    assert common.status_code == 303, common.text
    theirs = facilitator.post(
        day.live + "/do/keep", {"name": "Fjellreven 1", "group": str(day.groups["Fjellreven"])}
    )
    assert theirs.status_code == 303, theirs.text
    assert _versions(a.page()) == ["Utkast 1", "Felles 1 (Common)"]
    assert _versions(b.page()) == ["Felles 1 (Common)", "Fjellreven 1"]
    assert "Utkast 1" not in b.page() and "Fjellreven 1" not in a.page()
    assert "Utkast 1" not in loner.page() and "Fjellreven 1" not in loner.page()
    control = facilitator.client.get(f"/sessions/{day.session}/control").text
    for shown in ("Utkast 1 · Blåveis · Day 1", "Felles 1 · Common · Day 1", "Fjellreven 1"):
        assert shown in control
    assert _drafts(db_path) == [
        ("Utkast 1", 0, day.groups["Blåveis"], day.session),
        ("Felles 1", 1, None, day.session),
        ("Fjellreven 1", 0, day.groups["Fjellreven"], day.session),
    ]


def test_forged_requests_save_nothing_for_another_group_or_the_common_draft(
    app_client: TestClient, facilitator: Facilitator, other_client: Facilitator, db_path: Path
) -> None:
    day = _first_day(facilitator)
    a = _phone(app_client, day, "Blåveis")
    b = _phone(app_client, day, "Fjellreven")
    loner = _phone(app_client, day, None)
    b.do("pass", word="mot", idem_key="b" * 16)
    for forged in (
        {"name": "Stolen", "group": str(day.groups["Fjellreven"])},
        {"name": "Ours for all", "common": "1"},
        {"name": "Both", "common": "1", "group": str(day.groups["Blåveis"])},
    ):
        refused = a.do("keep", **forged)
        assert refused.status_code == 403, (forged, refused.status_code)
        assert NOT_YOURS in refused.text
    assert loner.do("keep", name="Alone").status_code == 409
    no_token = a.client.post(
        f"/s/{day.code}/items/{day.item}/do/keep", data={"name": "x"}, headers=HTMX
    )
    assert no_token.status_code in (400, 403)
    # A phone of another session of the programme cannot save on this one's item.
    other_day = _day(facilitator, day.programme, "Day 2", day.groups)
    stranger = _phone(app_client, other_day, "Blåveis")
    elsewhere = stranger.client.post(
        f"/s/{other_day.code}/items/{day.item}/do/keep",
        data={"csrf_token": stranger.token, "name": "Elsewhere", "idem_key": "e" * 16},
        headers=HTMX,
    )
    assert elsewhere.status_code == 409
    crossed = stranger.client.post(
        f"/s/{day.code}/items/{day.item}/do/keep",
        data={"csrf_token": stranger.token, "name": "Crossed", "idem_key": "c" * 16},
        headers=HTMX,
        follow_redirects=False,
    )
    # Not a phone of that session: sent to join it.
    assert crossed.status_code == 303 and crossed.headers["location"] == f"/j/{day.code}"
    # Another facilitator's forged post: the programme is no business of his.
    bjorn = other_client.post(day.live + "/do/keep", {"name": "Bjorn", "common": "1"})
    assert bjorn.status_code == 404
    # A group of another programme, named by the programme's own facilitator.
    foreign = _group(facilitator, facilitator.create_programme("Another"), "Utenfor")
    wrong = facilitator.post(day.live + "/do/keep", {"name": "x", "group": str(foreign)})
    assert wrong.status_code == 404
    assert _drafts(db_path) == []
    blank = a.do("keep", name="  ")
    assert blank.status_code == 422 and "Give the version a name." in blank.text
    assert _drafts(db_path) == []


def test_a_later_session_of_the_programme_sees_the_threads_earlier_versions(
    app_client: TestClient, facilitator: Facilitator, db_path: Path
) -> None:
    first = _first_day(facilitator)
    a = _phone(app_client, first, "Blåveis")
    a.do("pass", word="tillit", idem_key="k" * 16)
    assert a.do("keep", name="Utkast 1").status_code == 200
    assert (
        facilitator.post(first.live + "/do/keep", {"name": "Felles 1", "common": "1"}).status_code
        == 303
    )
    assert facilitator.post(f"/sessions/{first.session}/live/close").status_code == 303

    second = _day(facilitator, first.programme, "Day 2", first.groups)
    a2 = _phone(app_client, second, "Blåveis")
    b2 = _phone(app_client, second, "Fjellreven")
    assert _versions(a2.page()) == ["Utkast 1", "Felles 1 (Common)"]
    assert _versions(b2.page()) == ["Felles 1 (Common)"]
    assert a2.do("keep", name="Utkast 2").status_code == 200
    control = facilitator.client.get(f"/sessions/{second.session}/control").text
    assert "Utkast 1 · Blåveis · Day 1" in control and "Utkast 2 · Blåveis · Day 2" in control
    # An item of another thread (another prompt) in the programme starts with none.
    third = _day(facilitator, first.programme, "Day 3", first.groups, prompt="Something else")
    assert _versions(_phone(app_client, third, "Blåveis").page()) == []
    assert [r[0] for r in _drafts(db_path)] == ["Utkast 1", "Felles 1", "Utkast 2"]


def test_a_kinds_file_of_an_item_is_made_in_the_worker_for_its_facilitators_only(
    app_client: TestClient, facilitator: Facilitator, other_client: Facilitator
) -> None:
    day = _first_day(facilitator)
    a = _phone(app_client, day, "Blåveis")
    a.do("pass", word="tillit", idem_key="k" * 16)
    a.do("pass", word="<mot>", idem_key="m" * 16)
    assert a.do("keep", name="Utkast 1").status_code == 200
    facilitator.post(day.live + "/do/keep", {"name": "Felles 1", "common": "1"})
    url = f"/sessions/{day.session}/items/{day.item}/files/words.txt"
    got = facilitator.client.get(url)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["content-disposition"] == 'attachment; filename="relay-words.txt"'
    assert "no-store" in got.headers.get("cache-control", "")
    lines = got.text.splitlines()
    assert lines[:3] == ["Leadership programme 2027", "Our purpose", PROMPT]
    assert lines[3:] == ["Utkast 1 · Blåveis · Day 1: tillit <mot>", "Felles 1 · Common · Day 1: "]
    # In the facilitator's language (the worker renders in it).
    facilitator.post("/account/language", {"language": "nb"})
    assert "Felles 1 · Felles · Day 1" in facilitator.client.get(url).text
    # Only a file the kind names, of an item of this session, for this programme's people.
    for missing in (
        f"/sessions/{day.session}/items/{day.item}/files/nothing.txt",
        f"/sessions/{day.session}/items/{day.item}/files/..%2Fsamling.db",
        f"/sessions/{day.session}/items/987654/files/words.txt",
    ):
        assert facilitator.client.get(missing).status_code == 404, missing
    other = facilitator.create_session(day.programme, "Elsewhere")
    assert (
        facilitator.client.get(f"/sessions/{other}/items/{day.item}/files/words.txt").status_code
        == 404
    )
    assert other_client.client.get(url).status_code == 404
    stranger = browser_of(app_client)
    refused = stranger.get(url, follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
    assert a.client.get(url, follow_redirects=False).status_code == 303


def test_the_sessions_summary_page_links_to_its_items_files(
    app_client: TestClient, facilitator: Facilitator
) -> None:
    day = _first_day(facilitator)
    page = facilitator.client.get(f"/sessions/{day.session}/summary").text
    url = f"/sessions/{day.session}/items/{day.item}/files/words.txt"
    assert 'id="summary-files"' in page
    assert f'href="{url}"' in page and ">The words</a>" in page
    programme = facilitator.client.get(f"/programmes/{day.programme}/summary").text
    assert 'id="summary-files"' not in programme
    # A session without such an item has no such card.
    other = facilitator.create_session(day.programme, "Plain")
    assert 'id="summary-files"' not in facilitator.client.get(f"/sessions/{other}/summary").text
