"""The packages depend inward, and only the store talks to SQLite."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTER = ("facilitator", "participant", "exercises")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("package", OUTER)
def test_outer_packages_import_only_the_core(package: str) -> None:
    others = set(OUTER) - {package}
    for path in (ROOT / package).rglob("*.py"):
        wrong = _top(_imports(path)) & others
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_the_core_does_not_import_the_outer_packages_except_the_app_factory() -> None:
    for path in (ROOT / "workshop").rglob("*.py"):
        if path.name == "app.py":
            continue
        wrong = _top(_imports(path)) & set(OUTER)
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_only_the_store_imports_aiosqlite() -> None:
    users = [
        str(path.relative_to(ROOT))
        for package in ("workshop", *OUTER, "tests", "bench")
        for path in (ROOT / package).rglob("*.py")
        if "aiosqlite" in _top(_imports(path))
    ] + (["run.py"] if "aiosqlite" in _top(_imports(ROOT / "run.py")) else [])
    assert users == ["workshop/store/db.py"]


def test_exercise_kinds_are_pure() -> None:
    banned = {"starlette", "aiosqlite", "workshop.store", "workshop.app", "workshop.auth"}
    for path in (ROOT / "exercises").rglob("*.py"):
        imports = _imports(path)
        wrong = {name for name in imports if name in banned or _top({name}) & banned}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"
