"""Logging in and out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from facilitator.web import field, redirect, render, store
from workshop import auth
from workshop.errors import refuse
from workshop.i18n import LANGUAGE_COOKIE, LANGUAGES, Message, set_language
from workshop.services import services


def _safe_next(target: str) -> str:
    # Only a path on this site: "//host" or "/\host" would leave it.
    if target.startswith("/") and not target.startswith(("//", "/\\")) and len(target) < 500:
        return target
    return "/programmes"


def _login_page(
    request: Request,
    next_url: str,
    username: str = "",
    error: Message | None = None,
    status_code: int = 200,
) -> Response:
    token, is_new = auth.anon_csrf(request)
    request.state.anon_csrf = token
    response = render(
        request,
        "facilitator/login.html",
        {"next": next_url, "username": username, "error": error},
        status_code=status_code,
    )
    if is_new:
        auth.set_cookie(response, request, auth.ANON_CSRF_COOKIE, token, 12 * 3600)
    return response


async def login_form(request: Request) -> Response:
    """The login page (``?lang=en`` switches its language)."""
    language = request.query_params.get("lang", "")
    if language in LANGUAGES:
        set_language(language)
    if await auth.current_login(request) is not None:
        return redirect("/programmes")
    response = _login_page(request, _safe_next(request.query_params.get("next", "")))
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="lax")
    return response


async def login(request: Request) -> Response:
    """Check the password; on success start a fresh login session."""
    form = await request.form()
    if not auth.anon_csrf_ok(request, field(form, auth.CSRF_FIELD)):
        return await refuse(request, "csrf")
    username = field(form, "username").strip()[:64]
    password = field(form, "password")[: auth.PASSWORD_MAX]
    next_url = _safe_next(field(form, "next"))
    address = request.client.host if request.client else "?"
    throttle = services(request).throttle
    wait = throttle.wait(username, address)
    if wait > 0:
        seconds = int(wait) + 1
        error = Message(
            "Too many attempts. Wait %(seconds)d seconds and try again.", seconds=seconds
        )
        return _login_page(request, next_url, username, error, 429)
    found = await store(request).accounts.by_username(username)
    ok = await auth.verify_password(found[1] if found else None, password)
    if not ok or found is None:
        throttle.failed(username, address)
        error = Message("Wrong username or password.")
        return _login_page(request, next_url, username, error, 401)
    throttle.succeeded(username, address)
    response = redirect(next_url)
    await auth.start_login(request, response, found[0].id)
    return response


@auth.requires_login
async def logout(request: Request) -> Response:
    """End this login session for good and forget its cookie."""
    await store(request).accounts.end_login(auth.login_of(request).token_hash)
    response = redirect("/login")
    auth.clear_cookie(response, request, auth.LOGIN_COOKIE)
    return response
