"""The summary of a big day, per format: 1,000 phones and 20 items of every kind.

A day is seeded straight into the store (every phone answers every exercise; clouds of
three phrases a phone, ratings, votes, points, Q&A with votes, six groups' points, an
evaluation and private reflections); then, against the real server (``run.py serve``):

* each format is downloaded as the facilitator downloads it (the record read from the
  store, written in the export worker process, sent): seconds per format, and its size;
* meanwhile a phone asks for its page every 20 ms: its latency during the export
  against the same phone's latency with nothing running shows the event loop stays free.

    python bench/export.py [--phones 1000] [--rounds 2]      (or: make bench-export)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    PASSWORD,
    Facilitator,
    app_server,
    free_port,
    http,
    pct,
)

FORMATS = ("html", "pdf", "docx", "xlsx", "csv")
GROUPS = ["Blåveis", "Fjellreven", "Gaukene", "Stjerneteamet", "Lauvsprett", "Nordavind"]
WORDS = [
    "tillit", "samarbeid", "nærvær", "mot", "ærlighet", "på tvers", "innbyggeren i sentrum",
    "læring", "tydelighet", "helhet", "glede", "ansvar", "rom for uenighet", "økonomi",
    "kompetanse", "digitalisering", "stolthet", "åpenhet", "medvirkning", "bærekraft",
]  # fmt: skip
TEXTS = [
    "Bedre samarbeid på tvers av sektorene, og at vi faktisk snakker sammen før vi bestemmer",
    "At innbyggerne opplever at kommunen henger sammen",
    "Mer tid til de ansatte, færre møter som ikke fører noe sted",
    "Mot til å prioritere det viktigste også når det er krevende",
    "En felles forståelse av hva «vi skaper sammen» betyr for hver enhet",
]
STATEMENTS = [f"Påstand {n}: jeg gjør dette godt i hverdagen som leder" for n in range(1, 9)]
OPTIONS = [f"Alternativ {n}" for n in range(1, 9)]


def _agenda() -> str:
    """20 items: every kind, open text and the cloud more than once (as a real day)."""

    def item(title: str, kind: str, settings: str) -> str:
        return (
            f'\n[[item]]\ntitle = "{title}"\nduration = 10\nkind = "exercise"\n'
            f'exercise = "{kind}"\n\n[item.settings]\n{settings}\n'
        )

    def listed(values: list[str]) -> str:
        return "[" + ", ".join(f'"{v}"' for v in values) + "]"

    text = 'question = "Hva tar du med deg?"\nanswers_per_phone = 3\nmax_length = 200'
    cloud = 'question = "Ett ord om dagen"\nentries_per_phone = 3\nmax_length = 25'
    parts = ["samling_agenda = 1\n"]
    for n in range(7):
        parts.append(item(f"Åpent spørsmål {n + 1}", "open_text", text))
    for n in range(3):
        parts.append(item(f"Ordsky {n + 1}", "word_cloud", cloud))
    for n in range(2):
        parts.append(
            item(
                f"Valg {n + 1}",
                "choice",
                f'question = "Hva velger du?"\noptions = {listed(OPTIONS)}',
            )
        )
    parts.append(
        item(
            "Kompetansehjulet",
            "scale",
            f'question = "Vurder deg selv"\nstatements = {listed(STATEMENTS)}\nchart = "radar"',
        )
    )
    parts.append(
        item("Stolper", "scale", f'question = "Vurder"\nstatements = {listed(STATEMENTS)}')
    )
    for n in range(2):
        parts.append(
            item(
                f"Poeng {n + 1}",
                "points",
                f'question = "Fordel 100 poeng"\noptions = {listed(OPTIONS)}',
            )
        )
    parts.append(item("Spørsmål til ledelsen", "qa", 'question = "Still et spørsmål"'))
    work = (
        'task = "Hva betyr samskaping for oss?"\n'
        '[[item.settings.phases]]\nname = "Gruppe"\nminutes = 15\nmode = "group"\n'
        '[[item.settings.phases]]\nname = "Plenum"\nminutes = 10\nmode = "plenary"'
    )
    parts.append(item("Samskaping", "group_work", work))
    asked = listed(["Hva skal prege mitt lederskap?", "Hva er mitt første skritt?"])
    parts.append(item("Refleksjon", "reflection", f"questions = {asked}"))
    evaluation = (
        'question = "Alt i alt, hvordan var dagen?"\nlow_label = "Dårlig"\n'
        'high_label = "Svært bra"\ngood_question = "Hva var bra, og hvorfor?"\n'
        'better_question = "Hva kunne vært bedre, og hvordan?"'
    )
    parts.append(item("Evaluering", "evaluation", evaluation))
    return "".join(parts)  # 7 + 3 + 2 + 2 + 2 + 1 + 1 + 1 + 1 = 20 items


async def seed(db: Path, phones: int) -> tuple[int, str]:
    """The day in the store: its session id and the join code of the live session."""
    from workshop import agenda_toml, auth
    from workshop.app import kind_registry
    from workshop.settings import Settings
    from workshop.store import Store

    store = Store(db)
    await store.open()
    try:
        owner = await store.accounts.create(
            "bench", "Bench", await auth.hash_password(PASSWORD), "nb"
        )
        programme = await store.programmes.create(
            owner.id, "Lederprogram 2027", "Fjellbygd kommune"
        )
        groups = [await store.groups.create(programme.id, name) for name in GROUPS]
        session = await store.programmes.create_session(
            programme.id, "Første samling", None, "Salen"
        )
        items = agenda_toml.load(_agenda(), kind_registry(Settings().plugins))
        await store.agenda.replace(session.id, items)
        people = [
            await store.groups.join(session.id, f"Deltaker {n + 1}", groups[n % len(groups)].id)
            for n in range(phones)
        ]
        started = await store.live.start(session.id)
        agenda = await store.agenda.items(session.id)
        keys = itertools.count()
        async with store.transaction() as tx:

            async def answer(
                item: int, n: int, value: dict[str, object], group: int | None = None
            ) -> int:
                record = await store.responses.insert(
                    tx, session_id=session.id, item_id=item, participant_id=people[n].id,
                    idem_key=f"bench-{next(keys)}", value=value, limit=1000, group_id=group,
                )  # fmt: skip
                assert record is not None
                return record.id

            for item in agenda:
                await store.live.go_to(tx, session.id, item.id)
                kind = item.exercise_kind
                for n in range(phones):
                    if kind == "open_text":
                        await answer(
                            item.id, n, {"text": TEXTS[(n + item.id) % len(TEXTS)] + f" ({n})"}
                        )
                    elif kind == "word_cloud":
                        for k in range(3):
                            await answer(
                                item.id, n, {"text": WORDS[(n * 7 + k * 3 + item.id) % len(WORDS)]}
                            )
                    elif kind == "choice":
                        await answer(item.id, n, {"choices": [(n * 3) % len(OPTIONS)]})
                    elif kind == "scale":
                        ratings = [1 + (n + s) % 5 for s in range(len(STATEMENTS))]
                        await answer(item.id, n, {"ratings": ratings})
                    elif kind == "points":
                        points = [0] * len(OPTIONS)
                        points[n % len(OPTIONS)], points[(n * 5 + 1) % len(OPTIONS)] = 70, 30
                        await answer(item.id, n, {"points": points})
                    elif kind == "qa" and n % 5 == 0:
                        rid = await answer(
                            item.id, n, {"text": f"Spørsmål {n}: hvordan går vi videre?"}
                        )
                        for voter in range(n % 7):
                            await store.responses.set_vote(
                                tx, item.id, rid, people[(n + voter + 1) % phones].id, True
                            )
                    elif kind == "group_work" and n < len(groups) * 12:
                        group = groups[n % len(groups)]
                        await answer(item.id, n, {"text": TEXTS[n % len(TEXTS)]}, group.id)
                    elif kind == "reflection":
                        await answer(item.id, n, {"answers": ["Privat tanke", ""]})
                    elif kind == "evaluation":
                        await answer(item.id, n, {"part": "rating", "ratings": [1 + n % 5]})
                        await answer(item.id, n, {"part": "good", "text": TEXTS[n % len(TEXTS)]})
                        await answer(
                            item.id, n, {"part": "better", "text": TEXTS[(n + 2) % len(TEXTS)]}
                        )
        async with store.transaction() as tx:
            await store.live.close(tx, session.id)
        assert started.join_code is not None
        return session.id, started.join_code
    finally:
        await store.close()


async def _phone_page_latencies(port: int, stop: asyncio.Event) -> list[float]:
    """A request every 20 ms (the join page: the loop's work, no export), until stopped."""
    found: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        status, _body = await http("GET", port, "/")
        assert status == 200
        found.append(time.perf_counter() - started)
        try:
            await asyncio.wait_for(stop.wait(), 0.02)
        except TimeoutError:
            pass
    return found


async def run(phones: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="samling-bench-export-") as folder:
        db = Path(folder) / "samling.db"
        began = time.perf_counter()
        session, _code = await seed(db, phones)
        print(f"seeded {phones} phones × 20 items in {time.perf_counter() - began:.1f} s")
        port = free_port()
        server = app_server(db, port, None, probe=False)
        server.start()
        facilitator = Facilitator(server.url, session)
        try:
            await facilitator.login()
            stop = asyncio.Event()
            idle = asyncio.create_task(_phone_page_latencies(port, stop))
            await asyncio.sleep(3)
            stop.set()
            quiet = await idle
            print(f"a phone's page with no export: p50 {pct(quiet, 50) * 1000:.1f} ms, "
                  f"p99 {pct(quiet, 99) * 1000:.1f} ms ({len(quiet)} requests)")  # fmt: skip
            print(f"{'format':<6} {'seconds (each round)':<26} {'size':>10}   phone page p99 / max")
            for fmt in FORMATS:
                seconds: list[float] = []
                during: list[float] = []
                size = 0
                for _ in range(rounds):
                    stop = asyncio.Event()
                    probe = asyncio.create_task(_phone_page_latencies(port, stop))
                    started = time.perf_counter()
                    answer = await facilitator.client.get(f"/sessions/{session}/summary.{fmt}")
                    seconds.append(time.perf_counter() - started)
                    stop.set()
                    during += await probe
                    assert answer.status_code == 200, (fmt, answer.status_code, answer.text[:300])
                    size = len(answer.content)
                shown = ", ".join(f"{s:.2f}" for s in seconds)
                print(f"{fmt:<6} {shown:<26} {size / 1024:>8.0f} KiB   "
                      f"{pct(during, 99) * 1000:.0f} ms / {max(during) * 1000:.0f} ms")  # fmt: skip
            page_started = time.perf_counter()
            page = await facilitator.client.get(f"/sessions/{session}/summary")
            assert page.status_code == 200
            took = time.perf_counter() - page_started
            print(f"summary page (preview): {took:.2f} s, {len(page.content) / 1024:.0f} KiB")
            print("target: each format under 10 s")
        finally:
            await facilitator.close()
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(run(args.phones, args.rounds))


if __name__ == "__main__":
    main()
