"""Running a session: the control panel, the presenter screen, and their commands.

Each route checks the login and access, parses, calls one command of the live
core and answers: 204 for htmx (the push brings the change to every screen),
else a redirect back to the control panel. A refusal is answered with its
translated reason as plain text (shown by ``samling.js``).
"""

from __future__ import annotations

from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.websockets import WebSocket

from facilitator import screens
from facilitator.screens import CONTROL, PRESENT
from facilitator.web import field, is_htmx, render, session_or_404
from workshop import auth, forms, hub, sockets
from workshop.clock import TIMER_ACTIONS
from workshop.effects import Refused
from workshop.i18n import Message, set_language
from workshop.live import Live, LiveState
from workshop.models import JOIN_BANNERS, PRESENT_VIEWS
from workshop.phases import PHASE_ACTIONS
from workshop.services import services

CLOSE = "facilitator/close.html"
GROUPS_MAX = 50
GROUP_NAME_MAX = 60
NO_PAGE = Message("The screen shows no item now: there is no page to turn.")


def _live(request: Request | WebSocket) -> Live:
    return services(request).live


async def _state(request: Request) -> LiveState:
    session, _programme = await session_or_404(request)
    state = await _live(request).facilitator.state(session.id)
    if state is None:
        raise HTTPException(404)
    return state


def _screen_context(request: Request, state: LiveState) -> dict[str, object]:
    csrf_token = auth.login_of(request).csrf_token
    found = services(request)
    return screens.context(found.settings, state, found.kinds, csrf_token=csrf_token)


@auth.requires_login
async def control_page(request: Request) -> Response:
    """The control panel: agenda, timer, switches, answers."""
    session, programme = await session_or_404(request)
    state = await _state(request)
    ctx = _screen_context(request, state)
    ctx["programme"] = programme
    return render(request, CONTROL, ctx)


@auth.requires_login
async def phones_page(request: Request) -> Response:
    """Every phone of the session by group, to move them (the panel lists the first ones)."""
    session, programme = await session_or_404(request)
    state = await _state(request)
    ctx = _screen_context(request, state)
    ctx.update(programme=programme, all_phones=True)
    card = services(request).templates.render_block(CONTROL, "control_groups", ctx, request)
    ctx["groups_card"] = Markup(card)  # noqa: S704  # rendered by our autoescaping templates
    return render(request, "facilitator/phones.html", ctx)


@auth.requires_login
async def present_page(request: Request) -> Response:
    """The presenter screen, for the projector: in the session's participants' language (the
    control panel stays in the facilitator's own)."""
    state = await _state(request)
    spoken = await _live(request).facilitator.language(int(request.path_params["session_id"]))
    if spoken is not None:
        set_language(spoken)
    return render(request, PRESENT, _screen_context(request, state))


@auth.requires_login
async def qr_svg(request: Request) -> Response:
    """The QR code of the join link (generated once per code, off the event loop)."""
    session, _programme = await session_or_404(request)
    if not session.join_code:
        raise HTTPException(404)
    url = f"{services(request).settings.join_base_url()}/j/{session.join_code}"
    svg = await services(request).qr.svg(url)
    return Response(
        svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )


async def facilitator_socket(websocket: WebSocket) -> None:
    """Pushes for a control panel (?view=control) or presenter screen (?view=present)."""
    if not sockets.origin_allowed(websocket):
        await sockets.refuse(websocket)
        return
    login = await auth.current_login(websocket)
    store = services(websocket).store
    try:
        session_id = int(websocket.path_params["session_id"])
    except (KeyError, ValueError):
        session_id = 0
    found = await store.programmes.session(login.facilitator.id, session_id) if login else None
    if login is None or found is None:
        await sockets.refuse(websocket)
        return
    audience = (
        hub.PRESENTER if websocket.query_params.get("view") == "present" else hub.FACILITATORS
    )
    lang = login.facilitator.language
    if audience == hub.PRESENTER:
        lang = await _live(websocket).facilitator.language(session_id) or lang
    set_language(lang)
    facilitator_id = login.facilitator.id

    async def still_allowed() -> bool:
        # The same login, still open, and still a facilitator of this session.
        now = await auth.current_login(websocket)
        if now is None or now.facilitator.id != facilitator_id:
            return False
        return await store.programmes.session(facilitator_id, session_id) is not None

    live = _live(websocket)
    sink = sockets.SocketSink(websocket, still_allowed)
    presenter = audience == hub.PRESENTER  # it follows the participants' language
    async with live.hub.subscribe(
        session_id, audience, lang, sink, eager=False, follows=presenter
    ) as sub:
        first = await live.facilitator.first(session_id, audience, lang)
        if first is not None:
            await sockets.pump(websocket, sub, first)


async def _by(request: Request) -> int:
    """The form's step: the next (1) or the previous (-1); anything else is a bad request."""
    by = {"1": 1, "-1": -1}.get(field(await request.form(), "by"))
    if by is None:
        raise HTTPException(400)
    return by


def _after(request: Request) -> Response:
    """htmx: nothing to swap (the push brings the change); without it: back to the panel."""
    if is_htmx(request):
        return Response(status_code=204)
    return RedirectResponse(
        f"/sessions/{request.path_params['session_id']}/control", status_code=303
    )


def _refused(message: Message | str, status_code: int = 422) -> Response:
    return Response(str(message), status_code=status_code, media_type="text/plain")


@auth.requires_login
async def start(request: Request) -> Response:
    """Open the session: join code, QR code, first item."""
    session, _p = await session_or_404(request)
    await _live(request).facilitator.start(session.id)
    return _after(request)


@auth.requires_login
async def close_confirm(request: Request) -> Response:
    """Ask before closing the session: a page of its own, or (htmx) the step in the panel."""
    session, programme = await session_or_404(request)
    if session.live_state != "live":  # nothing to close: back to the panel
        return Response("") if is_htmx(request) else _after(request)
    inline = is_htmx(request)
    ctx = {"session": session, "programme": programme, "inline": inline}
    return render(request, CLOSE, ctx, block="close_confirm" if inline else None)


@auth.requires_login
async def close(request: Request) -> Response:
    """Close the session (the confirmed step); its join code is retired."""
    session, _p = await session_or_404(request)
    await _live(request).facilitator.close(session.id)
    if is_htmx(request):
        return Response("")  # the confirmation goes; the push brings the closed panel
    return _after(request)


@auth.requires_login
async def step(request: Request) -> Response:
    """Go to the next or previous item."""
    session, _p = await session_or_404(request)
    await _live(request).facilitator.step(session.id, await _by(request))
    return _after(request)


@auth.requires_login
async def go(request: Request) -> Response:
    """Go to any item of the agenda."""
    session, _p = await session_or_404(request)
    item_id = field(await request.form(), "item_id")
    if not item_id.isdigit() or not await _live(request).facilitator.go_to(
        session.id, int(item_id)
    ):
        raise HTTPException(404)
    return _after(request)


@auth.requires_login
async def timer(request: Request) -> Response:
    """Start, pause, extend (+1 min) or end the current item's timer (or phase)."""
    session, _p = await session_or_404(request)
    action = field(await request.form(), "action")
    if action not in TIMER_ACTIONS and action not in PHASE_ACTIONS:
        raise HTTPException(400)
    await _live(request).facilitator.timer(session.id, action)
    return _after(request)


@auth.requires_login
async def switch(request: Request) -> Response:
    """Show or hide results on the presenter; lock or unlock answers; the join code on the
    presenter (large, in the corner, hidden, or automatic), its themes view, its paging."""
    session, _p = await session_or_404(request)
    form = await request.form()
    results = {"show": True, "hide": False}.get(field(form, "results"))
    lock = {"lock": True, "unlock": False}.get(field(form, "lock"))
    banner = next((b for b in JOIN_BANNERS if b == field(form, "banner")), None)
    view = next((v for v in PRESENT_VIEWS if v == field(form, "view")), None)
    paging = {"pause": True, "resume": False}.get(field(form, "paging"))
    if (results, lock, banner, view, paging) == (None,) * 5:
        raise HTTPException(400)
    await _live(request).facilitator.switch(
        session.id,
        results_visible=results,
        responses_locked=lock,
        join_banner=banner,
        present_view=view,
        paging_paused=paging,
    )
    return _after(request)


@auth.requires_login
async def page(request: Request) -> Response:
    """Turn the page on the session's presenters by hand: the next or the previous."""
    session, _p = await session_or_404(request)
    if not await _live(request).facilitator.turn_page(session.id, await _by(request)):
        return _refused(NO_PAGE) if is_htmx(request) else _after(request)
    return _after(request)


@auth.requires_login
async def moderate(request: Request) -> Response:
    """Approve an answer held back (or all of them), or hide it."""
    session, _p = await session_or_404(request)
    form = await request.form()
    decision = field(form, "decision")
    response = field(form, "response")
    if decision not in ("approve", "hide", "approve-all") or (
        decision != "approve-all" and not response.isdigit()
    ):
        raise HTTPException(400)
    try:
        await _live(request).facilitator.moderate(
            session.id,
            int(request.path_params["item_id"]),
            None if decision == "approve-all" else int(response),
            approve=decision != "hide",
        )
    except Refused as exc:
        return _refused(exc.message, exc.status)
    return _after(request)


def _fields(form: FormData) -> dict[str, str | list[str]]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != auth.CSRF_FIELD}


@auth.requires_login
async def act(request: Request) -> Response:
    """One of the current item's facilitator actions (hide, merge, add a theme...)."""
    session, _p = await session_or_404(request)
    fields = _fields(await request.form())
    try:
        await _live(request).facilitator.act(
            session.id, int(request.path_params["item_id"]), request.path_params["action"], fields
        )
    except forms.Invalid as exc:
        return _refused("; ".join(str(m) for m in exc.errors.values()))
    except Refused as exc:
        return _refused(exc.message, exc.status)
    return _after(request)


# -- groups ----------------------------------------------------------------------


@auth.requires_login
async def groups_form(request: Request) -> Response:
    """Form groups on the spot among the phones connected now: N groups, or groups of K."""
    state = await _state(request)
    form = await request.form()
    how = field(form, "how")
    try:
        number = forms.integer(field(form, "number"), minimum=1, maximum=GROUPS_MAX)
    except ValueError as exc:
        return _refused(Message("Number: %(problem)s", problem=exc.args[0]))
    if how not in ("count", "size"):
        raise HTTPException(400)
    if state.groups and state.groups[0].session_id is None:
        return _refused(
            Message("This programme has its own groups: move phones between them instead.")
        )
    formed = await _live(request).groups.form(
        state.session.id,
        count=number if how == "count" else None,
        size=number if how == "size" else None,
    )
    if not formed:
        return _refused(
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
        return _refused(Message("Group name: %(problem)s", problem=exc.args[0]))
    if not await _live(request).groups.rename(
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
    if not await _live(request).groups.move(
        session.id, int(request.path_params["participant_id"]), group_id
    ):
        raise HTTPException(404)
    return _after(request)


@auth.requires_login
async def roles_draw(request: Request) -> Response:
    """Hand out the roles again, in every group, among the phones connected now."""
    session, _p = await session_or_404(request)
    await _live(request).groups.draw_roles(session.id)
    return _after(request)
