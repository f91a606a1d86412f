"""Checking what people type: lengths, characters, numbers, times and dates.

Each check either returns the clean value or raises :class:`Invalid` with a
translated message per field, so a form shows every error at once and a TOML
import can name the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

from workshop.i18n import Message

# Control characters other than tab and newline have no place in anything typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


class Invalid(Exception):
    """Input that was refused, with one message per field."""

    def __init__(self, errors: Mapping[str, Message]) -> None:
        super().__init__(dict(errors))
        self.errors: dict[str, Message] = dict(errors)


def text(
    raw: object,
    *,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """Clean text: trimmed, NFC, no control characters, within max_length characters."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise ValueError(Message("Must be text."))
    value = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if _CONTROL.search(value) or (not multiline and ("\n" in value or "\t" in value)):
        raise ValueError(Message("Contains characters that are not allowed."))
    if required and not value:
        raise ValueError(Message("Required."))
    if len(value) > max_length:
        raise ValueError(Message("At most %(max)d characters.", max=max_length))
    return value


def integer(raw: object, *, minimum: int, maximum: int, default: int | None = None) -> int:
    """A whole number within [minimum, maximum]; blank means default when there is one."""
    if isinstance(raw, bool):
        raise ValueError(Message("Must be a whole number."))
    if raw is None or raw == "":
        if default is None:
            raise ValueError(Message("Required."))
        return default
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", raw):
        value = int(raw)
    else:
        raise ValueError(Message("Must be a whole number."))
    if not minimum <= value <= maximum:
        raise ValueError(Message("Must be between %(min)d and %(max)d.", min=minimum, max=maximum))
    return value


def clock_time(raw: object) -> dt.time | None:
    """A time of day written HH:MM (blank is None)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.time):
        return raw.replace(second=0, microsecond=0)
    if isinstance(raw, str):
        match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*", raw)
        if match:
            return dt.time(int(match[1]), int(match[2]))
    raise ValueError(Message("Write the time as HH:MM, for example 08:30."))


def date(raw: object) -> dt.date | None:
    """A date written YYYY-MM-DD (blank is None)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise ValueError(Message("Write the date as YYYY-MM-DD, for example 2027-03-14."))


def lines(raw: object, *, min_items: int, max_items: int, max_length: int) -> list[str]:
    """A list of short texts: a TOML array, or one per line from a form's text area.

    Blank lines are skipped; two entries that differ only in case are refused.
    """
    if raw is None:
        raw = []
    if isinstance(raw, str):
        raw = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not isinstance(raw, list | tuple):
        raise ValueError(Message("Must be a list of texts."))
    values: list[str] = []
    for entry in raw:
        if not isinstance(entry, str):
            raise ValueError(Message("Must be a list of texts."))
        try:
            value = text(entry, max_length=max_length)
        except ValueError as exc:
            message = exc.args[0]
            raise ValueError(
                Message("%(entry)s: %(problem)s", entry=entry[:40], problem=message)
            ) from None
        if value:
            values.append(value)
    if not min_items <= len(values) <= max_items:
        raise ValueError(
            Message("Give between %(min)d and %(max)d, one per line.", min=min_items, max=max_items)
        )
    seen: set[str] = set()
    for value in values:
        if value.casefold() in seen:
            raise ValueError(Message("%(entry)s is there twice.", entry=value))
        seen.add(value.casefold())
    return values


def flag(raw: object) -> bool:
    """Yes or no: a TOML boolean, or a form's checkbox (sent only when ticked)."""
    if isinstance(raw, bool):
        return raw
    if raw is None or raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ValueError(Message("Must be yes or no."))


def choice(raw: object, options: tuple[str, ...]) -> str:
    if isinstance(raw, str) and raw in options:
        return raw
    raise ValueError(Message("Choose one of the options."))


T = TypeVar("T")


def name_key(name: str) -> str:
    """How two names are compared (a typed name with a pasted one, two group names):
    case and runs of white space do not count."""
    return " ".join(name.casefold().split())


class Checker:
    """Collects per-field results: ``value = c.field("title", forms.text, raw, ...)``."""

    def __init__(self) -> None:
        self.errors: dict[str, Message] = {}

    def field(self, name: str, check: Callable[..., T], raw: object, **kwargs: Any) -> T:
        try:
            return check(raw, **kwargs)
        except ValueError as exc:
            message = exc.args[0] if exc.args else None
            self.errors[name] = (
                message if isinstance(message, Message) else Message("Invalid value.")
            )
            # Never used: done() raises before the caller builds anything from it.
            return cast(T, None)

    def only(self, raw: Mapping[str, object], known: Iterable[str]) -> None:
        """Refuse the keys that are not ``known`` (a typo in a TOML file is not dropped)."""
        for key in sorted(set(raw) - set(known)):
            self.errors[key] = Message("Unknown setting.")

    def done(self) -> None:
        if self.errors:
            raise Invalid(self.errors)
