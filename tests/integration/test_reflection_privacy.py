"""A private reflection never reaches the facilitator: not a page, not a push, not an export,
not a line of the server's log. Searched for a unique marker, on a real server.

Beside it, an open-text answer with a marker of its own is found in the same places (the
control panel, its pushes, the exports): the searches below can find what is there.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from starlette.routing import Route

from tests.browser.conftest import LiveServer
from tests.conftest import _with_store, run
from tests.integration.db import one, rows
from tests.live_helpers import (
    HTMX,
    Listener,
    PhoneClient,
    cookie_header,
    csrf_of,
    facilitator_client,
    join,
)
from workshop.app import create_app, kind_registry
from workshop.kinds import serves_facilitator_files
from workshop.settings import Settings

SECRET = "Zqx" + uuid.uuid4().hex[:12]  # in every reflection, never in the facilitator's view
EDITED = "Wvk" + uuid.uuid4().hex[:12]  # the reflection as edited
SHOWN = "Pmb" + uuid.uuid4().hex[:12]  # an open-text answer: the room may see it

AGENDA = """samling_agenda = 1

[[item]]
title = "Welcome"
duration = 5
kind = "talk"

[[item]]
title = "My action learning"
duration = 20
kind = "exercise"
exercise = "reflection"

[item.settings]
questions = ["What should characterise my leadership?", "My first action?", "When?"]

[[item]]
title = "Comments"
duration = 5
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "Comments on the day?"
answers_per_phone = 2
max_length = 300
"""
EXPORT_FORMATS = ("html", "pdf", "docx", "xlsx", "csv")
#: Every file a kind makes of an item for the facilitator (a final poster...).
ITEM_FILES = tuple(
    sorted(
        {
            name
            for kind in kind_registry(Settings().plugins)
            if serves_facilitator_files(kind)
            for name in kind.facilitator_files()
        }
    )
) or ("none.txt",)
#: Values to try for a path parameter of a facilitator's GET route other than the ids.
OTHERS: dict[str, tuple[str, ...]] = {
    "format": EXPORT_FORMATS,
    "fmt": EXPORT_FORMATS,
    "name": ITEM_FILES,
}


def _get_routes() -> list[str]:
    """Every GET route of a facilitator (the phones', the login's and the kinds' files
    aside), from the app's own route table: a new page is searched without being named."""
    app = create_app(Settings(db_path=Path("unused.db")))
    found = []
    for route in app.routes:
        if not isinstance(route, Route) or "GET" not in (route.methods or ()):
            continue
        if route.path in ("/", "/login") or route.path.startswith(("/s/", "/j/", "/kinds")):
            continue
        found.append(route.path)
    return found


def _paths(template: str, ids: dict[str, list[str]]) -> Iterator[str]:
    """The template with every combination of values for its parameters."""
    names = re.findall(r"\{(\w+)(?::\w+)?\}", template)
    if not names:
        yield template
        return
    name = names[0]
    values = ids.get(name) or list(OTHERS.get(name, ()))
    if not values:
        pytest.fail(f"the privacy walk does not know what to put in {{{name}}} of {template}")
    for value in values:
        filled = re.sub(r"\{" + name + r"(?::\w+)?\}", value, template, count=1)
        yield from _paths(filled, ids)


def readable(body: bytes) -> str:
    """What a response or a file says: a zip's members (DOCX, XLSX, the CSVs), a PDF's
    text, or the text itself."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()
            )
    if body.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", "ignore")


def _walk(fac: httpx2.Client, ids: dict[str, list[str]]) -> dict[str, str]:
    """Every facilitator GET page of the session and programme: path → what it says."""
    seen = {}
    for template in _get_routes():
        for path in _paths(template, ids):
            response = fac.get(path, follow_redirects=True)
            assert response.status_code < 500, (path, response.status_code)
            seen[path] = readable(response.content)
    return seen


def _write(phone: PhoneClient, item: int, *answers: str, key: str) -> httpx2.Response:
    fields = {f"answer-{n}": text for n, text in enumerate(answers, 1)}
    done = phone.do(item, "save", {**fields, "idem_key": key})
    assert done.status_code == 200, done.text
    return done


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("private") / "samling.db").start()
    try:
        yield live
    finally:
        live.stop()


def test_a_reflection_never_reaches_the_facilitator(server: LiveServer) -> None:
    fac = facilitator_client(server, "keeper", "correct horse battery")
    csrf = csrf_of(fac)
    made = fac.post("/programmes", data={"title": "Leaders", "csrf_token": csrf})
    programme = int(made.headers["location"].rsplit("/", 1)[1])
    made = fac.post(f"/programmes/{programme}/sessions", data={"title": "S1", "csrf_token": csrf})
    session = int(made.headers["location"].rsplit("/", 1)[1])
    server.import_agenda(session, AGENDA)
    assert fac.post(f"/sessions/{session}/live/start", data={"csrf_token": csrf}).status_code in (
        204,
        303,
    )
    code = str(one(server.db_path, "SELECT join_code FROM sessions WHERE id = ?", session))
    items = [
        str(r[0])
        for r in rows(
            server.db_path,
            "SELECT id FROM agenda_items WHERE session_id = ? ORDER BY position",
            session,
        )
    ]
    welcome, reflection, comments = (int(i) for i in items)
    phones = [join(server, code, "Kari"), join(server, code)]

    async def live_part() -> list[Listener]:
        control = await Listener.open(
            server, f"/sessions/{session}/ws?view=control", cookie_header(fac)
        )
        present = await Listener.open(
            server, f"/sessions/{session}/ws?view=present", cookie_header(fac)
        )
        await control.wait_for("control")
        step = await asyncio.to_thread(
            fac.post,
            f"/sessions/{session}/live/step",
            data={"by": "1", "csrf_token": csrf},
            headers=HTMX,
        )
        assert step.status_code == 204
        await control.wait_for("My action learning")
        for n, phone in enumerate(phones):
            await asyncio.to_thread(
                _write,
                phone,
                reflection,
                f"{SECRET} leadership",
                f"{SECRET} {n}",
                "",
                key=f"reflect-{n:08d}",
            )
        await asyncio.to_thread(
            _write,
            phones[0],
            reflection,
            f"{EDITED} trust",
            f"{SECRET} 0",
            "Mondays",
            key="reflect-edit-01",
        )
        # The screens hear that two phones have written, and nothing of what.
        await control.wait_for("2 phones have written")
        await present.wait_for("2 phones have written")
        step = await asyncio.to_thread(
            fac.post,
            f"/sessions/{session}/live/step",
            data={"by": "1", "csrf_token": csrf},
            headers=HTMX,
        )
        assert step.status_code == 204
        await control.wait_for("Comments on the day?")
        sent = await asyncio.to_thread(
            phones[1].do, comments, "answer", {"text": SHOWN, "idem_key": "shown-000001"}
        )
        assert sent.status_code == 200, sent.text
        await control.wait_for(SHOWN)
        await present.wait_for(SHOWN)
        return [control, present]

    async def scenario() -> list[str]:
        listeners = await live_part()
        for listener in listeners:
            await listener.close()
        return [m for listener in listeners for m in listener.messages]

    pushed = asyncio.run(scenario())
    assert any(SHOWN in m for m in pushed)
    for message in pushed:
        assert SECRET not in message and EDITED not in message

    # Only the phone that wrote reads it back.
    mine = phones[0].client.get(f"/s/{code}/items/{reflection}/mine/reflections.txt").text
    assert EDITED in mine and f"{SECRET} 0" in mine and f"{SECRET} 1" not in mine

    ids = {
        "programme_id": [str(programme)],
        "session_id": [str(session)],
        "item_id": [str(i) for i in (welcome, reflection, comments)],
    }
    live_pages = _walk(fac, ids)
    assert any(SHOWN in text for text in live_pages.values()), "the walk finds the shown answer"
    # Back on the reflection item: its pages as the facilitator sees them then.
    back = fac.post(
        f"/sessions/{session}/live/go",
        data={"item_id": str(reflection), "csrf_token": csrf},
        headers=HTMX,
    )
    assert back.status_code == 204
    on_it = _walk(fac, ids)
    assert any("2 phones have written" in text for text in on_it.values())
    live_pages.update({f"{path} (on the reflection)": text for path, text in on_it.items()})
    closed = fac.post(f"/sessions/{session}/live/close", data={"csrf_token": csrf})
    assert closed.status_code in (204, 303)
    closed_pages = _walk(fac, ids)
    for path, text in {**live_pages, **closed_pages}.items():
        assert SECRET not in text and EDITED not in text, path

    _exports_hold_no_reflection(server.db_path, session, programme)

    server.stop()  # the whole log, flushed
    log = "".join(server.log)
    assert "Uvicorn running" in log
    assert SECRET not in log and EDITED not in log


def _exports_hold_no_reflection(db_path: Path, session: int, programme: int) -> None:
    """The record of the day and every format of it (those that exist yet) hold the shown
    answer and none of the reflections."""
    try:
        build = importlib.import_module("facilitator.export.build")
    except ModuleNotFoundError:
        return
    kinds = kind_registry(("exercises",))

    async def records(store):  # type: ignore[no-untyped-def]
        made = [await build.session_record(store, kinds, session, "en")]
        if hasattr(build, "programme_record"):
            made.append(await build.programme_record(store, kinds, programme, "en"))
        return made

    made = run(_with_store(db_path, records))
    for record in made:
        text = repr(record)
        assert SHOWN in text
        assert SECRET not in text and EDITED not in text
    folder = Path(build.__file__).parent
    rendered = 0
    for path in sorted(folder.glob("*.py")):
        module = importlib.import_module(f"facilitator.export.{path.stem}")
        render = getattr(module, "render", None)
        if path.stem.startswith("_") or path.stem in ("build", "record") or not callable(render):
            continue
        for record in made:
            try:
                body = render(record)
            except Exception as exc:  # a format that cannot run here (PDF without Pango)
                if type(exc).__name__.endswith("Unavailable"):
                    continue
                raise
            said = readable(body)
            assert SHOWN in said, path.stem  # the search reads this format
            assert SECRET not in said and EDITED not in said, path.stem
            rendered += 1
    assert rendered or not any(folder.glob("html.py"))
