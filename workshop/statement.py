"""The accessibility statement: a public page, in the visitor's language.

It says what is checked and how, what is known not to conform, when it was last
reviewed, and where to report a barrier: the address the operator set
(``--accessibility-contact``), or else the workshop's organiser. Every page's
footer links it, except the presenter's frame, which must fit the projector.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from workshop.i18n import LANGUAGES, current_language, language
from workshop.services import services

#: The day this statement was last reviewed against the checks the tests run.
LAST_REVIEWED = dt.date(2026, 12, 1)
PATH = "/tilgjengelighet"
#: An e-mail address, loosely: one @, nothing that could start markup or a scheme.
EMAIL = re.compile(r"[^@\s<>\"':/]+@[^@\s<>\"':/]+\.[^@\s<>\"':/]+")


def contact_link(contact: str | None) -> tuple[str, str] | None:
    """(href, text) for the operator's contact: mailto for an e-mail address, the address
    itself for a web address, no link (an empty href) for anything else, such as a phone
    number."""
    if not contact:
        return None
    if contact.startswith(("https://", "http://")):
        return contact, contact
    if EMAIL.fullmatch(contact):
        return "mailto:" + contact, contact
    return "", contact


async def statement_page(request: Request) -> Response:
    """The statement in the language of the page whose footer linked it (``?lang=``: a
    phone's live page follows its session, a facilitator's their account), else the
    visitor's own."""
    chosen = request.query_params.get("lang", "")
    with language(chosen if chosen in LANGUAGES else current_language()):
        settings = services(request).settings
        return services(request).templates.page(
            request,
            "workshop/accessibility.html",
            {
                "contact": contact_link(settings.accessibility_contact),
                "reviewed": format_date(LAST_REVIEWED, format="long", locale=current_language()),
                "reviewed_iso": LAST_REVIEWED.isoformat(),
            },
        )


routes: list[BaseRoute] = [
    Route(PATH, statement_page, methods=["GET"]),
    Route("/accessibility", statement_page, methods=["GET"]),
]
