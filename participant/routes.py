"""The participant's route table: joining, the live page, its socket and responses."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route, WebSocketRoute

from participant import join, live

_S = "/s/{code}"

routes: list[BaseRoute] = [
    Route("/", join.join_page, methods=["GET"]),
    Route("/j/{code}", join.join_link, methods=["GET"]),
    Route("/join", join.join, methods=["POST"]),
    Route(_S, live.live_page, methods=["GET"]),
    WebSocketRoute(_S + "/ws", live.live_socket),
    Route(_S + "/items/{item_id:int}/responses", live.respond, methods=["POST"]),
    Route(_S + "/items/{item_id:int}/votes", live.vote, methods=["POST"]),
    Route(_S + "/responses/{response_id:int}", live.edit, methods=["POST"]),
    Route(_S + "/responses/{response_id:int}/delete", live.delete, methods=["POST"]),
    Route(_S + "/items/{item_id:int}/points", live.add_point, methods=["POST"]),
    Route(_S + "/points/{response_id:int}", live.change_point, methods=["POST"]),
    Route(_S + "/points/{response_id:int}/{action:str}", live.change_point, methods=["POST"]),
    Route(_S + "/items/{item_id:int}/note", live.save_note, methods=["POST"]),
]
