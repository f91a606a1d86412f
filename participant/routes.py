"""The participant's routes (the live loop adds joining and the live page)."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
