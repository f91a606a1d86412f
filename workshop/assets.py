"""What the exercise kinds bring besides their code: CSS, JavaScript and static files.

Every kind's ``<name>.css`` and ``<name>.js`` are joined into one stylesheet
(``/kinds.css``) and one script (``/kinds.js``), in the order the kinds were
registered: one request each, however many kinds there are, for a phone on
bad 4G. A kind's other files are served at ``/kinds/<name>/<file>``: those of
its folder's ``static/``, and those it names itself (``ServesFiles``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from workshop.kinds import KindRegistry, ServesFiles


def _bundle(text: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    body = text.encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    async def bundle(request: Request) -> Response:
        """Every kind's file of this type, joined (revalidated by its ETag)."""
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=media_type, headers=headers)

    return bundle


def _joined(kinds: KindRegistry, suffix: str, comment: str) -> str:
    parts = []
    for kind in kinds:
        file = kind.folder / f"{kind.name}{suffix}"
        if file.is_file():
            parts.append(comment.format(kind.name) + "\n" + file.read_text(encoding="utf-8"))
    return "\n".join(parts)


def files_of(kinds: KindRegistry) -> dict[tuple[str, str], Path]:
    """Every kind's static files: (kind, file name) → the file."""
    found: dict[tuple[str, str], Path] = {}
    for kind in kinds:
        static = kind.folder / "static"
        if static.is_dir():
            for file in static.iterdir():
                if file.is_file():
                    found[(kind.name, file.name)] = file
        if isinstance(kind, ServesFiles):
            for name, file in kind.static_files().items():
                found[(kind.name, name)] = file
    return found


def routes(kinds: KindRegistry) -> list[BaseRoute]:
    """The routes serving the kinds' CSS, JS and static files."""
    files = files_of(kinds)

    async def kind_file(request: Request) -> Response:
        """One of a kind's static files (only those it names: no other path is served)."""
        file = files.get((request.path_params["kind"], request.path_params["file"]))
        if file is None or not file.is_file():
            return PlainTextResponse("Not found", status_code=404)
        return FileResponse(file, headers={"Cache-Control": "public, max-age=86400"})

    css = _bundle(_joined(kinds, ".css", "/* {} */"), "text/css")
    js = _bundle(_joined(kinds, ".js", "// {}"), "text/javascript")
    return [
        Route("/kinds.css", css, methods=["GET"]),
        Route("/kinds.js", js, methods=["GET"]),
        Route("/kinds/{kind}/{file}", kind_file, methods=["GET"]),
    ]
