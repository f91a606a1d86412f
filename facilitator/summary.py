"""The summary of a session or a programme: a page with its preview, and its downloads.

The route checks who asks and what for; the export worker (``Services.exports``) reads the
record from the database and writes it, so the event loop only waits for the bytes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from facilitator.export import FORMATS, Job, export, pdf_join, pdf_part, preview_of
from facilitator.export.pdf import PdfUnavailable
from facilitator.web import programme_or_404, session_or_404, store
from facilitator.web import render as render_page
from workshop.auth import requires_login
from workshop.i18n import current_language
from workshop.kinds import kept_private, serves_facilitator_files
from workshop.models import AgendaItem
from workshop.services import services

PAGE = "facilitator/summary.html"


@dataclass(frozen=True)
class FileLink:
    """A link to one of an item's files for the facilitator."""

    url: str
    #: What the link says, in English (shown through gettext); blank: ``name``.
    label: str
    name: str


def _format(request: Request) -> str:
    fmt = str(request.path_params.get("fmt", ""))
    if fmt not in FORMATS:
        raise HTTPException(404)
    return fmt


def _job(
    request: Request, *, session_id: int | None = None, programme_id: int | None = None
) -> Job:
    settings = services(request).settings
    return Job(settings.db_path, settings.plugins, current_language(), session_id, programme_id)


async def _session(request: Request) -> tuple[Job, dict[str, object]]:
    session, programme = await session_or_404(request)
    base = f"/sessions/{session.id}/summary"
    context: dict[str, object] = {"session": session, "programme": programme, "base": base}
    context["title"] = session.title
    context["files"] = await _files(request, session.id)
    return _job(request, session_id=session.id), context


async def _files(request: Request, session_id: int) -> list[tuple[AgendaItem, list[FileLink]]]:
    """The session's items whose kind makes files for the facilitator,
    with their links."""
    kinds = services(request).kinds
    found = []
    for item in await store(request).agenda.items(session_id):
        kind = kinds.get(item.exercise_kind or "")
        if kind is None or item.kind != "exercise" or kept_private(kind):
            continue
        if serves_facilitator_files(kind):
            links = [
                FileLink(f"/sessions/{session_id}/items/{item.id}/files/{name}", made.label, name)
                for name, made in kind.facilitator_files().items()
            ]
            found.append((item, links))
    return found


async def _programme(request: Request) -> tuple[Job, dict[str, object]]:
    programme = await programme_or_404(request)
    base = f"/programmes/{programme.id}/summary"
    context: dict[str, object] = {"session": None, "programme": programme, "base": base}
    context["files"] = []
    context["title"] = programme.title
    return _job(request, programme_id=programme.id), context


async def _page(request: Request, job: Job, context: dict[str, object]) -> Response:
    title, shown = await services(request).exports.run(preview_of, job)
    ctx = {**context, "title": title, "formats": FORMATS.values(), "preview": shown, "problem": ""}
    return render_page(request, PAGE, ctx)


async def _pdf(request: Request, job: Job) -> tuple[str, bytes]:
    """The PDF printed in two halves at once by the two export workers, then joined."""
    exports = services(request).exports
    halves = await asyncio.gather(*(exports.run(pdf_part, job, i) for i in range(2)))
    parts = [data for _name, data in halves if data is not None]
    return halves[0][0], await exports.run(pdf_join, parts, job.language)


async def _download(request: Request, job: Job, context: dict[str, object]) -> Response:
    fmt = _format(request)
    try:
        if fmt == "pdf":
            name, data = await _pdf(request, job)
        else:
            name, data = await services(request).exports.run(export, job, fmt)
    except PdfUnavailable as exc:
        ctx = {**context, "formats": FORMATS.values(), "preview": "", "problem": str(exc)}
        return render_page(request, PAGE, ctx, status_code=503)
    return Response(
        data,
        media_type=FORMATS[fmt].media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@requires_login
async def session_summary(request: Request) -> Response:
    """The session's summary: a preview of the record, and a download per format."""
    job, context = await _session(request)
    return await _page(request, job, context)


@requires_login
async def session_download(request: Request) -> Response:
    """The session's record in one format, as a file."""
    _format(request)
    job, context = await _session(request)
    return await _download(request, job, context)


@requires_login
async def programme_summary(request: Request) -> Response:
    """The programme's summary: every session in order, and what runs across them."""
    job, context = await _programme(request)
    return await _page(request, job, context)


@requires_login
async def programme_download(request: Request) -> Response:
    """The programme's record in one format, as a file."""
    _format(request)
    job, context = await _programme(request)
    return await _download(request, job, context)
