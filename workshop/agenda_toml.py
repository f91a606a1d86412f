"""A session's agenda as a TOML file: the format facilitators reuse and share.

``dump`` writes the canonical text; ``load`` reads it back, checking every item
exactly as the editor's form does, and either returns the whole agenda or
raises :class:`AgendaFileError` naming the line and field. ``dump(load(t)) == t``
for any text ``dump`` wrote.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from typing import Any

import tomli_w

from workshop.agenda import check_item
from workshop.forms import Invalid
from workshop.i18n import Message
from workshop.kinds import KindRegistry
from workshop.models import ItemFields

VERSION = 1
MAX_ITEMS = 200
ITEM_KEYS = ("title", "start", "duration", "kind", "notes", "exercise", "settings")


class AgendaFileError(Exception):
    """A file that cannot be imported; ``line`` and ``field`` say where."""

    def __init__(self, message: Message, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field

    def __str__(self) -> str:
        if self.line is not None and self.field:
            return str(
                Message(
                    "Line %(line)d, %(field)s: %(problem)s",
                    line=self.line,
                    field=self.field,
                    problem=str(self.message),
                )
            )
        if self.line is not None:
            return str(
                Message("Line %(line)d: %(problem)s", line=self.line, problem=str(self.message))
            )
        if self.field:
            return str(
                Message("%(field)s: %(problem)s", field=self.field, problem=str(self.message))
            )
        return str(self.message)


def dump(items: Sequence[ItemFields]) -> str:
    """The canonical TOML text of an agenda."""
    tables: list[dict[str, Any]] = []
    for item in items:
        table: dict[str, Any] = {"title": item.title}
        if item.start is not None:
            table["start"] = item.start.strftime("%H:%M")
        table["duration"] = item.duration_min
        table["kind"] = item.kind
        if item.notes:
            table["notes"] = item.notes
        if item.exercise_kind:
            table["exercise"] = item.exercise_kind
            table["settings"] = dict(item.settings)
        tables.append(table)
    return tomli_w.dumps({"samling_agenda": VERSION, "item": tables}, multiline_strings=True)


def load(text: str, kinds: KindRegistry) -> list[ItemFields]:
    """Every item of a TOML agenda, checked; raise AgendaFileError at the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(found[1]) if found else getattr(exc, "lineno", None)
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise AgendaFileError(
            Message("This is not valid TOML (%(detail)s).", detail=detail), line
        ) from exc
    locate = _Locator(text)
    for key in data:
        if key not in ("samling_agenda", "item"):
            raise AgendaFileError(Message("Unknown key."), locate.top(key), key)
    if data.get("samling_agenda") != VERSION:
        raise AgendaFileError(
            Message("The file must start with samling_agenda = %(version)d.", version=VERSION),
            locate.top("samling_agenda"),
            "samling_agenda",
        )
    tables = data.get("item", [])
    if not isinstance(tables, list):
        raise AgendaFileError(
            Message("Write each item as an [[item]] table."), locate.top("item"), "item"
        )
    if len(tables) > MAX_ITEMS:
        raise AgendaFileError(Message("An agenda holds at most %(max)d items.", max=MAX_ITEMS))
    items: list[ItemFields] = []
    for index, table in enumerate(tables):
        name = f"item[{index + 1}]"
        if not isinstance(table, dict):
            raise AgendaFileError(
                Message("Write each item as an [[item]] table."), locate.item(index), name
            )
        problems: dict[str, Message] = {
            key: Message("Unknown key.") for key in table if key not in ITEM_KEYS
        }
        settings = table.get("settings")
        if settings is not None and not isinstance(settings, dict):
            problems["settings"] = Message("Write the settings as an [item.settings] table.")
            settings = None
        if not problems:
            raw = {k: v for k, v in table.items() if k != "settings"}
            try:
                items.append(check_item(raw, settings, kinds))
            except Invalid as exc:
                problems = exc.errors
        if problems:
            where = sorted((locate.field(index, key), key) for key in problems)
            line, key = where[0]
            raise AgendaFileError(problems[key], line, f"{name}.{key}")
    return items


class _Locator:
    """Finds the line of a key in the source text, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [
            n for n, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*item\s*\]\]", line)
        ]

    def _key_line(self, key: str, start: int, end: int) -> int | None:
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for n in range(start, end):
            if pattern.match(self.lines[n]):
                return n + 1
        return None

    def top(self, key: str) -> int | None:
        end = self.headers[0] if self.headers else len(self.lines)
        return self._key_line(key, 0, end) or (1 if self.lines else None)

    def item(self, index: int) -> int | None:
        return self.headers[index] + 1 if index < len(self.headers) else None

    def field(self, index: int, key: str) -> int:
        """The line of ``key`` ("duration" or "settings.question") in item ``index``."""
        if index >= len(self.headers):
            return 0
        start = self.headers[index]
        end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
        if key.startswith("settings."):
            sub = key.removeprefix("settings.")
            for n in range(start, end):
                if re.match(r"\s*\[\s*item\s*\.\s*settings\s*\]", self.lines[n]):
                    return self._key_line(sub, n + 1, end) or n + 1
            return self._key_line("settings", start, end) or start + 1
        return self._key_line(key, start + 1, end) or start + 1
