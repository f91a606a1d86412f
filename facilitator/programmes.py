"""Programmes: the list, one programme with its sessions, co-facilitators and groups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from facilitator import compared
from facilitator.web import (
    field,
    int_param,
    is_htmx,
    owner_only,
    programme_or_404,
    redirect,
    render,
    store,
)
from workshop import blocklist, forms
from workshop.auth import login_of, requires_login
from workshop.i18n import LANGUAGES, Message
from workshop.models import Group, Programme
from workshop.services import services

TITLE_MAX = 200
CLIENT_MAX = 200
PLACE_MAX = 200
MAX_GROUPS = 50
GROUP_NAME_MAX = 60
MEMBERS_MAX = 40
MEMBER_MAX = 60
#: The members field as typed: 40 names of 60 characters, with room for stray spaces.
MEMBERS_TEXT_MAX = 8000


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
    # Its participants' language starts as the facilitator's own; the programme's page
    # changes it.
    programme = await store(request).programmes.create(
        facilitator.id,
        title,
        client,
        blocklist.starter(facilitator.language, "en"),
        language=facilitator.language,
    )
    return redirect(f"/programmes/{programme.id}")


async def _programme_page(
    request: Request,
    programme: Programme,
    *,
    status_code: int = 200,
    block: str | None = None,
    **context: object,
) -> Response:
    programmes = store(request).programmes
    sessions = await programmes.sessions(programme.id)
    values: dict[str, object] = {
        "programme": programme,
        "sessions": sessions,
        # The evaluations side by side, session by session (the whole page only).
        "compared": (
            await compared.across(store(request), services(request).kinds, sessions)
            if block is None
            else []
        ),
        "facilitators": await programmes.facilitators(programme.id),
        "groups": await store(request).groups.of_programme(programme.id),
        "group_values": {},
        "group_errors": {},
        "max_groups": MAX_GROUPS,
        "form": {},
        "errors": {},
        "session_form": {},
        "session_errors": {},
        "invite_error": None,
        "invite_username": "",
        "delete_error": None,
        "blocklist_error": None,
        "language_error": None,
        "starter_languages": STARTER_LANGUAGES,
        "done": request.query_params.get("done", ""),
    }
    values.update(context)
    if "blocklist_text" not in values:
        values["blocklist_text"] = "\n".join(await programmes.blocklist(programme.id))
    return render(
        request, "facilitator/programme.html", values, block=block, status_code=status_code
    )


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


NO_SUCH_LANGUAGE = Message("Choose one of the languages in the list.")


@requires_login
async def language_update(request: Request) -> Response:
    """The programme's participants' language: the presenter's and the phones'."""
    programme = await programme_or_404(request)
    form = await request.form()
    language = field(form, "language")
    if language not in LANGUAGES:
        return await _programme_page(
            request, programme, status_code=422, language_error=NO_SUCH_LANGUAGE
        )
    await services(request).live.planning.set_programme_language(programme.id, language)
    return redirect(f"/programmes/{programme.id}?done=language#language-card")


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
    await services(request).live.planning.set_blocklist(programme.id, lines)
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
    await services(request).live.planning.delete_programme(programme.id)
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


# -- network groups ----------------------------------------------------------------------


def _members(raw: object) -> list[str]:
    """Pasted names, one per line: blank lines and repeats dropped, or ``ValueError(Message)``."""
    if not isinstance(raw, str):
        raise ValueError(Message("Must be text."))
    if len(raw) > MEMBERS_TEXT_MAX:
        raise ValueError(Message("At most %(max)d characters.", max=MEMBERS_TEXT_MAX))
    names: dict[str, str] = {}
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            # Spreadsheets paste tabs and doubled spaces: a name is its words.
            name = forms.text(" ".join(line.split()), max_length=MEMBER_MAX)
        except ValueError as exc:
            raise ValueError(
                Message("Line %(line)d: %(problem)s", line=number, problem=exc.args[0])
            ) from None
        if name:
            names.setdefault(forms.name_key(name), name)
    if len(names) > MEMBERS_MAX:
        raise ValueError(Message("At most %(max)d names.", max=MEMBERS_MAX))
    return list(names.values())


def _check_group(form: FormData, others: Sequence[Group]) -> tuple[str, list[str]]:
    """A group's name (required, unique in the programme) and its members."""
    check = forms.Checker()
    name = check.field(
        "name", forms.text, field(form, "name"), max_length=GROUP_NAME_MAX, required=True
    )
    members = check.field("members", _members, field(form, "members"))
    if name and any(forms.name_key(other.name) == forms.name_key(name) for other in others):
        check.errors["name"] = Message(
            "Another group in this programme is already called %(name)s.", name=name
        )
    check.done()
    return name, members


async def _groups_refused(
    request: Request, programme: Programme, key: str, form: FormData, errors: Mapping[str, Message]
) -> Response:
    """The groups card again with what was typed and why it was refused (nothing saved)."""
    return await _programme_page(
        request,
        programme,
        status_code=422,
        block="groups" if is_htmx(request) else None,
        group_values={key: {"name": field(form, "name"), "members": field(form, "members")}},
        group_errors={key: errors},
    )


async def _groups_done(request: Request, programme: Programme, done: str) -> Response:
    """After a change: the groups card for htmx, else back to the programme page."""
    if is_htmx(request):
        return await _programme_page(request, programme, block="groups", done=done)
    return redirect(f"/programmes/{programme.id}?done={done}#groups-card")


@requires_login
async def group_create(request: Request) -> Response:
    """Add a network group, with the names of its members pasted in."""
    programme = await programme_or_404(request)
    form = await request.form()
    groups = await store(request).groups.of_programme(programme.id)
    try:
        if len(groups) >= MAX_GROUPS:
            raise forms.Invalid(
                {"name": Message("A programme has at most %(max)d groups.", max=MAX_GROUPS)}
            )
        name, members = _check_group(form, groups)
    except forms.Invalid as exc:
        return await _groups_refused(request, programme, "new", form, exc.errors)
    await services(request).live.planning.create_group(programme.id, name, members)
    return await _groups_done(request, programme, "group-created")


@requires_login
async def group_update(request: Request) -> Response:
    """Rename a network group or change its members."""
    programme = await programme_or_404(request)
    group_id = int_param(request, "group_id")
    groups = await store(request).groups.of_programme(programme.id)
    if all(group.id != group_id for group in groups):
        raise HTTPException(404)
    form = await request.form()
    try:
        name, members = _check_group(form, [g for g in groups if g.id != group_id])
    except forms.Invalid as exc:
        return await _groups_refused(request, programme, str(group_id), form, exc.errors)
    if not await services(request).live.planning.update_group(
        programme.id, group_id, name, members
    ):
        raise HTTPException(404)
    return await _groups_done(request, programme, "group-saved")


@requires_login
async def group_delete(request: Request) -> Response:
    """Delete a network group; its phones are left for the facilitator to place."""
    programme = await programme_or_404(request)
    live = services(request).live
    if not await live.planning.delete_group(programme.id, int_param(request, "group_id")):
        raise HTTPException(404)
    return await _groups_done(request, programme, "group-deleted")
