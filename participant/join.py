"""Joining a session: by typing the code at /, or from the QR code's link."""

from __future__ import annotations

import time
from collections import deque

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from workshop import auth, forms, phones
from workshop.errors import refuse
from workshop.i18n import Message
from workshop.models import Session

NAME_MAX = 60


class WrongCodes:
    """Counts wrong codes per address: guessing is slowed, right codes always pass.

    Only wrong codes count, so 300 phones behind one NAT that type the right
    code all get in.
    """

    LIMIT = 20
    WINDOW = 60.0

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}

    def blocked(self, address: str) -> bool:
        times = self._seen.get(address)
        if not times:
            return False
        cutoff = time.monotonic() - self.WINDOW
        while times and times[0] < cutoff:
            times.popleft()
        return len(times) >= self.LIMIT

    def wrong(self, address: str) -> None:
        self._seen.setdefault(address, deque()).append(time.monotonic())
        if len(self._seen) > 50_000:
            self._seen.clear()


def _page(
    request: Request,
    *,
    code: str = "",
    name: str = "",
    session: Session | None = None,
    error: Message | None = None,
    status_code: int = 200,
) -> Response:
    token, is_new = auth.anon_csrf(request)
    request.state.anon_csrf = token
    response: Response = request.app.state.templates.page(
        request,
        "participant/join.html",
        {"code": code, "name": name, "session": session, "error": error},
        status_code=status_code,
    )
    if is_new:
        auth.set_cookie(response, request, auth.ANON_CSRF_COOKIE, token, 12 * 3600)
    return response


async def join_page(request: Request) -> Response:
    """The front page: type the code you see on the screen."""
    return _page(request, code=request.query_params.get("code", "")[:32])


async def join_link(request: Request) -> Response:
    """The QR code's link: the code is in it, a name is optional."""
    code = phones.clean_code(request.path_params["code"])
    session = await request.app.state.store.live.by_code(code)
    if session is None:
        return await _wrong_code(request, code, "")
    return _page(request, code=code, session=session)


async def _wrong_code(request: Request, code: str, name: str) -> Response:
    address = request.client.host if request.client else "?"
    request.app.state.wrong_codes.wrong(address)
    retired = code.isdigit() and await request.app.state.store.live.is_retired(code)
    error = (
        Message("That session has ended.")
        if retired
        else Message("No session has that code. Check the code on the screen.")
    )
    return _page(request, code=code, name=name, error=error, status_code=404)


async def join(request: Request) -> Response:
    """Join with a code (and maybe a name); the phone gets its signed cookie."""
    form = await request.form()
    if not auth.anon_csrf_ok(request, _field(form.get(auth.CSRF_FIELD))):
        return await refuse(request, "csrf")
    code = phones.clean_code(_field(form.get("code")))
    raw_name = _field(form.get("name"))
    address = request.client.host if request.client else "?"
    if request.app.state.wrong_codes.blocked(address):
        return _page(
            request,
            code=code,
            error=Message("Too many wrong codes from this network. Wait a minute and try again."),
            status_code=429,
        )
    try:
        name = forms.text(raw_name, max_length=NAME_MAX)
    except ValueError as exc:
        return _page(
            request, code=code, name=raw_name[:NAME_MAX], error=exc.args[0], status_code=422
        )
    session = await request.app.state.store.live.by_code(code) if code.isdigit() else None
    if session is None:
        return await _wrong_code(request, code, name)
    participant = await request.app.state.store.responses.add_participant(session.id, name)
    response = RedirectResponse(f"/s/{code}", status_code=303)
    phone = phones.PhoneId(participant.id, session.id)
    auth.set_cookie(
        response,
        request,
        phones.PHONE_COOKIE,
        phones.cookie_value(request.app.state.secret, phone),
        phones.COOKIE_MAX_AGE,
    )
    return response


def _field(value: object) -> str:
    return value if isinstance(value, str) else ""
