"""Jinja2 for every package: autoescaped, translated, and able to render one block.

Autoescape is on for every template whatever its file ending: Starlette's own
default covers only .html/.htm/.xml, and Samling renders SVG with participant
text in it. A page is one template with named blocks; an htmx request or a
push renders one block of it (the pattern of jinja2-fragments).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse

from workshop import clock, i18n, kinds


def environment(
    template_dirs: Iterable[Path], kind_folders: Mapping[str, Path] | None = None
) -> jinja2.Environment:
    """The templates of the packages, and each kind's under ``<kind name>/``."""
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader([str(d) for d in template_dirs])
    if kind_folders:
        kinds_loader = jinja2.PrefixLoader(
            {name: jinja2.FileSystemLoader(str(folder)) for name, folder in kind_folders.items()}
        )
        loader = jinja2.ChoiceLoader([loader, kinds_loader])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change only with a new release (a restart): no stat() per render.
        auto_reload=False,
    )
    # Jinja's newstyle gettext formats (and escapes) the parameters itself.
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        i18n.raw_gettext, i18n.raw_ngettext, newstyle=True
    )
    env.globals["languages"] = i18n.LANGUAGES
    env.globals["current_language"] = i18n.current_language
    env.globals["epoch_ms"] = clock.epoch_ms
    env.filters["mmss"] = mmss
    # Means, shares and other numbers with decimals, as the language writes them (4,0).
    env.filters["number"] = i18n.format_number
    env.filters["percent"] = i18n.format_percent
    # Dates and clock times likewise (1. desember 2026, 14:05).
    env.filters["date"] = i18n.format_date
    env.filters["time"] = i18n.format_time
    env.filters["day_time"] = i18n.format_day_time

    def block(template: str, name: str, **context: Any) -> Markup:
        """One block of another template (an exercise kind's), rendered here."""
        return Markup(render_block(env, template, name, context))  # noqa: S704  # autoescaped

    env.globals["block"] = block
    env.globals["lang_of"] = lang_of
    env.globals["is_shows_text"] = kinds.shows_text
    env.globals["is_in_groups"] = kinds.in_groups
    env.globals["has_block"] = lambda template, name: name in env.get_template(template).blocks
    return env


def render_block(env: jinja2.Environment, name: str, block: str, context: Mapping[str, Any]) -> str:
    template = env.get_template(name)
    ctx = template.new_context(dict(context))
    return "".join(template.blocks[block](ctx))


def lang_of(response: object) -> Markup:
    """` lang="nn"` for a participant's text in another language than the page's (a
    response that knows the language its phone was using), else nothing."""
    language = getattr(response, "language", "")
    if not language or language not in i18n.LANGUAGES or language == i18n.current_language():
        return Markup("")
    return Markup(f' lang="{language}"')  # noqa: S704  # one of our own language codes


def mmss(milliseconds: int | None) -> str:
    """A countdown as M:SS (rounded up, so 0:00 means time is up)."""
    if milliseconds is None:
        return ""
    seconds = max(0, -(-milliseconds // 1000))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Templates:
    """Renders pages and blocks of pages as responses."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env

    def _context(self, request: Request | None, context: Mapping[str, Any]) -> dict[str, Any]:
        base: dict[str, Any] = {"request": request}
        if request is not None:
            login = getattr(request.state, "login", None)
            base["login"] = login
            base["csrf_token"] = (
                login.csrf_token if login else getattr(request.state, "anon_csrf", "")
            )
        base.update(context)
        return base

    def render(self, name: str, context: Mapping[str, Any], request: Request | None = None) -> str:
        return self.env.get_template(name).render(self._context(request, context))

    def render_block(
        self, name: str, block: str, context: Mapping[str, Any], request: Request | None = None
    ) -> str:
        return render_block(self.env, name, block, self._context(request, context))

    def page(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        *,
        status_code: int = 200,
        block: str | None = None,
        background: BackgroundTask | None = None,
    ) -> HTMLResponse:
        """The whole page, or only ``block`` of it (for htmx)."""
        ctx = context or {}
        if block is None:
            html = self.render(name, ctx, request)
        else:
            html = self.render_block(name, block, ctx, request)
        return HTMLResponse(html, status_code=status_code, background=background)
