"""The agenda editor page: one session, its details, its agenda and import/export."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from facilitator.programmes import NO_SUCH_LANGUAGE, check_session
from facilitator.web import field, is_htmx, redirect, render, session_or_404, store
from workshop import agenda_toml, forms
from workshop.agenda import COMMON_SETTINGS, timeline
from workshop.auth import requires_login
from workshop.i18n import LANGUAGES, Message
from workshop.kinds import KindRegistry, ShowsText
from workshop.models import AgendaItem, Programme, Session
from workshop.services import services

IMPORT_MAX_BYTES = 256 * 1024
OPTIONS = "facilitator/_exercise_options.html"


def item_values(item: AgendaItem | None, kinds: KindRegistry) -> dict[str, Any]:
    """What the item form shows: an existing item, or a new talk of 15 minutes."""
    first_kind = next(iter(kinds), None)
    if item is None:
        return {
            "title": "",
            "start": "",
            "duration": "15",
            "kind": "talk",
            "notes": "",
            "exercise": first_kind.name if first_kind else "",
            "settings": first_kind.default_settings() if first_kind else {},
        }
    exercise = kinds.get(item.exercise_kind or "") or first_kind
    settings = (
        item.settings if item.exercise_kind else (exercise.default_settings() if exercise else {})
    )
    return {
        "title": item.title,
        "start": item.start.strftime("%H:%M") if item.start else "",
        "duration": str(item.duration_min),
        "kind": item.kind,
        "notes": item.notes,
        "exercise": exercise.name if exercise else "",
        "settings": settings,
    }


def posted_item(form: FormData) -> tuple[dict[str, str], dict[str, str]]:
    """The item fields and the exercise settings (``settings.<name>``) of a posted form."""
    raw = {k: field(form, k) for k in ("title", "start", "duration", "kind", "notes", "exercise")}
    settings = {
        key.removeprefix("settings."): field(form, key)
        for key in form
        if key.startswith("settings.")
    }
    return raw, settings


def settings_fields(request: Request) -> Any:
    """A template function rendering one kind's settings fields."""
    templates = services(request).templates
    kinds = services(request).kinds

    def render_fields(
        kind_name: str, settings: dict[str, Any], errors: dict[str, Any], id_prefix: str
    ) -> Markup:
        kind = kinds.get(kind_name)
        if kind is None:
            return Markup("")
        own_errors = {
            k.removeprefix("settings."): v for k, v in errors.items() if k.startswith("settings.")
        }
        kind_errors = {k: v for k, v in own_errors.items() if k not in COMMON_SETTINGS}
        context = {
            "settings": settings,
            "errors": kind_errors,
            "prefix": "settings.",
            "id_prefix": id_prefix,
            "shows_text": isinstance(kind, ShowsText),
        }
        html = templates.render_block(kind.template, "settings_form", context, request)
        html += templates.render(OPTIONS, {**context, "errors": own_errors}, request)
        return Markup(html)  # noqa: S704  # rendered by our autoescaping templates

    return render_fields


async def editor_response(
    request: Request,
    session: Session,
    programme: Programme,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """The editor: the block ``editor`` for htmx, else the whole page."""
    kinds = services(request).kinds
    items = await store(request).agenda.items(session.id)
    values: dict[str, Any] = {
        "session": session,
        "programme": programme,
        "timeline": timeline(items),
        "kinds": kinds,
        "settings_fields": settings_fields(request),
        "editing": None,
        "new_item": item_values(None, kinds),
        "new_errors": {},
        "edit_item": {},
        "edit_errors": {},
        "import_error": None,
        "notice": None,
        "session_form": None,
        "session_errors": {},
        "delete_error": None,
        "language_error": None,
        "done": request.query_params.get("done", ""),
    }
    values.update(context)
    block = "editor" if is_htmx(request) and not context.get("full_page") else None
    return render(request, "facilitator/session.html", values, block=block, status_code=status_code)


@requires_login
async def session_view(request: Request) -> Response:
    """The agenda editor for one session (``?edit=ID`` opens an item for editing)."""
    session, programme = await session_or_404(request)
    context: dict[str, Any] = {"full_page": True}
    edit = request.query_params.get("edit", "")
    if edit.isdigit():
        item = await store(request).agenda.item(session.id, int(edit))
        if item is not None:
            context.update(editing=item.id, edit_item=item_values(item, services(request).kinds))
    return await editor_response(request, session, programme, **context)


@requires_login
async def session_update(request: Request) -> Response:
    """Change a session's title, date or place."""
    session, programme = await session_or_404(request)
    form = await request.form()
    try:
        title, date, place = check_session(form)
    except forms.Invalid as exc:
        return await editor_response(
            request,
            session,
            programme,
            status_code=422,
            full_page=True,
            session_form=form,
            session_errors=exc.errors,
        )
    await services(request).live.planning.update_session(session.id, title, date, place)
    return redirect(f"/sessions/{session.id}?done=saved")


@requires_login
async def session_language(request: Request) -> Response:
    """The session's own participants' language ('': its programme's)."""
    session, programme = await session_or_404(request)
    form = await request.form()
    language = field(form, "language")
    if language and language not in LANGUAGES:
        return await editor_response(
            request,
            session,
            programme,
            status_code=422,
            full_page=True,
            language_error=NO_SUCH_LANGUAGE,
        )
    await services(request).live.planning.set_session_language(session.id, language)
    return redirect(f"/sessions/{session.id}?done=language#language-card")


@requires_login
async def session_delete(request: Request) -> Response:
    """Delete a session and its agenda, after the facilitator ticked the box."""
    session, programme = await session_or_404(request)
    form = await request.form()
    if field(form, "confirm") != "yes":
        return await editor_response(
            request,
            session,
            programme,
            status_code=422,
            full_page=True,
            delete_error=Message("Tick the box to confirm."),
        )
    await services(request).live.planning.delete_session(session)
    return redirect(f"/programmes/{programme.id}")


@requires_login
async def settings_form(request: Request) -> Response:
    """The settings fields of one exercise kind, with its defaults (htmx swaps them in)."""
    await session_or_404(request)
    kinds = services(request).kinds
    kind = kinds.get(request.query_params.get("exercise", ""))
    if kind is None:
        return Response(status_code=204)
    form = request.query_params.get("form")
    id_prefix = form if form in ("new", "edit") else "new"
    html = settings_fields(request)(kind.name, kind.default_settings(), {}, id_prefix)
    return Response(html, media_type="text/html")


def _filename(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60]
    return f"{slug or 'agenda'}.toml"


@requires_login
async def agenda_export(request: Request) -> Response:
    """The whole agenda as a TOML file."""
    session, _programme = await session_or_404(request)
    items = await store(request).agenda.items(session.id)
    text = agenda_toml.dump([item.fields() for item in items])
    return Response(
        text,
        media_type="application/toml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(session.title)}"'},
    )


@requires_login
async def agenda_import(request: Request) -> Response:
    """Replace the agenda with a TOML file's; a bad file changes nothing."""
    session, programme = await session_or_404(request)
    form = await request.form()
    upload = form.get("file")
    data = b""
    if upload is not None and not isinstance(upload, str):
        data = await upload.read(IMPORT_MAX_BYTES + 1)
    try:
        if not data:
            raise ValueError(Message("Choose a TOML file to import."))
        if len(data) > IMPORT_MAX_BYTES:
            raise ValueError(
                Message("The file is larger than %(kb)d KB.", kb=IMPORT_MAX_BYTES // 1024)
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(Message("The file is not UTF-8 text.")) from exc
        items = agenda_toml.load(text, services(request).kinds)
    except (ValueError, agenda_toml.AgendaFileError) as exc:
        message = exc.args[0] if isinstance(exc, ValueError) else exc
        return await editor_response(
            request, session, programme, status_code=422, import_error=message
        )
    await services(request).live.planning.replace_agenda(session.id, items)
    if not is_htmx(request):
        return redirect(f"/sessions/{session.id}?done=imported")
    return await editor_response(
        request, session, programme, notice=Message("Imported %(count)d items.", count=len(items))
    )
