"""Error pages and refusals, rendered in the visitor's language."""

from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from workshop.i18n import Message
from workshop.services import services

_TITLES = {
    400: Message("Something was wrong with the request."),
    403: Message("You do not have access to this page."),
    404: Message("Page not found."),
    405: Message("That does not work here."),
    413: Message("That was too large."),
    500: Message("Something went wrong on the server."),
}


def error_page(request: Request, status: int, detail: Message | None = None) -> Response:
    templates = services(request).templates
    return templates.page(
        request,
        "workshop/error.html",
        {"status": status, "title": _TITLES.get(status, _TITLES[400]), "detail": detail},
        status_code=status,
    )


async def http_exception(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return error_page(request, status)


async def refuse(request: Request, why: str) -> Response:
    """Answer a facilitator request that lacks a login ("login") or a CSRF token ("csrf")."""
    if why == "login":
        target = "/login?next=" + quote(request.url.path, safe="/")
        if request.headers.get("hx-request"):
            # htmx follows HX-Redirect with a full page load.
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    return error_page(
        request,
        403,
        Message("The form had expired or came from elsewhere. Reload the page and try again."),
    )


def not_found() -> HTTPException:
    return HTTPException(404)
