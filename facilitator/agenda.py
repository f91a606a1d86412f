"""Agenda items: add, edit, delete and reorder (buttons and drag and drop)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from facilitator.editor import editor_response, posted_item
from facilitator.web import field, int_param, is_htmx, redirect, session_or_404, store
from workshop import forms
from workshop.agenda import check_item
from workshop.auth import requires_login
from workshop.i18n import Message
from workshop.models import AgendaItem, Session
from workshop.services import services

MAX_ITEMS = 200


def _done(request: Request, session: Session, item_id: int | None = None) -> Response | None:
    """After a change: the editor again for htmx; without it, a redirect."""
    if is_htmx(request):
        return None
    anchor = f"#item-{item_id}" if item_id else "#agenda"
    return redirect(f"/sessions/{session.id}{anchor}")


async def _item_or_404(request: Request, session: Session) -> AgendaItem:
    item = await store(request).agenda.item(session.id, int_param(request, "item_id"))
    if item is None:
        raise HTTPException(404)
    return item


@requires_login
async def item_add(request: Request) -> Response:
    """Append an item to the agenda."""
    session, programme = await session_or_404(request)
    raw, settings = posted_item(await request.form())
    new_item = {**raw, "settings": settings}
    if len(await store(request).agenda.items(session.id)) >= MAX_ITEMS:
        return await editor_response(
            request,
            session,
            programme,
            status_code=422,
            new_item=new_item,
            new_errors={"title": Message("An agenda holds at most %(max)d items.", max=MAX_ITEMS)},
        )
    try:
        fields = check_item(raw, settings, services(request).kinds)
    except forms.Invalid as exc:
        return await editor_response(
            request, session, programme, status_code=422, new_item=new_item, new_errors=exc.errors
        )
    item_id = await services(request).live.planning.add_item(session.id, fields)
    return _done(request, session, item_id) or await editor_response(
        request, session, programme, notice=Message("Added “%(title)s”.", title=fields.title)
    )


@requires_login
async def item_update(request: Request) -> Response:
    """Save an edited item."""
    session, programme = await session_or_404(request)
    item = await _item_or_404(request, session)
    raw, settings = posted_item(await request.form())
    try:
        fields = check_item(raw, settings, services(request).kinds)
    except forms.Invalid as exc:
        return await editor_response(
            request,
            session,
            programme,
            status_code=422,
            full_page=not is_htmx(request),
            editing=item.id,
            edit_item={**raw, "settings": settings},
            edit_errors=exc.errors,
        )
    await services(request).live.planning.update_item(session.id, item.id, fields)
    return _done(request, session, item.id) or await editor_response(
        request, session, programme, notice=Message("Saved “%(title)s”.", title=fields.title)
    )


@requires_login
async def item_delete(request: Request) -> Response:
    """Remove an item from the agenda."""
    session, programme = await session_or_404(request)
    item = await _item_or_404(request, session)
    await services(request).live.planning.delete_item(session.id, item.id)
    return _done(request, session) or await editor_response(
        request, session, programme, notice=Message("Deleted “%(title)s”.", title=item.title)
    )


@requires_login
async def item_move(request: Request) -> Response:
    """Move an item one place up or down (the keyboard's way to reorder)."""
    session, programme = await session_or_404(request)
    item = await _item_or_404(request, session)
    step = {"up": -1, "down": 1}.get(field(await request.form(), "direction"))
    if step is None:
        raise HTTPException(400)
    await services(request).live.planning.move_item(session.id, item.id, item.position + step)
    if not is_htmx(request):
        return redirect(f"/sessions/{session.id}#item-{item.id}")
    ids = [it.id for it in await store(request).agenda.items(session.id)]
    # Said where it went, for whoever cannot see the list (the focus stays on the button).
    place = Message(
        "“%(title)s” is now number %(num)d of %(count)d.",
        title=item.title,
        num=ids.index(item.id) + 1 if item.id in ids else 0,
        count=len(ids),
    )
    return await editor_response(request, session, programme, notice=place)


@requires_login
async def agenda_order(request: Request) -> Response:
    """Put the items in the order they were dropped in."""
    session, programme = await session_or_404(request)
    form = await request.form()
    values = [v for v in form.getlist("order") if isinstance(v, str)]
    ids = [int(v) for v in values if v.isdigit()]
    if len(ids) != len(values) or not await services(request).live.planning.reorder(
        session.id, ids
    ):
        return await editor_response(
            request,
            session,
            programme,
            status_code=409,
            notice=Message("The agenda changed meanwhile; this is how it stands now."),
        )
    return _done(request, session) or await editor_response(request, session, programme)
