"""A kind's files of an agenda item (a PDF, an SVG...), for the programme's facilitators.

The route checks who asks and that the item's kind makes a file of that name; the export
worker (``Services.exports``) reads what it is made of and renders it.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from facilitator.export.files import FileJob, NoSuchFile, facilitator_file, file_of
from facilitator.web import int_param, session_or_404, store
from workshop.auth import requires_login
from workshop.i18n import current_language
from workshop.services import services


def _download_name(name: str) -> str:
    """The kind's file name as a header may carry it (ASCII letters, digits, . _ -)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "file"


@requires_login
async def item_file(request: Request) -> Response:
    """One of the files an item's kind makes for the facilitator (a PDF, an SVG...)."""
    session, _programme = await session_or_404(request)
    item = await store(request).agenda.item(session.id, int_param(request, "item_id"))
    name = str(request.path_params.get("name", ""))
    app = services(request)
    found = file_of(app.kinds, item.exercise_kind, name) if item is not None else None
    if item is None or found is None:
        raise HTTPException(404)
    job = FileJob(
        app.settings.db_path, app.settings.plugins, current_language(), session.id, item.id, name
    )
    try:
        data = await app.exports.run(facilitator_file, job)
    except NoSuchFile as exc:  # the item went while the worker read it
        raise HTTPException(404) from exc
    disposition = "attachment" if found.attachment else "inline"
    return Response(
        data,
        media_type=found.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{_download_name(found.filename)}"'
        },
    )
