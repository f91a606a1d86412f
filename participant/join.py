"""Joining a session: by typing the code at /, or from the QR code's link."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from workshop import auth, forms, phones
from workshop.errors import refuse
from workshop.i18n import Message
from workshop.models import Group, Session

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
    groups: Sequence[Group] = (),
    picked: int | None = None,
    group_step: bool = False,
    error: Message | None = None,
    status_code: int = 200,
) -> Response:
    token, is_new = auth.anon_csrf(request)
    request.state.anon_csrf = token
    members = {m: None for g in groups for m in g.members}
    response: Response = request.app.state.templates.page(
        request,
        "participant/join.html",
        {
            "code": code,
            "name": name,
            "session": session,
            "groups": groups if session else (),
            "member_names": sorted(members, key=str.casefold),
            "picked": picked,
            "group_step": group_step,
            "error": error,
        },
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
    groups = await request.app.state.store.groups.of_session(session.id)
    return _page(request, code=code, session=session, groups=groups)


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
    groups = await request.app.state.store.groups.of_session(session.id)
    if groups and not _field(form.get("group_step")):
        # The code was typed at /: the page could not offer the session's groups.
        return _page(
            request,
            code=code,
            name=name,
            session=session,
            groups=groups,
            picked=_named_in(groups, name),
            group_step=True,
        )
    group_id = _chosen(groups, _field(form.get("group")), name)
    participant = await request.app.state.store.groups.join(session.id, name, group_id)
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


def _named_in(groups: Sequence[Group], name: str) -> int | None:
    """The group whose pasted members include this name, when exactly one member matches."""
    key = forms.name_key(name)
    found = [g.id for g in groups for member in g.members if key and forms.name_key(member) == key]
    return found[0] if len(found) == 1 else None


def _chosen(groups: Sequence[Group], picked: str, name: str) -> int | None:
    """The group a phone joins: the one it picked, else the one its name is in, else none."""
    if picked:
        return next((g.id for g in groups if str(g.id) == picked), None)
    return _named_in(groups, name)


def _field(value: object) -> str:
    return value if isinstance(value, str) else ""
