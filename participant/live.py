"""The phone's live page, its websocket, and its actions (ordinary form POSTs).

Every action (answer, edit, vote, add a point...) is posted to one route and
carried out by the live core; the phone is answered only after the commit, with
the part of its page the action shows. An answer carries an idempotency key, so
a phone that retries after a lost answer stores it once and gets the same
acknowledgement. Without JavaScript every POST ends in a redirect back to the
live page; with it, the part comes back as a fragment.
"""

from __future__ import annotations

from typing import Any, cast

from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.websockets import WebSocket

from participant import language
from participant.view import PAGE, PhoneView, new_key, view_of
from workshop import auth, forms, hub, phones, sockets
from workshop.effects import Refused
from workshop.errors import error_page
from workshop.i18n import Message, current_language
from workshop.kinds import FollowsThePhone
from workshop.live import NotJoined, PhoneState
from workshop.phones import PhoneId
from workshop.services import services

EXPIRED = Message("The form had expired or came from elsewhere. Reload the page and try again.")
#: Fields of a phone's form that are the request's, not the action's.
_OWN_FIELDS = ("csrf_token", "idem_key")


def _view(request: Request) -> PhoneView:
    return view_of(services(request).templates)


async def _not_joined(request: Request, code: str, identity: PhoneId | None) -> Response:
    """A phone that is not one of this live session's: to the QR link, right code or wrong
    (it checks the code within the wrong-code budget: this page tells none from another),
    or: the phone's own session ended."""
    ended = await services(request).live.phone.ended(identity.session_id) if identity else None
    if ended is not None and identity is not None:
        return await _ended(request, code, identity, ended)
    return RedirectResponse(f"/j/{code}", status_code=303)


async def _ended(request: Request, code: str, identity: PhoneId, ended: Message) -> Response:
    """The phone's session has ended: it says so, and offers what the phone may still
    download of its own (the kinds that follow the phone: its reflections)."""
    kept = await services(request).live.phone.own_downloads(identity, code)
    if not kept:
        return error_page(request, 410, ended)
    offered = [
        (item, [(name, f) for name, f in cast(FollowsThePhone, kind).own_files().items()])
        for item, kind in kept
    ]
    downloads = [(item, [(n, f) for n, f in files if f.filename]) for item, files in offered]
    response: Response = services(request).templates.page(
        request,
        "participant/ended.html",
        {"detail": ended, "code": code, "downloads": downloads},
        status_code=410,
    )
    return response


def _token(request: Request, identity: PhoneId) -> str:
    return phones.form_token(services(request).secret, identity)


def _page(
    request: Request, phone: PhoneState, identity: PhoneId, status_code: int = 200, **extra: Any
) -> Response:
    ctx = _view(request).page(
        phone,
        phone_token=_token(request, identity),
        idem_key=new_key(),
        language_menu=language.menu(request),
        **extra,
    )
    response: Response = services(request).templates.page(
        request, PAGE, ctx, status_code=status_code
    )
    return response


async def _phone(request: Request) -> tuple[str, PhoneId, PhoneState] | Response:
    """The phone asking (its session's code, its identity and what it sees now), or where
    it must go instead (the join form; "ended")."""
    code = phones.clean_code(request.path_params["code"])
    identity = phones.read_cookie(request)
    if identity is None:
        return await _not_joined(request, code, None)
    language.use(request, await services(request).live.phone.language(identity, code))
    try:
        return code, identity, await services(request).live.phone.state(identity, code)
    except NotJoined:
        return await _not_joined(request, code, identity)


async def live_page(request: Request) -> Response:
    """The live page: follows the facilitator over the websocket (``?lang=`` picks the
    phone's language)."""
    switched = language.switched(request)
    if switched is not None:
        return switched
    found = await _phone(request)
    if isinstance(found, Response):
        return found
    code, identity, phone = found
    edit = request.query_params.get("edit", "")
    # A group's region as its pushes have it (a plenary's board of every group).
    shared = await services(request).live.phone.group_region(identity, code, current_language())
    return _page(
        request,
        phone,
        identity,
        # "Sent" while the page shows what it was sent on (a reload of the same stage).
        sent=request.query_params.get("sent") == str(phone.stage),
        editing=int(edit) if edit.isdigit() and len(edit) < 12 else None,
        shared_html=Markup(shared) if shared else None,  # noqa: S704  # rendered autoescaped
    )


async def own_answer(request: Request) -> Response:
    """One of the phone's answers with its edit form (asked for by its Edit link)."""
    found = await _phone(request)
    if isinstance(found, Response):
        return found
    code, _identity, phone = found
    response_id = int(request.path_params["response_id"])
    if not _is_fragment(request):
        return RedirectResponse(f"/s/{code}?edit={response_id}#own-{response_id}", 303)
    html = _view(request).own_item(phone, response_id)
    if html is None or phone.item is None or phone.item.id != request.path_params["item_id"]:
        return Response(status_code=404)
    return Response(html, media_type="text/html")


async def own_file(request: Request) -> Response:
    """Something of the phone's own notes that its item's kind offers (kinds that follow
    the phone): a download, or a part of its page. Only ever the asking phone's own; its
    downloads stay its own after the session closed."""
    code = phones.clean_code(request.path_params["code"])
    identity = phones.read_cookie(request)
    if identity is None:
        return await _not_joined(request, code, None)
    live = services(request).live
    language.use(request, await live.phone.language(identity, code))
    try:
        notes = await live.phone.own_notes(identity, code, request.path_params["item_id"])
    except NotJoined:
        return await _not_joined(request, code, identity)
    name = str(request.path_params["name"])
    files = cast(FollowsThePhone, notes[1]) if notes is not None else None
    offered = files.own_files().get(name) if files is not None else None
    if notes is None or files is None or offered is None:
        return error_page(request, 404, Message("Page not found."))
    item, kind, own = notes
    if offered.block is not None:
        context = {
            "notes": own,
            "kind": kind,
            "settings": item.settings,
            "item": item,
            "code": code,
        }
        body = services(request).templates.render_block(kind.template, offered.block, context)
    else:
        body = files.own_text(name, own)
    response = Response(body, media_type=offered.media_type)
    if offered.filename is not None:
        response.headers["Content-Disposition"] = f'attachment; filename="{offered.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


async def live_socket(websocket: WebSocket) -> None:
    """Pushes for one phone: what every phone sees, its group's, and its own."""
    if not sockets.origin_allowed(websocket):
        await sockets.refuse(websocket)
        return
    live = services(websocket).live
    identity = phones.read_cookie(websocket)
    code = phones.clean_code(websocket.path_params["code"])
    if identity is None:
        await sockets.refuse(websocket)
        return
    try:
        await live.phone.session(identity, code)
    except NotJoined:
        await sockets.refuse(websocket)
        return
    lang = language.use(websocket, await live.phone.language(identity, code))
    sink = sockets.SocketSink(websocket)
    session_id, participant_id = identity.session_id, identity.participant_id
    follows = language.chosen(websocket) is None  # else it keeps its own
    async with live.hub.subscribe(
        session_id, hub.PHONES, lang, sink, key=participant_id, follows=follows
    ) as sub:
        try:
            first = await live.phone.first(identity, code, lang, sub)
        except NotJoined:
            return
        live.phone.connected(session_id, participant_id)
        try:
            await sockets.pump(websocket, sub, first)
        finally:
            live.phone.connected(session_id, participant_id)


def _fields(form: FormData) -> dict[str, str | list[str]]:
    """A form's text fields; a field sent more than once (checkboxes) as a list."""
    fields: dict[str, str | list[str]] = {}
    for key in form:
        if key in _OWN_FIELDS:
            continue
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        if values:
            fields[key] = values[0] if len(values) == 1 else values
    return fields


def _is_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def act(request: Request) -> Response:
    """One of the current item's actions; answered only once it is committed."""
    code = phones.clean_code(request.path_params["code"])
    identity = phones.read_cookie(request)
    if identity is None:
        return await _not_joined(request, code, None)
    live = services(request).live
    language.use(request, await live.phone.language(identity, code))
    form = await request.form()
    token = form.get("csrf_token")
    if not isinstance(token, str) or not phones.tokens_equal(token, _token(request, identity)):
        return error_page(request, 403, EXPIRED)
    key = form.get("idem_key")
    name = str(request.path_params["action"])
    fields = _fields(form)
    problem: dict[str, Any] = {}
    status = 200
    try:
        done = await live.phone.act(
            identity,
            code,
            int(request.path_params["item_id"]),
            name,
            fields,
            key if isinstance(key, str) else None,
        )
    except NotJoined:
        return await _not_joined(request, code, identity)
    except forms.Invalid as exc:
        status = 422
        problem = {"problem": next(iter(exc.errors.values()))}
        if name == "answer":  # the answer form shows each field's error, and what was typed
            problem.update(errors=exc.errors, form_value=fields)
    except Refused as exc:
        status = exc.status
        problem = {"problem": exc.message}
    else:
        if not _is_fragment(request):
            answer: Response = RedirectResponse(
                f"/s/{code}?sent={done.phone.stage}", status_code=303
            )
        else:
            view = _view(request)
            html = "".join(
                view.region(done.phone, s, sent=done.sent, done=True) for s in done.shows
            )
            answer = Response(html, media_type="text/html")
        if done.person is not None:  # a recovery code: this device is that person from now on
            secret = services(request).secret
            value = phones.device_value(secret, done.person)
            auth.set_cookie(answer, request, phones.DEVICE_COOKIE, value, phones.DEVICE_MAX_AGE)
        return answer
    try:
        phone = await live.phone.state(identity, code)
    except NotJoined:
        return await _not_joined(request, code, identity)
    if not _is_fragment(request):
        return _page(request, phone, identity, status, problem_in=("answers",), **problem)
    shows = live.phone.shows(phone, name)
    html = "".join(
        _view(request).region(phone, s, action=name, fields=fields, **problem) for s in shows
    )
    return Response(html, status_code=status, media_type="text/html")
