"""The facilitator's route table."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from facilitator import account, agenda, editor, login, programmes


async def home(request: Request) -> Response:
    """The front page leads to the facilitator's programmes."""
    return RedirectResponse("/programmes", status_code=303)


_P = "/programmes/{programme_id:int}"
_S = "/sessions/{session_id:int}"
_I = _S + "/items/{item_id:int}"

routes: list[BaseRoute] = [
    Route("/", home),
    Route("/login", login.login_form, methods=["GET"]),
    Route("/login", login.login, methods=["POST"]),
    Route("/logout", login.logout, methods=["POST"]),
    Route("/account", account.account_view, methods=["GET"]),
    Route("/account/language", account.language_update, methods=["POST"]),
    Route("/account/password", account.password_update, methods=["POST"]),
    Route("/programmes", programmes.programme_list, methods=["GET"]),
    Route("/programmes", programmes.programme_create, methods=["POST"]),
    Route(_P, programmes.programme_view, methods=["GET"]),
    Route(_P, programmes.programme_update, methods=["POST"]),
    Route(_P + "/delete", programmes.programme_delete, methods=["POST"]),
    Route(_P + "/sessions", programmes.session_create, methods=["POST"]),
    Route(_P + "/facilitators", programmes.cofacilitator_add, methods=["POST"]),
    Route(
        _P + "/facilitators/{facilitator_id:int}/remove",
        programmes.cofacilitator_remove,
        methods=["POST"],
    ),
    Route(_S, editor.session_view, methods=["GET"]),
    Route(_S, editor.session_update, methods=["POST"]),
    Route(_S + "/delete", editor.session_delete, methods=["POST"]),
    Route(_S + "/settings-form", editor.settings_form, methods=["GET"]),
    Route(_S + "/agenda.toml", editor.agenda_export, methods=["GET"]),
    Route(_S + "/import", editor.agenda_import, methods=["POST"]),
    Route(_S + "/items", agenda.item_add, methods=["POST"]),
    Route(_S + "/order", agenda.agenda_order, methods=["POST"]),
    Route(_I, agenda.item_update, methods=["POST"]),
    Route(_I + "/delete", agenda.item_delete, methods=["POST"]),
    Route(_I + "/move", agenda.item_move, methods=["POST"]),
]
