"""The phone's live page, its websocket, and its responses (ordinary form POSTs).

A response is answered only after it is committed; it carries an idempotency
key, so a phone that retries after a lost answer stores it once. Without
JavaScript every POST ends in a redirect back to the live page; with it, the
answer area comes back as a fragment.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.websockets import WebSocket

from participant.view import PAGE, context, new_key
from workshop import forms, hub, phones, sockets
from workshop.errors import error_page
from workshop.hub import Fragment
from workshop.i18n import Message, current_language
from workshop.kinds import InGroups, ResponseRecord, Voted
from workshop.live import LiveLoop, LiveState
from workshop.models import Participant
from workshop.store import TooManyResponses

KEY_MAX = 64
NOTE_MAX = 5000


class _Phone:
    """The phone making a request: its participant row, session state and token."""

    def __init__(self, participant: Participant, state: LiveState, token: str) -> None:
        self.participant = participant
        self.state = state
        self.token = token


async def _phone(request: Request) -> _Phone | Response:
    code = phones.clean_code(request.path_params["code"])
    loop: LiveLoop = request.app.state.live
    identity = phones.read_cookie(request)
    session = await loop.store.live.by_code(code) if code.isdigit() else None
    if session is None:
        if identity is not None:
            ended = await loop.store.live.session(identity.session_id)
            if ended is not None and ended.live_state == "closed":
                return error_page(request, 410, Message("That session has ended."))
        return RedirectResponse(f"/?code={code}", status_code=303)
    if identity is None or identity.session_id != session.id:
        return RedirectResponse(f"/j/{code}", status_code=303)
    participant = await loop.store.responses.participant(identity.participant_id)
    state = await loop.phone_state(session, identity.participant_id)
    if participant is None or state is None:
        return RedirectResponse(f"/j/{code}", status_code=303)
    return _Phone(participant, state, phones.form_token(request.app.state.secret, identity))


def _answers(
    request: Request, phone: _Phone, own: list[ResponseRecord], status_code: int = 200, **extra: Any
) -> Response:
    """The phone's answer area, as an htmx fragment."""
    ctx = context(phone.state, own, phone_token=phone.token, idem_key=new_key(), **extra)
    html = request.app.state.templates.render_block(PAGE, "answers", ctx)
    return Response(html, status_code=status_code, media_type="text/html")


async def live_page(request: Request) -> Response:
    """The live page: follows the facilitator over the websocket."""
    phone = await _phone(request)
    if isinstance(phone, Response):
        return phone
    own = await request.app.state.live.own(phone.state, phone.participant.id)
    ctx = context(
        phone.state,
        own,
        phone_token=phone.token,
        idem_key=new_key(),
        participant=phone.participant,
        sent=request.query_params.get("sent") == "1",
        voted=await request.app.state.live.voted(phone.state, phone.participant.id),
        **await _group_work(request.app.state.live, phone),
    )
    response: Response = request.app.state.templates.page(request, PAGE, ctx)
    return response


async def _group_work(loop: LiveLoop, phone: _Phone) -> dict[str, Any]:
    """A phone's part of group work: its group and list, its role and its notepad."""
    state = phone.state
    if state.phase is None or state.item is None:
        return {}
    group = state.group(phone.participant.group_id)
    group_id = group.id if group else None
    role = state.role_of(phone.participant.id)
    return {
        "group": group,
        "points": state.points(group_id),
        "open": not state.keepers(group_id),
        "role": role,
        "keeper": bool(role and role.keeps_list),
        "note": await loop.store.groups.note(state.item.id, phone.participant.id),
    }


async def live_socket(websocket: WebSocket) -> None:
    """Pushes for one phone: its session's phones, in its language, plus its own state."""
    if not sockets.origin_allowed(websocket):
        await sockets.refuse(websocket)
        return
    loop: LiveLoop = websocket.app.state.live
    identity = phones.read_cookie(websocket)
    code = phones.clean_code(websocket.path_params["code"])
    session = await loop.store.live.by_code(code) if code.isdigit() else None
    if identity is None or session is None or identity.session_id != session.id:
        await sockets.refuse(websocket)
        return
    lang = current_language()
    channel = loop.channel(hub.PHONES, lang)
    async with loop.hub.subscribe(session.id, channel, key=identity.participant_id) as sub:
        # Subscribe to the phone's group before reading, so no push falls between.
        participant = await loop.store.responses.participant(identity.participant_id)
        if participant is None:
            return
        loop.hub.attach(session.id, loop.group_channel(participant.group_id, lang), sub)
        state = await loop.phone_state(session.id, identity.participant_id)
        if state is None:
            return
        own = await loop.own(state, identity.participant_id)
        view = loop.views[hub.PHONES]
        first = view.full(state) + view.own(state, identity.participant_id, own)  # type: ignore[attr-defined]
        voted = await loop.voted(state, identity.participant_id)
        first.append(Fragment(view.votes(state, voted), slot="my_votes"))  # type: ignore[attr-defined]
        if state.phase is not None and state.item is not None:
            mine = await _group_work(loop, _Phone(participant, state, ""))
            first += view.group(state, mine["group"], mine["points"])  # type: ignore[attr-defined]
            first += view.mine(state, participant.id, mine["note"])  # type: ignore[attr-defined]
        await sockets.pump(websocket, sub, first)


async def _posting_phone(request: Request) -> tuple[_Phone, FormData] | Response:
    """The phone behind a POST and its form, once its form token checks out."""
    phone = await _phone(request)
    if isinstance(phone, Response):
        return phone
    form = await request.form()
    token = form.get("csrf_token")
    if not isinstance(token, str) or not phones.tokens_equal(token, phone.token):
        return error_page(
            request,
            403,
            Message("The form had expired or came from elsewhere. Reload the page and try again."),
        )
    return phone, form


def _done(request: Request, phone: _Phone) -> Response:
    """Without htmx: back to the live page (which shows the stored answer)."""
    return RedirectResponse(f"/s/{phone.state.session.join_code}?sent=1", status_code=303)


def _fields(form: FormData) -> dict[str, str | list[str]]:
    """A form's text fields; a field sent more than once (checkboxes) as a list."""
    fields: dict[str, str | list[str]] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        if values:
            fields[key] = values[0] if len(values) == 1 else values
    return fields


def _one(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _is_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def respond(request: Request) -> Response:
    """Store one response; answer only once it is committed."""
    posted = await _posting_phone(request)
    if isinstance(posted, Response):
        return posted
    phone, form = posted
    loop: LiveLoop = request.app.state.live
    state = phone.state
    item_id = int(request.path_params["item_id"])
    key = form.get("idem_key")
    problem: Message | None = None
    if state.item is None or state.kind is None or state.item.id != item_id:
        problem = Message("The facilitator has moved on; this question is closed.")
    elif state.session.responses_locked:
        problem = Message("Answers are closed for this question.")
    elif not isinstance(key, str) or not 8 <= len(key) <= KEY_MAX:
        problem = Message(
            "The form had expired or came from elsewhere. Reload the page and try again."
        )
    if problem is not None or state.item is None or state.kind is None or not isinstance(key, str):
        return await _problem(request, phone, problem or Message("Invalid value."))
    raw = _fields(form)
    try:
        value = state.kind.validate_response(state.item.settings, raw)
    except forms.Invalid as exc:
        own = await loop.own(state, phone.participant.id)
        if not _is_fragment(request):
            return _full_page(request, phone, own, exc.errors, raw, status_code=422)
        return _answers(request, phone, own, 422, errors=exc.errors, form_value=raw)
    try:
        _record, created = await loop.store.responses.submit(
            state.item.id,
            phone.participant.id,
            key,
            value,
            state.kind.responses_allowed(state.item.settings),
            pending=await loop.held_back(state, value),
        )
    except TooManyResponses:
        return await _problem(request, phone, Message("You have sent all your answers."))
    if created:
        await loop.responded(state.session.id)
    if not _is_fragment(request):
        return _done(request, phone)
    phone.state = await loop.with_own(state, phone.participant.id)
    return _answers(request, phone, phone.state.responses, sent=True)


def _full_page(
    request: Request,
    phone: _Phone,
    own: list[ResponseRecord],
    errors: Any,
    form_value: Any,
    status_code: int,
    **extra: Any,
) -> Response:
    ctx = context(
        phone.state,
        own,
        phone_token=phone.token,
        idem_key=new_key(),
        participant=phone.participant,
        errors=errors,
        form_value=form_value,
        **extra,
    )
    response: Response = request.app.state.templates.page(
        request, PAGE, ctx, status_code=status_code
    )
    return response


async def _problem(request: Request, phone: _Phone, message: Message) -> Response:
    """Refused: the answer area says why, above the phone's answers and form."""
    own = await request.app.state.live.own(phone.state, phone.participant.id)
    if not _is_fragment(request):
        return _full_page(request, phone, own, {}, {}, 409, problem=message)
    return _answers(request, phone, own, 409, problem=message)


async def vote(request: Request) -> Response:
    """A vote for one of the others' responses (Q&A), or taking it back."""
    posted = await _posting_phone(request)
    if isinstance(posted, Response):
        return posted
    phone, form = posted
    loop: LiveLoop = request.app.state.live
    state = phone.state
    item_id = int(request.path_params["item_id"])
    response_id = _one(form, "response")
    problem: Message | None = None
    status = 200
    if state.item is None or state.item.id != item_id or not isinstance(state.kind, Voted):
        problem = Message("The facilitator has moved on; this question is closed.")
    elif state.session.responses_locked:
        problem = Message("Voting is closed for this question.")
    elif not response_id.isdigit() or not await loop.vote(
        state, phone.participant.id, int(response_id), _one(form, "up") == "1"
    ):
        problem = Message("You can vote only for the others' questions.")
    if problem is not None:
        status = 409
    if not _is_fragment(request):
        return _done(request, phone) if problem is None else await _problem(request, phone, problem)
    fresh = await loop.phone_state(state.session, phone.participant.id) or state
    voted = await loop.voted(fresh, phone.participant.id)
    view = loop.views[hub.PHONES]
    html = view.votes(fresh, voted, problem=problem)  # type: ignore[attr-defined]
    html += "".join(f.html for f in view.results(fresh))
    return Response(html, status_code=status, media_type="text/html")


async def edit(request: Request) -> Response:
    """Change one of the phone's own responses (until answers are locked)."""
    return await _change(request, delete=False)


async def delete(request: Request) -> Response:
    """Delete one of the phone's own responses (until answers are locked)."""
    return await _change(request, delete=True)


async def _change(request: Request, *, delete: bool) -> Response:
    posted = await _posting_phone(request)
    if isinstance(posted, Response):
        return posted
    phone, form = posted
    loop: LiveLoop = request.app.state.live
    state = phone.state
    response_id = int(request.path_params["response_id"])
    if state.item is None or state.kind is None or state.session.responses_locked:
        return await _problem(request, phone, Message("Answers are closed for this question."))
    if delete:
        await loop.store.responses.delete(response_id, phone.participant.id)
    else:
        raw = _fields(form)
        try:
            value = state.kind.validate_response(state.item.settings, raw)
        except forms.Invalid as exc:
            return await _problem(request, phone, next(iter(exc.errors.values())))
        await loop.store.responses.edit(
            response_id, phone.participant.id, value, pending=await loop.held_back(state, value)
        )
    await loop.changed_own(state.session.id)
    if not _is_fragment(request):
        return _done(request, phone)
    phone.state = await loop.with_own(state, phone.participant.id)
    return _answers(request, phone, phone.state.responses)


# -- group work: the group's list and the phone's notepad --------------------------------


def _group_problem(phone: _Phone, item_id: int | None = None) -> Message | None:
    state = phone.state
    if (
        state.phase is None
        or state.item is None
        or (item_id is not None and state.item.id != item_id)
    ):
        return Message("The facilitator has moved on; this exercise is closed.")
    if state.session.responses_locked:
        return Message("Answers are closed for this question.")
    if state.group(phone.participant.group_id) is None:
        return Message("You are not in a group yet. The facilitator will place you.")
    return None


def _group_answer(
    request: Request,
    phone: _Phone,
    block: str,
    status_code: int = 200,
    problem: Message | None = None,
) -> Response:
    """The phone's group area (or its list alone) as it is now, for htmx."""
    if not _is_fragment(request):
        if problem is not None:
            return error_page(request, status_code, problem)
        return _done(request, phone)
    loop: LiveLoop = request.app.state.live
    state = phone.state
    group = state.group(phone.participant.group_id)
    group_id = group.id if group else None
    view = loop.views[hub.PHONES]
    points = state.points(group_id)
    render = view.group if block == "group" else view.points  # type: ignore[attr-defined]
    html = "".join(f.html for f in render(state, group, points, problem=problem))
    return Response(html, status_code=status_code, media_type="text/html")


async def _fresh(request: Request, phone: _Phone) -> _Phone:
    loop: LiveLoop = request.app.state.live
    state = await loop.phone_state(phone.state.session, phone.participant.id)
    return _Phone(phone.participant, state or phone.state, phone.token)


async def add_point(request: Request) -> Response:
    """Add a key point to the phone's own group's list (the group is never taken from the form)."""
    posted = await _posting_phone(request)
    if isinstance(posted, Response):
        return posted
    phone, form = posted
    loop: LiveLoop = request.app.state.live
    state = phone.state
    problem = _group_problem(phone, int(request.path_params["item_id"]))
    key = form.get("idem_key")
    if problem is None and (not isinstance(key, str) or not 8 <= len(key) <= KEY_MAX):
        problem = Message(
            "The form had expired or came from elsewhere. Reload the page and try again."
        )
    if (
        problem is not None
        or state.item is None
        or not isinstance(state.kind, InGroups)
        or not isinstance(key, str)
    ):
        return _group_answer(request, phone, "group", 409, problem or Message("Invalid value."))
    group_id = phone.participant.group_id
    assert group_id is not None
    try:
        value = state.kind.validate_point(state.item.settings, _fields(form))
    except forms.Invalid as exc:
        return _group_answer(request, phone, "group", 422, next(iter(exc.errors.values())))
    try:
        _record, created = await loop.store.groups.add_point(
            state.item.id,
            group_id,
            phone.participant.id,
            key,
            value,
            state.kind.responses_allowed(state.item.settings),
        )
    except TooManyResponses:
        return _group_answer(
            request, phone, "group", 409, Message("You have sent all your answers.")
        )
    if created:
        await loop.point_added(state.session.id, group_id)
    return _group_answer(request, await _fresh(request, phone), "group")


async def change_point(request: Request) -> Response:
    """The list keeper edits, moves or deletes a point of its own group's list."""
    posted = await _posting_phone(request)
    if isinstance(posted, Response):
        return posted
    phone, form = posted
    loop: LiveLoop = request.app.state.live
    state = phone.state
    action = request.path_params.get("action", "edit")
    if action not in ("edit", "move", "delete"):
        return error_page(request, 404, Message("Page not found."))
    response_id = int(request.path_params["response_id"])
    problem = _group_problem(phone)
    group_id = phone.participant.group_id
    if problem is None and not state.may_keep_list(phone.participant.id, group_id):
        problem = Message("Only the one who keeps the group's list can change it.")
    if (
        problem is not None
        or state.item is None
        or group_id is None
        or not isinstance(state.kind, InGroups)
    ):
        return _group_answer(request, phone, "points", 403, problem or Message("Invalid value."))
    if action == "edit":
        try:
            value = state.kind.validate_point(state.item.settings, _fields(form))
        except forms.Invalid as exc:
            return _group_answer(request, phone, "points", 422, next(iter(exc.errors.values())))
        done = await loop.store.groups.edit_point(state.item.id, group_id, response_id, value)
    elif action == "move":
        done = await loop.store.groups.move_point(
            state.item.id, group_id, response_id, -1 if _one(form, "by") == "-1" else 1
        )
    else:
        done = await loop.store.groups.delete_point(state.item.id, group_id, response_id)
    if not done:
        return _group_answer(
            request, phone, "points", 404, Message("That point is not on your group's list.")
        )
    await loop.point_added(state.session.id, group_id)
    return _group_answer(request, await _fresh(request, phone), "points")


async def save_note(request: Request) -> Response:
    """The phone's private notepad: only this phone ever gets it back."""
    posted = await _posting_phone(request)
    if isinstance(posted, Response):
        return posted
    phone, form = posted
    loop: LiveLoop = request.app.state.live
    state = phone.state
    item_id = int(request.path_params["item_id"])
    problem: Message | None = None
    status = 200
    if state.phase is None or state.item is None or state.item.id != item_id:
        problem, status = Message("The facilitator has moved on; this exercise is closed."), 409
    else:
        try:
            text = forms.text(_one(form, "text"), max_length=NOTE_MAX, multiline=True)
        except ValueError as exc:
            problem, status = exc.args[0], 422
        else:
            await loop.store.groups.set_note(item_id, phone.participant.id, text)
    if not _is_fragment(request):
        return error_page(request, status, problem) if problem else _done(request, phone)
    ctx = context(state, [], saved=problem is None, problem=problem)
    html = request.app.state.templates.render_block(PAGE, "note_status", ctx)
    return Response(html, status_code=status, media_type="text/html")
