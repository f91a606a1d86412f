"""A test-only add-on: one exercise kind, registered the way any add-on would be.

Switched on with ``SAMLING_PLUGINS=exercises,tests.addon``. Nothing outside
this package knows of it: the browser test ``tests/browser/test_addon_kind.py``
shows it working end to end (editor, TOML file, a phone action, a push to its
group, the presenter and the control panel, its CSS, JS, static file and
translations).
"""

from __future__ import annotations

from tests.addon.relay import Relay
from workshop.kinds import KindRegistry


def register(registry: KindRegistry) -> None:
    """Add the relay kind."""
    registry.add(Relay())
