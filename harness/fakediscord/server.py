"""The aiohttp application: request pipeline (auth, spec, limits, rate limits, logging)."""

from __future__ import annotations

import json
import time
from email.utils import formatdate
from typing import Any

from aiohttp import BodyPartReader, web

from . import faults, routes_channels, routes_core, routes_events, routes_hooks, rules
from .base import (
    BODY,
    FD,
    FILES,
    PREFIX,
    ApiError,
    Emulator,
    RequestRecord,
    invalid_form,
)
from .openapi import OpenAPI

# These routes authenticate with the token in the URL, not an Authorization header.
TOKEN_ROUTES = ("/webhooks/{webhook_id}/{webhook_token}", "/interactions/")


async def read_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    ctype = request.content_type
    if ctype.startswith("multipart/"):
        # discord.py sends files as multipart with the JSON in a payload_json part.
        reader = await request.multipart()
        payload: Any = {}
        files: list[dict[str, Any]] = []
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            else:
                data = await part.read()
                ctype = part.headers.get("Content-Type", "application/octet-stream")
                name = part.filename or "file"
                # "_data": the bytes, for a test to read back (World.attachment_data).
                files.append(
                    {"filename": name, "size": len(data), "content_type": ctype, "_data": data}
                )
        request[FILES] = files
        return payload
    raw = await request.read()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, 50109, "The request body contains invalid JSON.") from exc


def template_of(request: web.Request) -> str:
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else request.path
    return canonical.removeprefix(PREFIX)


MESSAGE_BODIES = {
    ("POST", "/channels/{channel_id}/messages"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
}
# Edits do not notify anyone, so only bodies that create a message can ping.
CREATING = {
    ("POST", "/channels/{channel_id}/messages"),
    ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
}


def limit_problems(method: str, template: str, body: Any) -> list[str]:
    if not isinstance(body, dict | list):
        return []
    key = (method, template)
    if key in MESSAGE_BODIES and isinstance(body, dict):
        return rules.check_message(body)
    if template.startswith("/interactions/") and isinstance(body, dict):
        data = body.get("data") or {}
        kind = body.get("type")
        if kind in (4, 7):
            return [f"data.{p}" for p in rules.check_message(data)]
        if kind == 8:
            return rules.check_choices(data.get("choices", []))
        if kind == 9:
            return rules.check_modal(data)
        return []
    if template.endswith("/commands"):
        if method == "PUT":
            return rules.check_command_list(body, global_scope="guild_id" not in template)
        return rules.check_command(body)
    if template.endswith("/commands/{command_id}") and method == "PATCH":
        if isinstance(body, dict) and "name" in body:
            return rules.check_command({"description": "-", **body})
        return []
    if isinstance(body, dict) and (
        template.endswith("/threads") or key == ("PATCH", "/channels/{channel_id}")
    ):
        return rules.check_thread(body)
    if "/scheduled-events" in template and isinstance(body, dict):
        return rules.check_event(body, partial=method == "PATCH")
    return []


def ping_bodies(method: str, template: str, body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    if (method, template) in CREATING:
        return [body]
    if template.startswith("/interactions/") and body.get("type") == 4:
        return [body.get("data") or {}]
    if method == "POST" and template.endswith("/threads") and isinstance(body.get("message"), dict):
        return [body["message"]]
    return []


@web.middleware
async def pipeline(request: web.Request, handler: Any) -> web.StreamResponse:
    fd: Emulator = request.app[FD]
    if not request.path.startswith(PREFIX + "/"):
        return await handler(request)
    path = request.path.removeprefix(PREFIX)
    template = template_of(request)
    started = time.monotonic()
    body: Any = None
    ratelimit_headers: dict[str, str] = {}
    try:
        body = await read_body(request)
        request[BODY] = body
        _authenticate(fd, request, template)
        _check_spec(fd, request, path, body)
        problems = limit_problems(request.method, template, body)
        if problems:
            fd.violate("limits", problems, request)
            raise invalid_form(problems)
        for candidate in ping_bodies(request.method, template, body):
            fd.check_pings(candidate, request)
        _attach_files(request, template, body)
        refused = faults.refusal(fd.outages, request.method, template, body)
        if refused is not None:
            raise _Refused(refused)
        verdict = fd.ratelimiter.check(request.method, template, dict(request.match_info))
        ratelimit_headers = verdict.headers
        if not verdict.allowed:
            fd.rate_limited += 1
            payload = {
                "message": "You are being rate limited.",
                "retry_after": verdict.retry_after,
                "global": False,
            }
            response: web.StreamResponse = web.json_response(payload, status=429)
        else:
            await _wait_if_held(fd, request.method, template, body)
            response = await handler(request)
    except ApiError as exc:
        response = exc.response()
        if template.startswith("/interactions/") and exc.status == 400:
            fd.note_callback_rejected(request.match_info.get("interaction_id", ""), exc.code)
    except _Refused as refused:
        response = refused.response
    except web.HTTPException as exc:
        body_json = {"code": 0, "message": f"{exc.status}: {exc.reason}"}
        response = web.json_response(body_json, status=exc.status)
    response.headers.update(ratelimit_headers)
    # discord.py only parses JSON when the content type is exactly application/json.
    if response.headers.get("Content-Type", "").startswith("application/json"):
        response.headers["Content-Type"] = "application/json"
    # discord.py treats a 429 without a Via header as a Cloudflare ban.
    response.headers["Via"] = "1.1 google"
    fd.requests.append(
        RequestRecord(
            request.method, template, path, response.status, body, started, dict(request.query)
        )
    )
    return response


class _Refused(Exception):
    """An outage answered the request (harness/fakediscord/faults.py)."""

    def __init__(self, response: web.Response) -> None:
        self.response = response


def _attach_files(request: web.Request, template: str, body: Any) -> None:
    """Hand uploaded files to the message part of the body (after it was validated)."""
    files = request.get(FILES)
    if not files or not isinstance(body, dict):
        return
    target = body
    if template.startswith("/interactions/"):
        target = body.setdefault("data", {})
    elif isinstance(body.get("message"), dict):
        target = body["message"]
    target["_files"] = files


async def _wait_if_held(fd: Emulator, method: str, template: str, body: Any) -> None:
    for hold in fd.holds:
        if hold.method == method and hold.template == template and hold.match(body):
            fd.holds.remove(hold)
            hold.reached.set()
            await hold.release.wait()
            return


# Discord answers these without any token.
PUBLIC_ROUTES = ("/gateway",)


def _authenticate(fd: Emulator, request: web.Request, template: str) -> None:
    if template.startswith(TOKEN_ROUTES) or template in PUBLIC_ROUTES:
        return
    if request.headers.get("Authorization") != f"Bot {fd.token}":
        raise ApiError(401, 0, "401: Unauthorized")


def _check_spec(fd: Emulator, request: web.Request, path: str, body: Any) -> None:
    spec: OpenAPI = fd.openapi
    if not spec.enabled:
        return
    spec_template = spec.match(request.method, path)
    if spec_template is None:
        fd.violate("openapi_unknown_route", f"{request.method} {path}", request)
        return
    if body is None:
        return
    errors = spec.validate(request.method, spec_template, body)
    if errors:
        detail = {
            "operation": spec.operation_id(request.method, spec_template),
            "route": spec_template,
            "errors": errors,
        }
        fd.violate("openapi", detail, request)
        raise invalid_form(errors)


async def _stamp_date(request: web.Request, response: web.StreamResponse) -> None:
    # Every response, the gateway's handshake included, carries Discord's clock, not this
    # machine's (aiohttp would stamp its own).
    response.headers["Date"] = formatdate(request.app[FD].world.clock.time(), usegmt=True)


def build_app(fd: Emulator) -> web.Application:
    app = web.Application(middlewares=[pipeline], client_max_size=32 * 1024 * 1024)
    app.on_response_prepare.append(_stamp_date)
    app[FD] = fd
    app.router.add_get("/gateway", fd.gateway.handle)
    app.router.add_routes(routes_core.routes)
    app.router.add_routes(routes_hooks.routes)
    app.router.add_routes(routes_channels.routes)
    app.router.add_routes(routes_events.routes)
    return app
