"""Programmes: the list, one programme with its sessions and co-facilitators."""

from __future__ import annotations

import datetime as dt

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from facilitator.web import (
    field,
    int_param,
    owner_only,
    programme_or_404,
    redirect,
    render,
    store,
)
from workshop import blocklist, forms
from workshop.auth import login_of, requires_login
from workshop.i18n import Message
from workshop.models import Programme

TITLE_MAX = 200
CLIENT_MAX = 200
PLACE_MAX = 200


def _check_programme(form: FormData) -> tuple[str, str]:
    check = forms.Checker()
    title = check.field(
        "title", forms.text, field(form, "title"), max_length=TITLE_MAX, required=True
    )
    client = check.field("client", forms.text, field(form, "client"), max_length=CLIENT_MAX)
    check.done()
    return title, client


def check_session(form: FormData) -> tuple[str, dt.date | None, str]:
    """Title (required), date and place of a session."""
    check = forms.Checker()
    title = check.field(
        "title", forms.text, field(form, "title"), max_length=TITLE_MAX, required=True
    )
    date = check.field("date", forms.date, field(form, "date"))
    place = check.field("place", forms.text, field(form, "place"), max_length=PLACE_MAX)
    check.done()
    return title, date, place


@requires_login
async def programme_list(request: Request) -> Response:
    """The facilitator's programmes, and a form for a new one."""
    programmes = await store(request).programmes.visible_to(login_of(request).facilitator.id)
    return render(
        request, "facilitator/programmes.html", {"programmes": programmes, "form": {}, "errors": {}}
    )


@requires_login
async def programme_create(request: Request) -> Response:
    """Create a programme owned by the facilitator."""
    form = await request.form()
    try:
        title, client = _check_programme(form)
    except forms.Invalid as exc:
        programmes = await store(request).programmes.visible_to(login_of(request).facilitator.id)
        return render(
            request,
            "facilitator/programmes.html",
            {"programmes": programmes, "form": form, "errors": exc.errors},
            status_code=422,
        )
    facilitator = login_of(request).facilitator
    programme = await store(request).programmes.create(
        facilitator.id, title, client, blocklist.starter(facilitator.language, "en")
    )
    return redirect(f"/programmes/{programme.id}")


async def _programme_page(
    request: Request, programme: Programme, *, status_code: int = 200, **context: object
) -> Response:
    programmes = store(request).programmes
    values: dict[str, object] = {
        "programme": programme,
        "sessions": await programmes.sessions(programme.id),
        "facilitators": await programmes.facilitators(programme.id),
        "form": {},
        "errors": {},
        "session_form": {},
        "session_errors": {},
        "invite_error": None,
        "invite_username": "",
        "delete_error": None,
        "blocklist_error": None,
        "starter_languages": STARTER_LANGUAGES,
        "done": request.query_params.get("done", ""),
    }
    values.update(context)
    if "blocklist_text" not in values:
        values["blocklist_text"] = "\n".join(await programmes.blocklist(programme.id))
    return render(request, "facilitator/programme.html", values, status_code=status_code)


@requires_login
async def programme_view(request: Request) -> Response:
    """One programme: its details, sessions and facilitators."""
    return await _programme_page(request, await programme_or_404(request))


@requires_login
async def programme_update(request: Request) -> Response:
    """Rename a programme or change its client."""
    programme = await programme_or_404(request)
    form = await request.form()
    try:
        title, client = _check_programme(form)
    except forms.Invalid as exc:
        return await _programme_page(
            request, programme, status_code=422, form=form, errors=exc.errors
        )
    await store(request).programmes.update(programme.id, title, client)
    return redirect(f"/programmes/{programme.id}?done=saved")


#: The starter lists a facilitator can add, named in their own language.
STARTER_LANGUAGES = (
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("da", "Dansk"),
    ("en", "English"),
)


@requires_login
async def blocklist_update(request: Request) -> Response:
    """Save the programme's blocked words, or add a language's starter list to them."""
    programme = await programme_or_404(request)
    form = await request.form()
    programmes = store(request).programmes
    if field(form, "action") == "starter":
        language = field(form, "language")
        if language not in dict(STARTER_LANGUAGES):
            raise HTTPException(400)
        current = await programmes.blocklist(programme.id)
        lines = blocklist.clean("\n".join([*current, *blocklist.starter(language)]))
    else:
        raw = field(form, "blocklist")
        try:
            lines = blocklist.check(raw)
        except forms.Invalid as exc:
            return await _programme_page(
                request,
                programme,
                status_code=422,
                blocklist_text=raw,
                blocklist_error=exc.errors["blocklist"],
            )
    await programmes.set_blocklist(programme.id, lines)
    request.app.state.live.blocklist_changed(programme.id)
    return redirect(f"/programmes/{programme.id}?done=blocklist#blocklist-card")


@requires_login
async def programme_delete(request: Request) -> Response:
    """Delete a programme and everything in it (the owner only, after confirming)."""
    programme = await programme_or_404(request)
    owner_only(programme)
    form = await request.form()
    if field(form, "confirm") != "yes":
        return await _programme_page(
            request, programme, status_code=422, delete_error=Message("Tick the box to confirm.")
        )
    await store(request).programmes.delete(programme.id)
    return redirect("/programmes")


@requires_login
async def session_create(request: Request) -> Response:
    """Add a session to a programme and open its agenda."""
    programme = await programme_or_404(request)
    form = await request.form()
    try:
        title, date, place = check_session(form)
    except forms.Invalid as exc:
        return await _programme_page(
            request, programme, status_code=422, session_form=form, session_errors=exc.errors
        )
    session = await store(request).programmes.create_session(programme.id, title, date, place)
    return redirect(f"/sessions/{session.id}")


@requires_login
async def cofacilitator_add(request: Request) -> Response:
    """Share the programme with another facilitator, by their username."""
    programme = await programme_or_404(request)
    owner_only(programme)
    form = await request.form()
    username = field(form, "username").strip()[:64]
    found = await store(request).accounts.by_username(username) if username else None
    if found is None:
        return await _programme_page(
            request,
            programme,
            status_code=422,
            invite_username=username,
            invite_error=Message("No facilitator has that username."),
        )
    await store(request).programmes.add_cofacilitator(programme.id, found[0].id)
    return redirect(f"/programmes/{programme.id}?done=invited")


@requires_login
async def cofacilitator_remove(request: Request) -> Response:
    """Stop sharing the programme with a co-facilitator."""
    programme = await programme_or_404(request)
    owner_only(programme)
    await store(request).programmes.remove_cofacilitator(
        programme.id, int_param(request, "facilitator_id")
    )
    return redirect(f"/programmes/{programme.id}")
