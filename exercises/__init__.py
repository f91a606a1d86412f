"""Samling's built-in exercise kinds, registered as an add-on would register its own."""

from __future__ import annotations

from exercises.open_text import OpenText
from workshop.kinds import KindRegistry


def register(registry: KindRegistry) -> None:
    """Add the built-in kinds to a registry."""
    registry.add(OpenText())
