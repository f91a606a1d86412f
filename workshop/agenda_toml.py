"""A session's agenda as a TOML file: the format facilitators reuse and share.

``dump`` writes the canonical text; ``load`` reads it back, checking every item
exactly as the editor's form does (:func:`workshop.agenda.check_item`), and
either returns the whole agenda or raises :class:`AgendaFileError` naming the
line and the field. ``dump(load(t)) == t`` for any text ``dump`` wrote.

The format::

    samling_agenda = 1

    [[item]]
    title = "Forventninger"
    start = "09:00"          # left out when the item follows the one before
    duration = 30            # minutes
    kind = "exercise"        # talk | break | exercise
    notes = "..."            # left out when empty
    exercise = "open_text"   # exercises only

    [item.settings]          # exercises only: the kind's own settings
    question = "..."
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import tomli_w

from workshop.agenda import check_item
from workshop.forms import Invalid
from workshop.i18n import Message
from workshop.kinds import KindRegistry
from workshop.models import ITEM_KINDS, ItemFields

VERSION = 1
MAX_ITEMS = 200
#: Lists and inline tables inside one another, and the parts of one dotted key (an
#: agenda needs two and three: roles = [{...}], [item.settings.phases]). More are refused
#: before parsing: the parser recurses once per level, and slows with the square of a
#: key's parts.
MAX_NESTING = 20
TOP_KEYS = ("samling_agenda", "item")
ITEM_KEYS = ("title", "start", "duration", "kind", "notes", "exercise", "settings")
_EXERCISE_ONLY = ("exercise", "settings")

KeyPath = tuple[str, ...]


class AgendaFileError(Exception):
    """A file that cannot be imported; ``line`` (1-based) and ``field`` say where."""

    def __init__(self, message: Message, line: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field

    def __str__(self) -> str:
        problem = str(self.message)
        if self.line is not None and self.field:
            return str(
                Message(
                    "Line %(line)d, %(field)s: %(problem)s",
                    line=self.line,
                    field=self.field,
                    problem=problem,
                )
            )
        if self.line is not None:
            return str(Message("Line %(line)d: %(problem)s", line=self.line, problem=problem))
        if self.field:
            return str(Message("%(field)s: %(problem)s", field=self.field, problem=problem))
        return problem


def dump(items: Sequence[ItemFields]) -> str:
    """The canonical TOML text of an agenda (of checked items, as ``load`` returns them)."""
    parts = [tomli_w.dumps({"samling_agenda": VERSION})]
    for item in items:
        table: dict[str, Any] = {"title": item.title}
        if item.start is not None:
            table["start"] = item.start.strftime("%H:%M")
        table["duration"] = item.duration_min
        table["kind"] = item.kind
        if item.notes:
            table["notes"] = item.notes
        if item.exercise_kind is not None:
            table["exercise"] = item.exercise_kind
        # Written table by table rather than as one document: given a list of
        # short tables, tomli_w would pick an inline array over [[item]].
        parts.append("\n[[item]]\n" + tomli_w.dumps(table, multiline_strings=True))
        if item.settings:
            # A mapping always becomes a table, so nested settings get their
            # [item.settings.*] headers and the item's header is not repeated.
            settings = {"item": {"settings": dict(item.settings)}}
            parts.append("\n" + tomli_w.dumps(settings, multiline_strings=True))
    return "".join(parts)


def load(text: str, kinds: KindRegistry) -> list[ItemFields]:
    """Every item of a TOML agenda, checked; raise AgendaFileError at the first problem.

    The first problem is the one nearest the top of the file. Nothing is
    returned unless every item is valid.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors save
    deep = _too_deep(text)
    if deep is not None:
        raise AgendaFileError(
            Message(
                "Lists, tables or keys are nested too deeply (at most %(max)d levels).",
                max=MAX_NESTING,
            ),
            deep,
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, text) from exc
    where = _Locator(text)

    version = data.get("samling_agenda")
    if "samling_agenda" not in data:
        raise AgendaFileError(
            Message("The file must start with samling_agenda = %(version)d.", version=VERSION),
            None,
            "samling_agenda",
        )
    if type(version) is not int or version != VERSION:  # true and 1.0 are not 1
        raise AgendaFileError(
            Message("The file must start with samling_agenda = %(version)d.", version=VERSION),
            where.top(("samling_agenda",)),
            "samling_agenda",
        )
    unknown = [key for key in data if key not in TOP_KEYS]
    if unknown:
        key = min(unknown, key=lambda k: where.top((k,)) or 0)
        raise AgendaFileError(Message("Unknown key."), where.top((key,)), key)

    tables = data.get("item", [])
    if not isinstance(tables, list):
        raise AgendaFileError(
            Message("Write each item as an [[item]] table."), where.top(("item",)), "item"
        )
    if len(tables) > MAX_ITEMS:
        raise AgendaFileError(
            Message("An agenda holds at most %(max)d items.", max=MAX_ITEMS),
            where.item(MAX_ITEMS),
            f"item[{MAX_ITEMS + 1}]",
        )
    return [_item(index, table, kinds, where) for index, table in enumerate(tables)]


def _item(index: int, table: object, kinds: KindRegistry, where: _Locator) -> ItemFields:
    """Check item ``index`` (0-based) of the file, or raise for its first problem."""
    name = f"item[{index + 1}]"
    if not isinstance(table, dict):
        raise AgendaFileError(
            Message("Write each item as an [[item]] table."), where.item(index), name
        )
    problems: dict[str, Message] = {
        key: Message("Unknown key.") for key in table if key not in ITEM_KEYS
    }
    kind = table.get("kind") or "talk"
    if kind in ITEM_KINDS and kind != "exercise":
        # Dropping them silently would lose an exercise that was switched off
        # by changing its kind; say so instead.
        for key in _EXERCISE_ONLY:
            if key in table:
                problems[key] = Message('Only an item of kind "exercise" has this key.')
    if kind == "exercise" and "exercise" not in table:
        problems["exercise"] = Message("Required.")
    settings = table.get("settings")
    if settings is not None and not isinstance(settings, dict):
        problems["settings"] = Message("Write the settings as an [item.settings] table.")
        settings = None
    raw = {key: value for key, value in table.items() if key != "settings"}
    try:
        checked: ItemFields | None = check_item(raw, settings, kinds)
    except Invalid as exc:
        checked = None
        for key, message in exc.errors.items():
            problems.setdefault(key, message)  # on one line, the file's own problem first
    if checked is not None and not problems:
        return checked
    assert problems, "check_item raised Invalid without errors"
    # In the file's order; a missing key has no line of its own, so it counts
    # as coming after the item's written keys (a typo is named before the
    # "Required." it causes).
    found = {key: where.field(index, _path(key, table)) for key in problems}
    first = min(problems, key=lambda key: (not found[key][1], found[key][0] or 0))
    raise AgendaFileError(problems[first], found[first][0], f"{name}.{first}")


def _path(key: str, table: Mapping[str, object]) -> KeyPath:
    """The key path of an error's key: "settings.question" is a key of the settings table."""
    return (key,) if key in table else tuple(key.split("."))


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str) -> AgendaFileError:
    """The parser's complaint with its line; tomllib only says it in English."""
    detail = str(exc)
    line: int | None = getattr(exc, "lineno", None)  # Python 3.14 and later
    found = re.search(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$", detail)
    if found:
        detail = detail[: found.start()]
        if line is None:
            line = int(found[1]) if found[1] else text.rstrip("\r\n").count("\n") + 1
    detail = getattr(exc, "msg", detail)
    return AgendaFileError(Message("This is not valid TOML (%(detail)s).", detail=detail), line)


# Finding lines. tomllib keeps no positions, so the locator reads the (already
# valid) text again: it follows table headers and keys, skipping the insides
# of strings and multi-line arrays, and notes the first line of every key path.

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_ARRAY_HEADER = re.compile(rf"\s*\[\[\s*({_DOTTED})\s*\]\]")
_TABLE_HEADER = re.compile(rf"\s*\[\s*({_DOTTED})\s*\]")
_KEY = re.compile(rf"\s*({_DOTTED})\s*=")
_PART = re.compile(_KEY_PART)


def _key_path(dotted: str) -> KeyPath:
    parts: list[str] = []
    for part in _PART.findall(dotted):
        if part[0] in "\"'":
            # Let the TOML parser undo the quoting and escapes.
            (key,) = tomllib.loads(f"{part} = 0")
            parts.append(key)
        else:
            parts.append(part)
    return tuple(parts)


def _statement_lines(text: str) -> Iterator[tuple[int, str]]:
    """(number, line) of each line that starts a statement, not inside a string or array."""
    multiline: str | None = None  # the delimiter of the multi-line string that is open
    depth = 0  # open [ and { outside strings
    # Lines as TOML counts them: str.splitlines would also split at U+2028 and
    # other characters a string may hold, and put every later line off by one.
    for number, line in enumerate(text.split("\n"), 1):
        if multiline is None and depth == 0:
            yield number, line
        multiline, depth, _deepest, _dots = _scan(line, multiline, depth)


def _too_deep(text: str) -> int | None:
    """The first line where lists and inline tables nest, or a dotted key has parts, past
    MAX_NESTING, if there is one (read before parsing: the text may not be valid TOML)."""
    multiline: str | None = None
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        multiline, depth, deepest, dots = _scan(line, multiline, depth)
        if deepest > MAX_NESTING or dots >= MAX_NESTING:
            return number
    return None


class _Scanned(NamedTuple):
    multiline: str | None  # the delimiter of the multi-line string still open
    depth: int  # [ and { open outside strings
    deepest: int  # the most of them open at once on the line
    dots: int  # the most dots joining the parts of one dotted key on the line


def _scan(line: str, multiline: str | None, depth: int) -> _Scanned:
    """The string and bracket state at the end of ``line``, given the state at its start,
    and how deep the line nests."""
    i, n = 0, len(line)
    deepest = depth
    run = dots = 0  # the dots of the dotted key being read; the most of any
    while i < n:
        if multiline is not None:
            end = _close(line, i, multiline)
            if end is None:
                return _Scanned(multiline, depth, deepest, dots)
            i, multiline = end, None
            continue
        char = line[i]
        if char == "#":
            break
        if line.startswith(('"""', "'''"), i):
            multiline, i, run = line[i : i + 3], i + 3, 0
        elif char in "\"'":  # a quoted key part, or a string value
            end = _close(line, i + 1, char)
            i = end if end is not None else n
        else:
            if char == ".":
                run += 1
                dots = max(dots, run)
            elif not (char.isalnum() or char in "_- \t"):
                run = 0
            depth += (char in "[{") - (char in "]}")
            deepest = max(deepest, depth)
            i += 1
    return _Scanned(multiline, depth, deepest, dots)


def _close(line: str, start: int, delimiter: str) -> int | None:
    """Where the string opened with ``delimiter`` ends in ``line`` (after it), if it does."""
    i = start
    while i < len(line):
        if line[i] == "\\" and delimiter[0] == '"':
            i += 2
        elif line.startswith(delimiter, i):
            i += len(delimiter)
            # A multi-line string may end with one or two quotes of its own: """a"""".
            while len(delimiter) == 3 and i < len(line) and line[i] == delimiter[0]:
                i += 1
            return i
        else:
            i += 1
    return None


class _Locator:
    """The line of each key path: at the top level, and within each [[item]]."""

    def __init__(self, text: str) -> None:
        self._top: dict[KeyPath, int] = {}
        # Per item: key path -> (line, whether it is a key = value line, whose value
        # holds any keys below it, as an inline table does; else a table header).
        self._items: list[dict[KeyPath, tuple[int, bool]]] = []
        self._headers: list[int] = []
        table: KeyPath = ()
        for number, line in _statement_lines(text):
            if match := _ARRAY_HEADER.match(line):
                table = _key_path(match[1])
                if table == ("item",):
                    self._headers.append(number)
                    self._items.append({})
                self._note(table, number, is_key=False)
            elif match := _TABLE_HEADER.match(line):
                table = _key_path(match[1])
                self._note(table, number, is_key=False)
            elif match := _KEY.match(line):
                self._note(table + _key_path(match[1]), number, is_key=True)

    def _note(self, path: KeyPath, number: int, *, is_key: bool) -> None:
        if path[:1] == ("item",) and len(path) > 1 and self._items:
            self._items[-1].setdefault(path[1:], (number, is_key))
        else:
            self._top.setdefault(path[:1], number)

    def top(self, path: KeyPath) -> int | None:
        """The line of a top-level key (or table)."""
        return self._top.get(path)

    def item(self, index: int) -> int | None:
        """The line of item ``index``'s [[item]] header (else of the item key)."""
        return self._headers[index] if index < len(self._headers) else self.top(("item",))

    def field(self, index: int, path: KeyPath) -> tuple[int | None, bool]:
        """The line of ``path`` (("duration",) or ("settings", "question")) in item
        ``index``, and whether the key itself was found there.

        Else the line of its nearest enclosing table or key: a settings key
        written inline is on the settings line, a missing key on the item's header.
        """
        keys = self._items[index] if index < len(self._items) else {}
        for end in range(len(path), 0, -1):
            if path[:end] in keys:
                line, is_key = keys[path[:end]]
                return line, is_key or end == len(path)
        return self.item(index), False
