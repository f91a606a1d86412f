"""The facilitator's route table."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route, WebSocketRoute

from facilitator import account, agenda, editor, files, live, login, programmes, summary

_P = "/programmes/{programme_id:int}"
_S = "/sessions/{session_id:int}"
_I = _S + "/items/{item_id:int}"
_L = _S + "/live"

routes: list[BaseRoute] = [
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
    Route(_P + "/summary", summary.programme_summary, methods=["GET"]),
    Route(_P + "/summary.{fmt:str}", summary.programme_download, methods=["GET"]),
    Route(_P + "/blocklist", programmes.blocklist_update, methods=["POST"]),
    Route(_P + "/language", programmes.language_update, methods=["POST"]),
    Route(_P + "/sessions", programmes.session_create, methods=["POST"]),
    Route(_P + "/groups", programmes.group_create, methods=["POST"]),
    Route(_P + "/groups/{group_id:int}", programmes.group_update, methods=["POST"]),
    Route(_P + "/groups/{group_id:int}/delete", programmes.group_delete, methods=["POST"]),
    Route(_P + "/facilitators", programmes.cofacilitator_add, methods=["POST"]),
    Route(
        _P + "/facilitators/{facilitator_id:int}/remove",
        programmes.cofacilitator_remove,
        methods=["POST"],
    ),
    Route(_S, editor.session_view, methods=["GET"]),
    Route(_S, editor.session_update, methods=["POST"]),
    Route(_S + "/delete", editor.session_delete, methods=["POST"]),
    Route(_S + "/language", editor.session_language, methods=["POST"]),
    Route(_S + "/settings-form", editor.settings_form, methods=["GET"]),
    Route(_S + "/agenda.toml", editor.agenda_export, methods=["GET"]),
    Route(_S + "/import", editor.agenda_import, methods=["POST"]),
    Route(_S + "/items", agenda.item_add, methods=["POST"]),
    Route(_S + "/order", agenda.agenda_order, methods=["POST"]),
    Route(_I, agenda.item_update, methods=["POST"]),
    Route(_I + "/delete", agenda.item_delete, methods=["POST"]),
    Route(_I + "/move", agenda.item_move, methods=["POST"]),
    Route(_I + "/files/{name:str}", files.item_file, methods=["GET"]),
    Route(_S + "/summary", summary.session_summary, methods=["GET"]),
    Route(_S + "/summary.{fmt:str}", summary.session_download, methods=["GET"]),
    Route(_S + "/control", live.control_page, methods=["GET"]),
    Route(_S + "/control/phones", live.phones_page, methods=["GET"]),
    Route(_S + "/control/close", live.close_confirm, methods=["GET"]),
    Route(_S + "/present", live.present_page, methods=["GET"]),
    Route(_S + "/qr.svg", live.qr_svg, methods=["GET"]),
    WebSocketRoute(_S + "/ws", live.facilitator_socket),
    Route(_L + "/start", live.start, methods=["POST"]),
    Route(_L + "/close", live.close, methods=["POST"]),
    Route(_L + "/step", live.step, methods=["POST"]),
    Route(_L + "/go", live.go, methods=["POST"]),
    Route(_L + "/timer", live.timer, methods=["POST"]),
    Route(_L + "/switch", live.switch, methods=["POST"]),
    Route(_L + "/page", live.page, methods=["POST"]),
    Route(_L + "/items/{item_id:int}/moderate", live.moderate, methods=["POST"]),
    Route(_L + "/items/{item_id:int}/do/{action:str}", live.act, methods=["POST"]),
    Route(_L + "/groups", live.groups_form, methods=["POST"]),
    Route(_L + "/groups/{group_id:int}", live.group_rename, methods=["POST"]),
    Route(_L + "/phones/{participant_id:int}/group", live.phone_move, methods=["POST"]),
    Route(_L + "/roles", live.roles_draw, methods=["POST"]),
]
