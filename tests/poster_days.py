"""A programme with two network groups and a day whose only item is a purpose poster,
made over HTTP on a real server (the poster's integration and browser tests share it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx2

from tests.browser.conftest import LiveServer
from tests.live_helpers import LiveSession, csrf_of

ROOT = Path(__file__).resolve().parents[1]
PREAMBLE = "Vår ledergruppe skal skape MERVERDI for organisasjonen ved å:"
AGENDA = f"""samling_agenda = 1

[[item]]
title = "Formålsplakaten"
duration = 45
kind = "exercise"
exercise = "poster"

[item.settings]
heading = "Formålsplakaten"
preamble = "{PREAMBLE}"
guidance = "Hvert ord skal bety noe."
dots = 3
"""
GROUPS = {"Blåveis": ["Ada Blå", "Bo Blå"], "Fjellreven": ["Cy Fjell", "Di Fjell"]}


@dataclass
class Day:
    programme: int
    live: LiveSession
    groups: dict[str, int]

    @property
    def item(self) -> int:
        return self.live.item_ids[0]


def post(fac: httpx2.Client, path: str, **data: str) -> httpx2.Response:
    return fac.post(path, data={"csrf_token": csrf_of(fac), **data})


def programme(fac: httpx2.Client) -> tuple[int, dict[str, int]]:
    made = post(fac, "/programmes", title="Lederprogram")
    programme = int(made.headers["location"].rsplit("/", 1)[1])
    for name, members in GROUPS.items():
        done = post(fac, f"/programmes/{programme}/groups", name=name, members="\n".join(members))
        assert done.status_code == 303, done.text
    page = fac.get(f"/programmes/{programme}").text
    ids = [int(i) for i in re.findall(r'id="group-(\d+)"', page)]
    return programme, dict(zip(GROUPS, ids, strict=True))


def day(
    server: LiveServer, fac: httpx2.Client, programme: int, groups: dict[str, int], title: str
) -> Day:
    made = post(fac, f"/programmes/{programme}/sessions", title=title)
    session = int(made.headers["location"].rsplit("/", 1)[1])
    server.import_agenda(session, AGENDA)
    assert post(fac, f"/sessions/{session}/live/start").status_code in (204, 303)
    control = fac.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    assert code
    items = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control)]
    return Day(programme, LiveSession(session, code[1] + code[2], items), groups)
