"""The participant's route table: joining, the live page, its socket and its actions."""

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
    Route(_S + "/items/{item_id:int}/do/{action:str}", live.act, methods=["POST"]),
    Route(_S + "/items/{item_id:int}/own/{response_id:int}", live.own_answer, methods=["GET"]),
    Route(_S + "/items/{item_id:int}/mine/{name:str}", live.own_file, methods=["GET"]),
]
