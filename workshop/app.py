"""The app factory: the one place that wires the packages together.

``facilitator``, ``participant`` and ``exercises`` each import ``workshop``
and never one another; ``create_app`` puts their routes, templates and
exercise kinds into one Starlette app.
"""

from __future__ import annotations

import importlib
import os
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
from exercises import word_cloud
from facilitator.screens import ControlView, PresenterView
from participant.join import WrongCodes
from participant.view import PhoneView
from workshop.auth import Throttle
from workshop.errors import http_exception
from workshop.hub import FACILITATORS, PHONES, PRESENTER, Hub
from workshop.i18n import LanguageMiddleware
from workshop.kinds import KindRegistry
from workshop.live import LiveLoop
from workshop.qr import QrCache
from workshop.security import BodyLimit, SecurityHeaders
from workshop.settings import Settings
from workshop.store import Store
from workshop.templating import Templates, environment
from workshop.workers import Workers

_VENDOR = {
    "htmx": ("htmx.org", "dist"),
    "htmx-ext-ws": ("htmx-ext-ws", "dist"),
}


def kind_registry(plugins: tuple[str, ...]) -> KindRegistry:
    """A registry holding the kinds of every registering module (built-ins first)."""
    registry = KindRegistry()
    for name in plugins:
        importlib.import_module(name).register(registry)
    return registry


def _template_dirs(plugins: tuple[str, ...]) -> list[Path]:
    packages = ["workshop", "facilitator", "participant", *plugins]
    dirs = []
    for name in dict.fromkeys(packages):
        module_file = importlib.import_module(name).__file__
        assert module_file is not None
        folder = Path(module_file).parent / "templates"
        if folder.is_dir():
            dirs.append(folder)
    return dirs


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


class _OneFile(StaticFiles):
    """Static files that serve exactly one file of a folder, under a name of ours."""

    def __init__(self, name: str, file: Path) -> None:
        super().__init__(directory=file.parent)
        self.name = name
        self.file = file

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if path != self.name:
            return "", None
        return super().lookup_path(self.file.name)


def _cloud_font_mount() -> Mount:
    """The word cloud's font, served by us: the layout measured with it."""
    font = _OneFile("cloud.ttf", Path(word_cloud.font_path()))
    return Mount("/static/fonts", _compressed(font))


def create_app(settings: Settings) -> Starlette:
    """Build the app on the settings' database; the store opens in the lifespan."""
    store = Store(settings.db_path)
    hub = Hub()
    workers = Workers()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        app.state.secret = await store.accounts.secret("app", secrets.token_urlsafe(32))
        try:
            yield
        finally:
            await live.shutdown()
            await hub.close()
            workers.close()
            await store.close()

    routes: list[BaseRoute] = [
        *facilitator.routes.routes,
        *participant.routes.routes,
        _cloud_font_mount(),
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
    app.state.settings = settings
    app.state.store = store
    app.state.kinds = kind_registry(settings.plugins)
    templates = Templates(environment(_template_dirs(settings.plugins)))
    app.state.templates = templates
    app.state.throttle = Throttle()
    app.state.wrong_codes = WrongCodes()
    app.state.qr = QrCache(workers)
    live = LiveLoop(store, hub, app.state.kinds, workers)
    live.register(PHONES, PhoneView(templates))
    live.register(PRESENTER, PresenterView(templates, settings))
    live.register(FACILITATORS, ControlView(templates, settings))
    app.state.live = live
    return app
