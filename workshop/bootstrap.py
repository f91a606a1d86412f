"""First start: a facilitator login and a demo programme to look at."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from workshop import agenda_toml, auth, blocklist
from workshop.kinds import KindRegistry
from workshop.settings import ROOT
from workshop.store import Store

DEMO_AGENDA = ROOT / "examples" / "agenda-samling-1.toml"
#: The demo programme's network groups (invented names).
DEMO_GROUPS = (
    ("Blåveis", ("Kari Nordmann", "Ola Berg", "Ingrid Haugen", "Per Lia", "Siri Dal")),
    ("Fjellreven", ("Anne Moe", "Jon Bakke", "Liv Strand", "Knut Vik", "Eva Li")),
    ("Løvetann", ("Tone Aas", "Geir Holm", "Marit Ruud", "Arne Sæter", "Hilde Foss")),
)
FIRST_USERNAME = "admin"


@dataclass(frozen=True)
class FirstLogin:
    username: str
    password: str


async def first_start(store: Store, kinds: KindRegistry) -> FirstLogin | None:
    """On an empty database, create a facilitator and a demo programme; else do nothing."""
    if await store.accounts.count() > 0:
        return None
    password = secrets.token_urlsafe(12)
    facilitator = await store.accounts.create(
        FIRST_USERNAME, "Administrator", await auth.hash_password(password), "nb"
    )
    programme = await store.programmes.create(
        facilitator.id,
        "Lederutviklingsprogram 2027 (demo)",
        "Fjellbygd kommune",
        blocklist.starter("nb", "en"),
    )
    session = await store.programmes.create_session(
        programme.id, "Samling 1", dt.date.today() + dt.timedelta(days=14), "Kommunestyresalen"
    )
    for name, members in DEMO_GROUPS:
        await store.groups.create(programme.id, name, members)
    items = agenda_toml.load(DEMO_AGENDA.read_text(encoding="utf-8"), kinds)
    await store.agenda.replace(session.id, items)
    return FirstLogin(FIRST_USERNAME, password)
