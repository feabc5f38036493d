"""The floor every route stands on: the URL prefix, app keys, Discord's error bodies, the records
the emulator keeps, and the `Emulator` protocol routes are written against (so they never import
the driver that registers them)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import web

if TYPE_CHECKING:
    from .faults import Outage
    from .gateway import Gateway
    from .interactions import Interaction
    from .openapi import OpenAPI
    from .ratelimit import RateLimiter
    from .world import World

PREFIX = "/api/v10"
BODY: web.RequestKey[Any] = web.RequestKey("body")
FILES: web.RequestKey[list[dict[str, Any]]] = web.RequestKey("files")


class Emitter(Protocol):
    """What changing the world needs: the world itself and a way to tell the bot."""

    world: World

    async def emit(self, event: str, data: dict[str, Any], *, guild: bool = True) -> None: ...


@dataclass
class Hold:
    """Requests matching `method`, `template` and `match(body)` wait until `release` is set:
    a test kills the bot while Discord is still acting on its request."""

    method: str
    template: str
    match: Callable[[Any], bool]
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)


class Emulator(Emitter, Protocol):
    """What the HTTP routes and the request pipeline use of the emulator (FakeDiscord has it)."""

    token: str
    gateway: Gateway
    openapi: OpenAPI
    ratelimiter: RateLimiter
    requests: list[RequestRecord]
    rate_limited: int
    interactions: dict[int, Interaction]
    interactions_by_token: dict[str, Interaction]
    holds: list[Hold]
    outages: list[Outage]

    @property
    def gateway_url(self) -> str: ...

    def now(self) -> float: ...

    def violate(self, kind: str, detail: Any, request: web.Request | None = None) -> None: ...

    def check_pings(
        self, body: dict[str, Any], request: web.Request | None, *, creating: bool = True
    ) -> None: ...

    def note_callback_rejected(self, interaction_id: str, code: int) -> None: ...


FD: web.AppKey[Emulator] = web.AppKey("fd")


def emulator(request: web.Request) -> Emulator:
    return request.app[FD]


class ApiError(Exception):
    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def response(self) -> web.Response:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return web.json_response(body, status=self.status)


def invalid_form(problems: list[str]) -> ApiError:
    errors = {"_errors": [{"code": "BASE_TYPE_INVALID", "message": p} for p in problems]}
    return ApiError(400, 50035, "Invalid Form Body", errors)


UNKNOWN = {
    "channel": (10003, "Unknown Channel"),
    "guild": (10004, "Unknown Guild"),
    "member": (10007, "Unknown Member"),
    "message": (10008, "Unknown Message"),
    "webhook": (10015, "Unknown Webhook"),
    "event": (10070, "Unknown Guild Scheduled Event"),
    "command": (10063, "Unknown application command"),
    "interaction": (10062, "Unknown interaction"),
}


def unknown(kind: str) -> ApiError:
    code, message = UNKNOWN[kind]
    return ApiError(404, code, message)


def missing_permissions() -> ApiError:
    return ApiError(403, 50013, "Missing Permissions")


@dataclass
class RequestRecord:
    method: str
    route: str
    path: str
    status: int
    body: Any
    time: float
    query: dict[str, str] = field(default_factory=dict)


@dataclass
class Violation:
    kind: str
    detail: Any
    method: str = ""
    path: str = ""

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)
