"""The contract every registered exercise kind keeps (loops over the registry)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from workshop import forms
from workshop.app import _template_dirs, kind_registry
from workshop.i18n import language
from workshop.kinds import BLOCKS, ExerciseKind, KindRegistry
from workshop.settings import Settings
from workshop.templating import environment

SETTINGS = Settings()
REGISTRY = kind_registry(SETTINGS.plugins)
KINDS = list(REGISTRY)
ENV = environment(_template_dirs(SETTINGS.plugins))
METHODS = [
    name
    for name, member in inspect.getmembers(ExerciseKind, inspect.isfunction)
    if not name.startswith("_")
]


def test_the_built_in_kinds_are_registered() -> None:
    assert "open_text" in REGISTRY


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_kind_implements_the_interface(kind: ExerciseKind) -> None:
    assert isinstance(kind, ExerciseKind)
    assert kind.name.isidentifier()
    for name in METHODS:
        method = getattr(kind, name)
        assert method.__doc__, f"{kind.name}.{name} has no docstring"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_kind_template_has_every_block(kind: ExerciseKind) -> None:
    template = ENV.get_template(kind.template)
    missing = [b for b in BLOCKS if b not in template.blocks]
    assert not missing, f"{kind.template} lacks blocks {missing}"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_kind_label_is_translated(kind: ExerciseKind) -> None:
    from workshop.i18n import gettext

    with language("nb"):
        assert gettext(kind.label) != kind.label or kind.label == "", kind.label


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_defaults_render_in_the_settings_form(kind: ExerciseKind) -> None:
    template = ENV.get_template(kind.template)
    ctx = template.new_context(
        {
            "settings": kind.default_settings(),
            "errors": {},
            "prefix": "settings.",
            "id_prefix": "edit",
            "csrf_token": "",
        }
    )
    html = "".join(template.blocks["settings_form"](ctx))
    assert 'name="settings.' in html
    ids = re.findall(r'\bid="([^"]*)"', html)
    assert ids and all(i.startswith("edit-") for i in ids), ids


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_unknown_settings_are_refused(kind: ExerciseKind) -> None:
    with pytest.raises(forms.Invalid) as caught:
        kind.validate_settings({**kind.default_settings(), "no_such_setting": 1})
    assert "no_such_setting" in caught.value.errors


def test_registry_refuses_duplicates_and_non_kinds() -> None:
    registry = KindRegistry()
    registry.add(KINDS[0])
    with pytest.raises(ValueError):
        registry.add(KINDS[0])
    with pytest.raises(TypeError):
        registry.add(object())  # type: ignore[arg-type]


def test_interface_is_documented_where_defined() -> None:
    import workshop.kinds as module

    doc = module.__doc__ or ""
    for block in BLOCKS:
        assert block in doc
    assert Path(module.__file__ or "").name == "kinds.py"
