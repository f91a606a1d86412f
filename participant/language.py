"""The phone's language: the one it picked (a cookie), else its session's participants' language.

A phone chooses with a link of the language menu on the join page or the live page
(``?lang=nn``); the pick is kept in a cookie, and the page redirects to itself without
it, so a reload keeps the language. Its socket and the fragments of its actions are
rendered in the same language, so its pushes come in it too.
"""

from __future__ import annotations

from starlette.datastructures import URL
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response

from workshop import auth
from workshop.i18n import LANGUAGES, current_language, set_language

PHONE_LANGUAGE_COOKIE = "samling_phone_language"
PHONE_LANGUAGE_MAX_AGE = 365 * 86400
#: The query parameters a link of the menu keeps.
_KEPT = ("code", "step")


def _local(url: URL) -> str:
    """An address on this site as a path and query (never the Host the client sent)."""
    return url.path + (f"?{url.query}" if url.query else "")


def chosen(connection: HTTPConnection) -> str | None:
    """The language this phone chose (None: it has not chosen one)."""
    value = connection.cookies.get(auth.cookie_name(connection, PHONE_LANGUAGE_COOKIE))
    return value if value in LANGUAGES else None


def use(connection: HTTPConnection, participants: str | None) -> str:
    """Speak the phone's chosen language, else the session's participants' language, else
    the browser's (the page before a code is known); returns it."""
    language = chosen(connection) or participants
    if language in LANGUAGES:
        set_language(language)
    return current_language() if language is None else language


def switched(request: Request) -> Response | None:
    """A pick from the language menu (``?lang=``): the same page without it, with the
    pick kept. None: no (known) language picked in this request."""
    language = request.query_params.get("lang", "")
    if language not in LANGUAGES:
        return None
    response = RedirectResponse(_local(request.url.remove_query_params("lang")), 303)
    auth.set_cookie(response, request, PHONE_LANGUAGE_COOKIE, language, PHONE_LANGUAGE_MAX_AGE)
    response.headers["Cache-Control"] = "no-store"
    return response


def menu(request: Request) -> list[tuple[str, str, str, bool]]:
    """The language menu's links: (code, name in its own language, address, current)."""
    now = current_language()
    # The page again, with what it is about (a typed code, the group step), never what was
    # typed in it (a name stays out of addresses).
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in _KEPT]
    base = request.url.replace(query="")
    return [
        (code, name, _local(base.include_query_params(**dict(kept), lang=code)), code == now)
        for code, name in LANGUAGES.items()
    ]
