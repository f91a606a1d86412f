"""Joining a session: by typing the code at /, or from the QR code's link.

A phone that already joined the session (its cookie says so) goes straight back
to its live page, from the link and from the form alike: pressing *back* and
joining again never makes a second participant. Every successful POST ends in
a redirect (the group step too), so *back* never offers to send a form again.

A right code always gets in; wrong ones are counted per address and, past a
budget, answered late with 429 (:mod:`workshop.guesses`). Before it joins a
phone sees the session's title and group names, never the members pasted in
the groups: whoever has the code (or guessed it) learns no one's name. A name
typed as it is pasted still lands in its group when the phone joins.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from participant import language
from workshop import auth, forms, phones
from workshop.errors import refuse
from workshop.i18n import Message
from workshop.live import NotJoined
from workshop.models import Group, Session
from workshop.services import services

NAME_MAX = 60
SLOWED = Message(
    "No session has that code, and many wrong codes have come from this network: wrong"
    " codes are now answered slowly. Check the code on the screen; the right code always"
    " gets in."
)


def _page(
    request: Request,
    *,
    code: str = "",
    name: str = "",
    session: Session | None = None,
    groups: Sequence[Group] = (),
    group_step: bool = False,
    error: Message | None = None,
    status_code: int = 200,
) -> Response:
    token, is_new = auth.anon_csrf(request)
    request.state.anon_csrf = token
    response: Response = services(request).templates.page(
        request,
        "participant/join.html",
        {
            "code": code,
            "name": name,
            "session": session,
            "groups": groups if session else (),
            "names_listed": any(g.members for g in groups),
            "group_step": group_step,
            "error": error,
            "language_menu": language.menu(request),
        },
        status_code=status_code,
    )
    if is_new:
        auth.set_cookie(response, request, auth.ANON_CSRF_COOKIE, token, 12 * 3600)
    # Not kept for *back*: going back asks again, and a phone that joined is sent on.
    response.headers["Cache-Control"] = "no-store"
    return response


async def _speak(request: Request, session: Session | None) -> None:
    """Speak the phone's chosen language, else the session's participants' language."""
    found = await services(request).live.phone.session_language(session.id) if session else None
    language.use(request, found)


async def join_page(request: Request) -> Response:
    """The front page: type the code you see on the screen (``?lang=`` picks the phone's
    language)."""
    switched = language.switched(request)
    if switched is not None:
        return switched
    language.use(request, None)
    return _page(request, code=request.query_params.get("code", "")[:32])


async def _joined(request: Request, code: str) -> Response | None:
    """The live page, for a phone that is already one of this session's."""
    identity = phones.read_cookie(request)
    if identity is None:
        return None
    try:
        await services(request).live.phone.session(identity, code)
    except NotJoined:
        return None
    return RedirectResponse(f"/s/{code}", status_code=303)


async def join_link(request: Request) -> Response:
    """The QR code's link: the code is in it, a name is optional (and where ``/s/<code>``
    sends a phone that has not joined). After a typed code, the step where the phone picks
    its group (``?step=group``)."""
    switched = language.switched(request)
    if switched is not None:
        return switched
    code = phones.clean_code(request.path_params["code"])
    session = await services(request).live.phone.by_code(code)
    await _speak(request, session)
    if session is None:
        # A phone that was in a closed session still finds an item open after it.
        joined = await _joined(request, code)
        return joined or await _wrong_code(request, code, "")
    joined = await _joined(request, code)
    if joined is not None:
        return joined
    groups = await services(request).live.phone.groups(session.id)
    name = request.query_params.get("name", "")[:NAME_MAX]
    step = request.query_params.get("step") == "group" and bool(groups)
    return _page(request, code=code, name=name, session=session, groups=groups, group_step=step)


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


async def _wrong_code(request: Request, code: str, name: str) -> Response:
    """No live session has this code: say so, and late (429) past the address's budget."""
    retry_after = await services(request).wrong_codes.wrong(_address(request))
    if retry_after is not None:
        response = _page(request, code=code, name=name, error=SLOWED, status_code=429)
        response.headers["Retry-After"] = str(retry_after)
        return response
    retired = await services(request).live.phone.retired(code)
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
    session = await services(request).live.phone.by_code(code)
    await _speak(request, session)
    raw_name = _field(form.get("name"))
    try:
        name = forms.text(raw_name, max_length=NAME_MAX)
    except ValueError as exc:
        return _page(
            request, code=code, name=raw_name[:NAME_MAX], error=exc.args[0], status_code=422
        )
    if session is None:
        return await _wrong_code(request, code, name)
    joined = await _joined(request, code)
    if joined is not None:
        return joined
    live = services(request).live
    if await live.phone.groups(session.id) and not _field(form.get("group_step")):
        # The code was typed at /: that page could not offer the session's groups.
        return RedirectResponse(
            f"/j/{code}?{urlencode({'step': 'group', 'name': name})}", status_code=303
        )
    participant = await live.phone.join(session, name, _field(form.get("group")))
    # The device's person (a long-lived cookie) links this phone to the one it was in the
    # programme's earlier sessions: what only they read follows them.
    person = await live.phone.follow(participant, phones.read_device(request))
    response = RedirectResponse(f"/s/{code}", status_code=303)
    phone = phones.PhoneId(participant.id, session.id)
    secret = services(request).secret
    auth.set_cookie(
        response,
        request,
        phones.PHONE_COOKIE,
        phones.cookie_value(secret, phone),
        phones.COOKIE_MAX_AGE,
    )
    auth.set_cookie(
        response,
        request,
        phones.DEVICE_COOKIE,
        phones.device_value(secret, person),
        phones.DEVICE_MAX_AGE,
    )
    return response


def _field(value: object) -> str:
    return value if isinstance(value, str) else ""
