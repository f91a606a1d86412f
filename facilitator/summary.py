"""The summary of a session or a programme: a page with its preview, and its downloads.

The record is read from the store here; drawing its charts and writing each format is CPU
work, done in the app's export worker process (``Services.exports``), never on the event
loop and never in the process that lays out a live session's word cloud.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from facilitator.export import FORMATS, filename, render
from facilitator.export.build import programme_record, session_record
from facilitator.export.html import preview
from facilitator.export.pdf import PdfUnavailable
from facilitator.export.record import Record
from facilitator.web import programme_or_404, session_or_404
from facilitator.web import render as render_page
from workshop.auth import requires_login
from workshop.i18n import current_language
from workshop.services import services

PAGE = "facilitator/summary.html"


def _format(request: Request) -> str:
    fmt = str(request.path_params.get("fmt", ""))
    if fmt not in FORMATS:
        raise HTTPException(404)
    return fmt


async def _download(request: Request, record: Record, context: dict[str, object]) -> Response:
    fmt = _format(request)
    try:
        data = await services(request).exports.run(render, record, fmt)
    except PdfUnavailable as exc:
        ctx = {**context, "record": record, "formats": FORMATS.values(), "problem": str(exc)}
        ctx["preview"] = ""
        return render_page(request, PAGE, ctx, status_code=503)
    name = filename(record, fmt)
    return Response(
        data,
        media_type=FORMATS[fmt].media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _page(request: Request, record: Record, context: dict[str, object]) -> Response:
    shown = await services(request).exports.run(preview, record)
    ctx = {**context, "record": record, "formats": FORMATS.values(), "preview": shown}
    ctx["problem"] = ""
    return render_page(request, PAGE, ctx)


async def _session(request: Request) -> tuple[Record, dict[str, object]]:
    session, programme = await session_or_404(request)
    svc = services(request)
    record = await session_record(svc.store, svc.kinds, session.id, current_language())
    base = f"/sessions/{session.id}/summary"
    return record, {"session": session, "programme": programme, "base": base}


async def _programme(request: Request) -> tuple[Record, dict[str, object]]:
    programme = await programme_or_404(request)
    svc = services(request)
    record = await programme_record(svc.store, svc.kinds, programme.id, current_language())
    base = f"/programmes/{programme.id}/summary"
    return record, {"session": None, "programme": programme, "base": base}


@requires_login
async def session_summary(request: Request) -> Response:
    """The session's summary: a preview of the record, and a download per format."""
    record, context = await _session(request)
    return await _page(request, record, context)


@requires_login
async def session_download(request: Request) -> Response:
    """The session's record in one format, as a file."""
    _format(request)
    record, context = await _session(request)
    return await _download(request, record, context)


@requires_login
async def programme_summary(request: Request) -> Response:
    """The programme's summary: every session in order, and what runs across them."""
    record, context = await _programme(request)
    return await _page(request, record, context)


@requires_login
async def programme_download(request: Request) -> Response:
    """The programme's record in one format, as a file."""
    _format(request)
    record, context = await _programme(request)
    return await _download(request, record, context)
