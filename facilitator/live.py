"""Running a session: the control panel, the presenter screen, and their actions."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.websockets import WebSocket

from facilitator.screens import CONTROL, PRESENT, ControlView, PresenterView
from facilitator.web import field, is_htmx, render, session_or_404
from workshop import auth, forms, hub, sockets
from workshop.clock import TIMER_ACTIONS
from workshop.i18n import Message, set_language
from workshop.live import LiveLoop, LiveState
from workshop.phases import PHASE_ACTIONS

THEME_MAX = 100


def _loop(request: Request | WebSocket) -> LiveLoop:
    loop: LiveLoop = request.app.state.live
    return loop


async def _state(request: Request) -> LiveState:
    session, _programme = await session_or_404(request)
    state = await _loop(request).state(session.id)
    if state is None:
        raise HTTPException(404)
    return state


def _view_context(
    request: Request, view: ControlView | PresenterView, state: LiveState
) -> dict[str, Any]:
    ctx = view.context(state)
    ctx["csrf_token"] = auth.login_of(request).csrf_token
    return ctx


@auth.requires_login
async def control_page(request: Request) -> Response:
    """The control panel: agenda, timer, switches, answers."""
    session, programme = await session_or_404(request)
    state = await _state(request)
    view: ControlView = _loop(request).views[hub.FACILITATORS]  # type: ignore[assignment]
    ctx = _view_context(request, view, state)
    ctx["programme"] = programme
    return render(request, CONTROL, ctx)


@auth.requires_login
async def present_page(request: Request) -> Response:
    """The presenter screen, for the projector."""
    state = await _state(request)
    view: PresenterView = _loop(request).views[hub.PRESENTER]  # type: ignore[assignment]
    return render(request, PRESENT, _view_context(request, view, state))


@auth.requires_login
async def qr_svg(request: Request) -> Response:
    """The QR code of the join link (generated once per code, off the event loop)."""
    session, _programme = await session_or_404(request)
    if not session.join_code:
        raise HTTPException(404)
    url = f"{request.app.state.settings.join_base_url()}/j/{session.join_code}"
    svg = await request.app.state.qr.svg(url)
    return Response(
        svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )


async def facilitator_socket(websocket: WebSocket) -> None:
    """Pushes for a control panel (?view=control) or presenter screen (?view=present)."""
    if not sockets.origin_allowed(websocket):
        await sockets.refuse(websocket)
        return
    login = await auth.current_login(websocket)
    loop = _loop(websocket)
    try:
        session_id = int(websocket.path_params["session_id"])
    except (KeyError, ValueError):
        session_id = 0
    found = await loop.store.programmes.session(login.facilitator.id, session_id) if login else None
    if login is None or found is None:
        await sockets.refuse(websocket)
        return
    set_language(login.facilitator.language)
    audience = (
        hub.PRESENTER if websocket.query_params.get("view") == "present" else hub.FACILITATORS
    )
    channel = loop.channel(audience, login.facilitator.language)
    facilitator_id = login.facilitator.id

    async def still_allowed() -> bool:
        # The same login, still open, and still a facilitator of this session.
        now = await auth.current_login(websocket)
        if now is None or now.facilitator.id != facilitator_id:
            return False
        return await loop.store.programmes.session(facilitator_id, session_id) is not None

    async with loop.hub.subscribe(session_id, channel) as sub:
        state = await loop.state(session_id)
        if state is None:
            return
        await sockets.pump(websocket, sub, loop.views[audience].full(state), still_allowed)


def _after(request: Request) -> Response:
    """htmx: nothing to swap (the push brings the change); without it: back to the panel."""
    if is_htmx(request):
        return Response(status_code=204)
    return RedirectResponse(
        f"/sessions/{request.path_params['session_id']}/control", status_code=303
    )


@auth.requires_login
async def start(request: Request) -> Response:
    """Open the session: join code, QR code, first item."""
    session, _p = await session_or_404(request)
    await _loop(request).start(session.id)
    return _after(request)


@auth.requires_login
async def close(request: Request) -> Response:
    """Close the session; its join code is retired."""
    session, _p = await session_or_404(request)
    await _loop(request).close(session.id)
    return _after(request)


@auth.requires_login
async def step(request: Request) -> Response:
    """Go to the next or previous item."""
    session, _p = await session_or_404(request)
    by = {"1": 1, "-1": -1}.get(field(await request.form(), "by"))
    if by is None:
        raise HTTPException(400)
    await _loop(request).step(session.id, by)
    return _after(request)


@auth.requires_login
async def go(request: Request) -> Response:
    """Go to any item of the agenda."""
    session, _p = await session_or_404(request)
    item_id = field(await request.form(), "item_id")
    if not item_id.isdigit() or not await _loop(request).go_to(session.id, int(item_id)):
        raise HTTPException(404)
    return _after(request)


@auth.requires_login
async def timer(request: Request) -> Response:
    """Start, pause, extend (+1 min) or end the current item's timer."""
    session, _p = await session_or_404(request)
    action = field(await request.form(), "action")
    if action not in TIMER_ACTIONS and action not in PHASE_ACTIONS:
        raise HTTPException(400)
    await _loop(request).timer(session.id, action)
    return _after(request)


@auth.requires_login
async def switch(request: Request) -> Response:
    """Show or hide results on the presenter; lock or unlock answers."""
    session, _p = await session_or_404(request)
    form = await request.form()
    results = {"show": True, "hide": False}.get(field(form, "results"))
    lock = {"lock": True, "unlock": False}.get(field(form, "lock"))
    if results is None and lock is None:
        raise HTTPException(400)
    await _loop(request).switch(session.id, results_visible=results, responses_locked=lock)
    return _after(request)


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@auth.requires_login
async def mark(request: Request) -> Response:
    """Hide, show, highlight or theme one answer of the current item."""
    state = await _state(request)
    if state.item is None:
        raise HTTPException(404)
    form = await request.form()
    changes: dict[str, object] = {}
    if (hidden := _yes_no(field(form, "hidden"))) is not None:
        changes["hidden"] = hidden
    if (highlighted := _yes_no(field(form, "highlighted"))) is not None:
        changes["highlighted"] = highlighted
    if field(form, "approve") == "yes":
        changes["pending"] = False
    if field(form, "set_theme"):
        theme = field(form, "theme_id")
        changes["theme_id"] = int(theme) if theme.isdigit() else None
    if not changes:
        raise HTTPException(400)
    await _loop(request).mark(
        state.session.id, state.item.id, int(request.path_params["response_id"]), changes
    )
    return _after(request)


@auth.requires_login
async def curate(request: Request) -> Response:
    """Curate the current item's result (a word cloud: merge, hide or show an entry)."""
    session, _p = await session_or_404(request)
    form = await request.form()
    item_id = field(form, "item_id")
    raw = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        done = item_id.isdigit() and await _loop(request).curate(session.id, int(item_id), raw)
    except forms.Invalid as exc:
        message = "; ".join(str(m) for m in exc.errors.values())
        return Response(message, status_code=422, media_type="text/plain")
    if not done:
        raise HTTPException(404)
    return _after(request)


@auth.requires_login
async def approve_all(request: Request) -> Response:
    """Approve every answer of the current item that waits for approval."""
    state = await _state(request)
    item_id = field(await request.form(), "item_id")
    if state.item is None or not item_id.isdigit() or int(item_id) != state.item.id:
        raise HTTPException(404)
    await _loop(request).approve_all(state.session.id, state.item.id)
    return _after(request)


@auth.requires_login
async def theme_add(request: Request) -> Response:
    """Add a named theme to sort the current item's answers into."""
    state = await _state(request)
    if state.item is None:
        raise HTTPException(404)
    try:
        name = forms.text(field(await request.form(), "name"), max_length=THEME_MAX, required=True)
    except ValueError as exc:
        return Response(str(exc.args[0]), status_code=422, media_type="text/plain")
    await _loop(request).add_theme(state.session.id, state.item.id, name)
    return _after(request)


@auth.requires_login
async def theme_delete(request: Request) -> Response:
    """Remove a theme (its answers keep no theme)."""
    state = await _state(request)
    if state.item is None:
        raise HTTPException(404)
    await _loop(request).delete_theme(
        state.session.id, state.item.id, int(request.path_params["theme_id"])
    )
    return _after(request)


# -- groups ----------------------------------------------------------------------

GROUP_NAME_MAX = 60
GROUPS_MAX = 50


def _problem(message: Message, status_code: int = 422) -> Response:
    return Response(str(message), status_code=status_code, media_type="text/plain")


@auth.requires_login
async def groups_form(request: Request) -> Response:
    """Form groups on the spot among the phones connected now: N groups, or groups of K."""
    session, _p = await session_or_404(request)
    form = await request.form()
    how = field(form, "how")
    try:
        number = forms.integer(field(form, "number"), minimum=1, maximum=GROUPS_MAX)
    except ValueError as exc:
        return _problem(Message("Number: %(problem)s", problem=exc.args[0]))
    if how not in ("count", "size"):
        raise HTTPException(400)
    loop = _loop(request)
    if await loop.store.groups.of_programme(session.programme_id):
        return _problem(
            Message("This programme has its own groups: move phones between them instead.")
        )
    formed = await loop.form_groups(
        session.id, count=number if how == "count" else None, size=number if how == "size" else None
    )
    if not formed:
        return _problem(
            Message("No phone is connected yet: groups are formed among the phones present.")
        )
    return _after(request)


@auth.requires_login
async def group_rename(request: Request) -> Response:
    """Rename one of the session's groups."""
    session, _p = await session_or_404(request)
    try:
        name = forms.text(
            field(await request.form(), "name"), max_length=GROUP_NAME_MAX, required=True
        )
    except ValueError as exc:
        return _problem(Message("Group name: %(problem)s", problem=exc.args[0]))
    if not await _loop(request).rename_group(
        session.id, int(request.path_params["group_id"]), name
    ):
        raise HTTPException(404)
    return _after(request)


@auth.requires_login
async def phone_move(request: Request) -> Response:
    """Move a phone to another group (or out of every group)."""
    session, _p = await session_or_404(request)
    raw = field(await request.form(), "group_id")
    if raw and not raw.isdigit():
        raise HTTPException(400)
    group_id = int(raw) if raw else None
    if not await _loop(request).move_phone(
        session.id, int(request.path_params["participant_id"]), group_id
    ):
        raise HTTPException(404)
    return _after(request)


@auth.requires_login
async def roles_draw(request: Request) -> Response:
    """Hand out the roles again, in every group, among the phones connected now."""
    session, _p = await session_or_404(request)
    await _loop(request).draw_roles(session.id)
    return _after(request)
