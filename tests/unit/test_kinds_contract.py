"""The contract every registered exercise kind keeps (loops over the registry).

Every kind implements the interface with documented methods and actions; its
template has the blocks its declarations need, and every other block it has is
one the core documents or one its own actions or template use; its label is
translated; its CSS, JS and static files are served; and every block a role
renders is documented where the interface is defined.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import cast

import pytest

import workshop.kinds as interface
from workshop import assets, forms
from workshop.app import kind_registry, templates_for
from workshop.i18n import gettext, language
from workshop.kinds import (
    ALL_BLOCKS,
    BLOCKS,
    REGIONS,
    ExerciseKind,
    FollowsThePhone,
    KindRegistry,
    follows_the_phone,
    required_blocks,
    tabulated,
)
from workshop.settings import Settings
from workshop.summary import (
    BarChart,
    CloudChart,
    Entries,
    Paragraph,
    Part,
    Prompt,
    RadarChart,
    SummaryContext,
    Table,
)

ROOT = Path(__file__).resolve().parents[2]
ELEMENTS = (Prompt, Paragraph, Entries, Table, BarChart, RadarChart, CloudChart, Part)
SETTINGS = Settings()
#: The built-in kinds, and the test-only add-on's (it keeps the same contract).
REGISTRY = kind_registry((*SETTINGS.plugins, "tests.addon"))
KINDS = list(REGISTRY)
ENV = templates_for(REGISTRY).env
METHODS = [
    name
    for name, member in inspect.getmembers(ExerciseKind, inspect.isfunction)
    if not name.startswith("_")
]


def test_the_built_in_kinds_are_registered() -> None:
    assert {"open_text", "word_cloud", "choice", "scale", "points", "qa", "group_work"} <= set(
        REGISTRY.names()
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_kind_implements_the_interface(kind: ExerciseKind) -> None:
    assert isinstance(kind, ExerciseKind)
    assert kind.name.isidentifier()
    assert kind.phones_see in ("nothing", "room", "group")
    for name in METHODS:
        method = getattr(kind, name)
        assert method.__doc__, f"{kind.name}.{name} has no docstring"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_action_is_documented_and_names_what_it_shows(kind: ExerciseKind) -> None:
    template = ENV.get_template(kind.template)
    for name, action in kind.phone_actions().items():
        assert re.fullmatch(r"[a-z_.]+", name), name
        assert action.handle.__doc__, f"{kind.name}: phone action {name} has no docstring"
        for shown in action.shows:
            assert shown in REGIONS or shown in template.blocks, (kind.name, name, shown)
    for name, action in kind.facilitator_actions().items():
        assert re.fullmatch(r"[a-z_.]+", name), name
        assert action.handle.__doc__, f"{kind.name}: facilitator action {name} has no docstring"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_kind_template_has_the_blocks_it_needs_and_no_undocumented_ones(
    kind: ExerciseKind,
) -> None:
    template = ENV.get_template(kind.template)
    missing = [b for b in required_blocks(kind) if b not in template.blocks]
    assert not missing, f"{kind.template} lacks blocks {missing}"
    source = (kind.folder / kind.template.split("/", 1)[1]).read_text(encoding="utf-8")
    shown = {s for action in kind.phone_actions().values() for s in action.shows}
    if follows_the_phone(kind):  # the phone's own files may be blocks of the template
        files = cast(FollowsThePhone, kind).own_files().values()
        shown |= {f.block for f in files if f.block is not None}
    for block in template.blocks:
        if block in ALL_BLOCKS or block in shown:
            continue
        # A block of its own, rendered by its own template (self.x(), or by name).
        assert f"self.{block}()" in source or f'"{block}"' in source, (
            f"{kind.template}: block {block} is neither one the core renders nor used by the kind"
        )


def test_every_block_a_role_renders_is_documented_where_the_interface_is() -> None:
    doc = interface.__doc__ or ""
    for block in ALL_BLOCKS:
        assert f"``{block}``" in doc, block
    for region in REGIONS:
        assert f"``{region}``" in doc, region
    assert set(BLOCKS) <= set(ALL_BLOCKS)
    assert Path(interface.__file__ or "").name == "kinds.py"


def test_the_roles_render_only_documented_kind_blocks() -> None:
    """Every block(kind.template, "x") in the role packages' templates is documented."""
    used = set()
    for package in ("workshop", "facilitator", "participant"):
        for path in (ROOT / package / "templates").rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r"block\((?:state\.)?kind\.template, \"(\w+)\"", text))
            used |= set(re.findall(r"has_block\((?:state\.)?kind\.template, \"(\w+)\"", text))
    assert used, "no kind block found in the role templates"
    assert used <= set(ALL_BLOCKS), used - set(ALL_BLOCKS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_kinds_summary_is_elements_and_its_template_has_none(kind: ExerciseKind) -> None:
    """Every format renders the elements: a kind's template has no summary of its own."""
    elements = kind.summary(kind.default_settings(), [], None, SummaryContext())
    assert elements and all(isinstance(e, ELEMENTS) for e in elements), elements
    assert "summary" not in ENV.get_template(kind.template).blocks
    if tabulated(kind):
        settings = kind.default_settings()
        assert len(kind.cells(settings, {})) == len(kind.columns(settings))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_kind_label_is_translated(kind: ExerciseKind) -> None:
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


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_kinds_css_js_and_static_files_are_its_folders(kind: ExerciseKind) -> None:
    css = kind.folder / f"{kind.name}.css"
    js = kind.folder / f"{kind.name}.js"
    bundled = {p.name for p in (css, js) if p.is_file()}
    assert css.is_file(), f"{kind.name} has no stylesheet of its own"
    files = assets.files_of(REGISTRY)
    for (owner, name), path in files.items():
        if owner == kind.name:
            assert path.is_file(), (owner, name)
    assert bundled


def test_the_kinds_files_are_bundled_and_served_in_order(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from workshop.app import create_app

    settings = Settings(db_path=tmp_path / "s.db", plugins=(*SETTINGS.plugins, "tests.addon"))
    with TestClient(create_app(settings)) as client:
        css = client.get("/kinds.css")
        js = client.get("/kinds.js")
        font = client.get("/kinds/word_cloud/cloud.ttf")
        missing = client.get("/kinds/word_cloud/../../pyproject.toml")
        unknown = client.get("/kinds/word_cloud/nothing.ttf")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ".cloud text" in css.text and ".qa-list" in css.text
    assert css.text.index("/* open_text */") < css.text.index("/* group_work */")
    assert css.text.index("/* group_work */") < css.text.index("/* relay */")
    assert "window.Samling" in js.text and "data-budget" in js.text
    assert font.status_code == 200 and len(font.content) > 10_000
    assert missing.status_code == 404 and unknown.status_code == 404


def test_registry_refuses_duplicates_and_non_kinds() -> None:
    registry = KindRegistry()
    registry.add(KINDS[0])
    with pytest.raises(ValueError):
        registry.add(KINDS[0])
    with pytest.raises(TypeError):
        registry.add(object())  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_kinds_versions_and_files_keep_their_contract(kind: ExerciseKind) -> None:
    """A Drafted kind names a thread for any settings; a kind's files for the facilitator
    render in the export worker (a module-level function: picklable), under a name a
    download header carries as it is, and a kind kept private makes none."""
    import pickle

    from workshop.kinds import drafted, kept_private, serves_facilitator_files

    if drafted(kind):
        assert isinstance(kind.thread(kind.default_settings()), str)
        assert inspect.getdoc(kind.thread)
    if not serves_facilitator_files(kind):
        return
    assert not kept_private(kind), f"{kind.name} is private: no file of it for a facilitator"
    files = kind.facilitator_files()
    assert files and inspect.getdoc(kind.facilitator_files)
    for name, made in files.items():
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name), name
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", made.filename), made.filename
        assert made.media_type and "/" in made.media_type
        assert pickle.loads(pickle.dumps(made.render)) is made.render
        if made.label:
            with language("nb"):
                assert gettext(made.label) != made.label, f"{kind.name}: {made.label!r}"


def test_the_interface_documents_versions_and_files() -> None:
    doc = interface.__doc__ or ""
    for name in ("Drafted", "ServesFacilitatorFiles", "SaveDraft", "/files/<name>"):
        assert name in doc, name
