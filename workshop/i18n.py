"""Translations: the current language, gettext for Python and templates, lazy messages.

Source strings are English. Compiled catalogs (``.mo``) are built from the
``.po`` files in ``workshop/locale`` by the set-up command (``make catalogs``);
a missing catalog falls back to English rather than failing. An exercise kind
brings its own catalog (``<kind folder>/locale``), added with
:func:`add_catalog` when the kind is registered; one without a compiled
``.mo`` (an add-on with no build step) is read from its ``.po``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.core import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton as _babel_skeleton
from babel.dates import format_time as _babel_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent
from babel.support import NullTranslations, Translations
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

LOCALE_DIR = Path(__file__).parent / "locale"
# Bokmål first: it is the default for a new facilitator and for a browser that states nothing.
LANGUAGES: dict[str, str] = {
    "nb": "Norsk bokmål",
    "nn": "Norsk nynorsk",
    "da": "Dansk",
    "en": "English",
}
#: The languages with catalogs of their own (English is the source language).
TRANSLATED: tuple[str, ...] = tuple(code for code in LANGUAGES if code != "en")
DEFAULT_LANGUAGE = "nb"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


#: Catalogs beside the core's: (locale folder, domain), as the kinds add them.
_CATALOGS: list[tuple[Path, str]] = []


def add_catalog(folder: Path, domain: str) -> None:
    """Merge a kind's catalog into every language's translations."""
    if (folder, domain) not in _CATALOGS:
        _CATALOGS.append((folder, domain))
        translations.cache_clear()


def _compiled(catalog: Catalog, domain: str) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


def _load(folder: Path, language: str, domain: str) -> Translations | None:
    compiled = folder / language / "LC_MESSAGES" / f"{domain}.mo"
    source = compiled.with_suffix(".po")
    if compiled.is_file() and (
        not source.is_file() or compiled.stat().st_mtime >= source.stat().st_mtime
    ):
        with compiled.open("rb") as file:
            return Translations(file, domain=domain)
    if source.is_file():
        with source.open("rb") as file:
            return _compiled(read_po(file, locale=language, domain=domain), domain)
    return None


@cache
def translations(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    merged = _load(LOCALE_DIR, language, "messages") or _compiled(Catalog(language), "messages")
    for folder, domain in _CATALOGS:
        found = _load(folder, language, domain)
        if found is not None:
            merged.merge(found)
    return merged


def current_language() -> str:
    return _current.get()


def set_language(language: str) -> contextvars.Token[str]:
    return _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def language(language: str) -> Iterator[None]:
    """Run a block in one language (used by the command line and tests)."""
    token = set_language(language)
    try:
        yield
    finally:
        _current.reset(token)


def raw_gettext(message: str) -> str:
    return translations(_current.get()).ugettext(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ungettext(singular, plural, n)


def gettext(message: str, **params: Any) -> str:
    text = translations(_current.get()).ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(_current.get()).ungettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


def half_up(value: float | Decimal, places: int = 0) -> Decimal:
    """``value`` rounded as people round, halves away from zero, on its decimal value.

    A float is read as the decimal it prints as, so a mean of 2.65 (stored as
    2.6499999…) rounds to 2.7 rather than 2.6.
    """
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def format_number(value: float | Decimal, places: int = 0) -> str:
    """A number in the current language with ``places`` decimals: ``4,0`` in bokmål."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(half_up(value, places), format=pattern, locale=_locale(_current.get()))


def format_percent(value: float | Decimal, places: int = 0) -> str:
    """A share given in per cent (67 for 67 %), as the current language writes it."""
    share = half_up(value, places) / 100
    return _babel_percent(share, locale=_locale(_current.get()), decimal_quantization=False)


def format_date(day: dt.date, width: str = "long") -> str:
    """A date as the current language writes it: ``1. desember 2026`` (long), ``1. des. 2026``
    (medium), ``01.12.2026`` (short); ``December 1, 2026`` in English."""
    return _babel_date(day, format=width, locale=_locale(_current.get()))


#: Every language shows a clock time as 14:05: the 24-hour clock of the venues, and
#: Danish writes it with a colon on screens and programmes as often as with CLDR's point.
_CLOCK = "HH:mm"


def _local(moment: dt.datetime) -> dt.datetime:
    # A naive moment is already the venue's; an aware one is shown in the server's zone.
    return moment.astimezone() if moment.tzinfo is not None else moment


def format_time(moment: dt.datetime | dt.time) -> str:
    """A clock time, ``14:05``; an aware moment in the server's local time (the venue's)."""
    when = _local(moment) if isinstance(moment, dt.datetime) else moment
    return _babel_time(when, format=_CLOCK, locale=_locale(_current.get()))


def format_day_time(moment: dt.datetime) -> str:
    """A day and a time without the year, ``1. des. 14:05`` (``Dec 1 14:05`` in English)."""
    when = _local(moment)
    day = _babel_skeleton("dMMM", when, locale=_locale(_current.get()))
    return f"{day} {format_time(when)}"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


class Message:
    """A translatable message with parameters, translated when it is shown.

    Pure code (validation, exercise kinds) returns these; ``str()`` turns one
    into text in the language of the request that shows it.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        return gettext(self.msgid, **self.params)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.msgid, self.params) == (
            other.msgid,
            other.params,
        )

    def __hash__(self) -> int:
        return hash(self.msgid)


def best_language(accept_language: str) -> str:
    """The first supported language in an Accept-Language header, else the default."""
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _sep, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        base = tag.strip().lower().split("-")[0]
        # Plain "no" means Norwegian, which we serve as bokmål.
        base = "nb" if base == "no" else base
        if base in LANGUAGES:
            weighted.append((weight, base))
    return max(weighted, key=lambda w: w[0])[1] if weighted else DEFAULT_LANGUAGE


LANGUAGE_COOKIE = "samling_language"


class LanguageMiddleware:
    """Sets the request's language from its cookie, else from Accept-Language.

    A logged-in facilitator's own choice overrides this (see ``auth``).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        raw = headers.get("cookie", "")
        chosen = cookie_parser(raw).get(LANGUAGE_COOKIE) if LANGUAGE_COOKIE in raw else None
        if chosen in LANGUAGES:
            language = chosen
        else:
            language = best_language(headers.get("accept-language", ""))
        token = set_language(language)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
