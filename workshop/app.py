"""The app factory: the one place that wires the packages together.

``facilitator``, ``participant`` and ``exercises`` each import ``workshop``
and never one another; ``create_app`` puts their routes, templates and
exercise kinds (with their CSS, JS, static files and translations) into one
Starlette app, and hands the role packages' views to the live core.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

import facilitator.routes
import participant.routes
from facilitator.screens import ControlView, PresenterView
from participant.view import view_of
from workshop import assets, i18n, statement
from workshop.auth import Throttle
from workshop.errors import http_exception
from workshop.guesses import WrongCodes
from workshop.hub import FACILITATORS, PRESENTER, Hub
from workshop.i18n import LanguageMiddleware
from workshop.kinds import KindRegistry
from workshop.live import Live
from workshop.origins import Origins
from workshop.qr import QrCache
from workshop.security import BodyLimit, SecurityHeaders
from workshop.services import Services
from workshop.settings import Settings
from workshop.store import Store
from workshop.templating import Templates, environment
from workshop.workers import Workers

_VENDOR = {
    "htmx": ("htmx.org", "dist"),
    "htmx-ext-ws": ("htmx-ext-ws", "dist"),
}


def kind_registry(plugins: tuple[str, ...]) -> KindRegistry:
    """A registry holding the kinds of every registering module (built-ins first); each
    kind's translations join the app's."""
    registry = KindRegistry()
    for name in plugins:
        importlib.import_module(name).register(registry)
    for kind in registry:
        i18n.add_catalog(kind.folder / "locale", kind.name)
    return registry


def template_dirs() -> list[Path]:
    """The role packages' template folders (the kinds' come from the registry)."""
    dirs = []
    for name in ("workshop", "facilitator", "participant"):
        module_file = importlib.import_module(name).__file__
        assert module_file is not None
        dirs.append(Path(module_file).parent / "templates")
    return dirs


def templates_for(kinds: KindRegistry) -> Templates:
    return Templates(environment(template_dirs(), {k.name: k.folder for k in kinds}))


def _compressed(app: ASGIApp) -> ASGIApp:
    # Only static files are compressed: pages carry CSRF tokens next to text a
    # visitor typed, which compression would let an attacker probe (BREACH).
    return GZipMiddleware(app, minimum_size=500)


def _vendor_routes(node_modules: Path) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for prefix, (package, sub) in _VENDOR.items():
        folder = node_modules / package / sub
        if not folder.is_dir():
            raise RuntimeError(
                f"{folder} is missing: install the front-end packages with `npm ci` "
                "(the README's set-up command does it)."
            )
        routes.append(Mount(f"/vendor/{prefix}", _compressed(StaticFiles(directory=folder))))
    return routes


def create_app(settings: Settings) -> Starlette:
    """Build the app on the settings' database; the store opens in the lifespan."""
    store = Store(settings.db_path)
    hub = Hub()
    workers = Workers()
    kinds = kind_registry(settings.plugins)
    templates = templates_for(kinds)
    live = Live(
        store,
        hub,
        kinds,
        view_of(templates),
        {
            PRESENTER: PresenterView(templates, settings, kinds),
            FACILITATORS: ControlView(templates, settings, kinds),
        },
        workers,
    )
    services = Services(
        settings=settings,
        store=store,
        kinds=kinds,
        templates=templates,
        live=live,
        qr=QrCache(workers),
        throttle=Throttle(),
        wrong_codes=WrongCodes(),
        origins=Origins(settings),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        services.secret = await store.accounts.secret("app", secrets.token_urlsafe(32))
        try:
            yield
        finally:
            services.trimmer.cancel()
            await live.shutdown()
            await hub.close()
            await workers.close()
            await services.exports.close()
            await store.close()

    routes: list[BaseRoute] = [
        # The phones' routes first: they are most of the requests, and matched in order.
        *participant.routes.routes,
        *facilitator.routes.routes,
        *assets.routes(kinds),
        *statement.routes,
        Mount("/static", _compressed(StaticFiles(directory=settings.static_dir)), name="static"),
        *_vendor_routes(settings.node_modules),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(BodyLimit, limit=settings.max_body_bytes),
            Middleware(LanguageMiddleware),
        ],
        exception_handlers={HTTPException: http_exception, 500: http_exception},
        lifespan=lifespan,
    )
    app.state.services = services
    return app
