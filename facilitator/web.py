"""Small helpers the facilitator views share: rendering, redirects, access checks."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from workshop.auth import login_of
from workshop.models import Programme, Session
from workshop.services import services
from workshop.store import Store


def store(request: Request) -> Store:
    return services(request).store


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    response: HTMLResponse = services(request).templates.page(
        request, template, context or {}, block=block, status_code=status_code
    )
    return response


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def int_param(request: Request, name: str) -> int:
    try:
        return int(request.path_params[name])
    except (KeyError, ValueError) as exc:
        raise HTTPException(404) from exc


async def programme_or_404(request: Request) -> Programme:
    """The programme in the path, if the logged-in facilitator may see it."""
    found = await store(request).programmes.get(
        login_of(request).facilitator.id, int_param(request, "programme_id")
    )
    if found is None:
        raise HTTPException(404)
    return found


async def session_or_404(request: Request) -> tuple[Session, Programme]:
    """The session in the path and its programme, if the facilitator may see them."""
    found = await store(request).programmes.session(
        login_of(request).facilitator.id, int_param(request, "session_id")
    )
    if found is None:
        raise HTTPException(404)
    return found


def owner_only(programme: Programme) -> None:
    if programme.role != "owner":
        raise HTTPException(403)
