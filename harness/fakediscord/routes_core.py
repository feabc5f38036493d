"""Login, gateway discovery, application commands and guild reads."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .base import BODY, PREFIX, ApiError, Emulator, emulator, unknown

routes = web.RouteTableDef()

SESSION_STARTS = 1000


def _int(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError as exc:
        raise ApiError(400, 50035, "Invalid Form Body", {name: "not a snowflake"}) from exc


@routes.get(PREFIX + "/users/@me")
async def get_me(request: web.Request) -> web.Response:
    bot = emulator(request).world.bot
    return web.json_response({**bot.to_dict(), "verified": True, "mfa_enabled": False, "flags": 0})


@routes.get(PREFIX + "/oauth2/applications/@me")
async def get_application(request: web.Request) -> web.Response:
    bot = emulator(request).world.bot
    return web.json_response(
        {
            "id": str(bot.id),
            "name": bot.username,
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": {**bot.to_dict(), "id": str(bot.id + 1), "username": "app-owner"},
            "team": None,
            "summary": "",
            "rpc_origins": [],
        }
    )


@routes.get(PREFIX + "/gateway/bot")
async def get_gateway_bot(request: web.Request) -> web.Response:
    fd = emulator(request)
    gateway = fd.gateway
    # Discord allows 1,000 IDENTIFYs a day; each one the emulator accepted counts down.
    remaining = max(0, SESSION_STARTS - gateway.identify_count)
    limit = {
        "total": SESSION_STARTS,
        "remaining": remaining,
        "reset_after": 86_400_000,
        "max_concurrency": 1,
    }
    shards = gateway.recommended_shards()
    return web.json_response(
        {"url": fd.gateway_url, "shards": shards, "session_start_limit": limit}
    )


@routes.get(PREFIX + "/gateway")
async def get_gateway(request: web.Request) -> web.Response:
    return web.json_response({"url": emulator(request).gateway_url})


# -- application commands ----------------------------------------------------------------


def _scope(request: web.Request) -> int | None:
    fd = emulator(request)
    if _int(request, "application_id") != fd.world.bot.id:
        raise ApiError(403, 50001, "Missing Access")
    if "guild_id" not in request.match_info:
        return None
    guild_id = _int(request, "guild_id")
    if guild_id not in fd.world.guilds:
        raise unknown("guild")
    return guild_id


def _store_command(fd: Emulator, scope: int | None, body: dict[str, Any]) -> dict[str, Any]:
    world = fd.world
    existing = next(
        (
            c
            for c in world.commands.get(scope, [])
            if c["name"] == body.get("name") and c["type"] == body.get("type", 1)
        ),
        None,
    )
    cmd: dict[str, Any] = {
        "type": 1,
        "description": "",
        "options": [],
        "default_member_permissions": None,
        "nsfw": False,
        "contexts": None,
        "integration_types": [0],
        **body,
    }
    cmd.update(
        id=existing["id"] if existing else str(world.ids.next()),
        application_id=str(world.bot.id),
        version=str(world.ids.next()),
    )
    if scope is not None:
        cmd["guild_id"] = str(scope)
    return cmd


def _count_write(fd: Emulator, scope: int | None) -> None:
    fd.world.sync_counts[scope] = fd.world.sync_counts.get(scope, 0) + 1


@routes.get(PREFIX + "/applications/{application_id}/commands")
@routes.get(PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands")
async def list_commands(request: web.Request) -> web.Response:
    fd = emulator(request)
    return web.json_response(fd.world.commands.get(_scope(request), []))


@routes.put(PREFIX + "/applications/{application_id}/commands")
@routes.put(PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands")
async def bulk_overwrite(request: web.Request) -> web.Response:
    fd = emulator(request)
    scope = _scope(request)
    body = request[BODY] or []
    commands = [_store_command(fd, scope, c) for c in body]
    fd.world.commands[scope] = commands
    _count_write(fd, scope)
    return web.json_response(commands)


@routes.post(PREFIX + "/applications/{application_id}/commands")
@routes.post(PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands")
async def upsert_command(request: web.Request) -> web.Response:
    fd = emulator(request)
    scope = _scope(request)
    cmd = _store_command(fd, scope, request[BODY] or {})
    commands = [c for c in fd.world.commands.get(scope, []) if c["id"] != cmd["id"]]
    created = len(commands) == len(fd.world.commands.get(scope, []))
    fd.world.commands[scope] = [*commands, cmd]
    _count_write(fd, scope)
    return web.json_response(cmd, status=201 if created else 200)


def _find_command(request: web.Request) -> tuple[int | None, dict[str, Any]]:
    fd = emulator(request)
    scope = _scope(request)
    wanted = request.match_info["command_id"]
    for cmd in fd.world.commands.get(scope, []):
        if cmd["id"] == wanted:
            return scope, cmd
    raise unknown("command")


@routes.get(PREFIX + "/applications/{application_id}/commands/{command_id}")
@routes.get(PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def get_command(request: web.Request) -> web.Response:
    return web.json_response(_find_command(request)[1])


@routes.patch(PREFIX + "/applications/{application_id}/commands/{command_id}")
@routes.patch(PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def edit_command(request: web.Request) -> web.Response:
    scope, cmd = _find_command(request)
    cmd.update(request[BODY] or {})
    cmd["version"] = str(emulator(request).world.ids.next())
    _count_write(emulator(request), scope)
    return web.json_response(cmd)


@routes.delete(PREFIX + "/applications/{application_id}/commands/{command_id}")
@routes.delete(PREFIX + "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def delete_command(request: web.Request) -> web.Response:
    fd = emulator(request)
    scope, cmd = _find_command(request)
    fd.world.commands[scope] = [c for c in fd.world.commands[scope] if c is not cmd]
    _count_write(fd, scope)
    return web.Response(status=204)


# -- guild reads ---------------------------------------------------------------------------


def _guild(request: web.Request) -> Any:
    guild = emulator(request).world.guilds.get(_int(request, "guild_id"))
    if guild is None:
        raise unknown("guild")
    return guild


@routes.get(PREFIX + "/guilds/{guild_id}")
async def get_guild(request: web.Request) -> web.Response:
    guild = _guild(request)
    data = guild.to_dict()
    data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
    return web.json_response(data)


@routes.get(PREFIX + "/guilds/{guild_id}/channels")
async def get_guild_channels(request: web.Request) -> web.Response:
    world = emulator(request).world
    guild = _guild(request)
    channels = [world.channels[c] for c in guild.channel_ids]
    return web.json_response([c.to_dict() for c in channels if not c.is_thread])


@routes.get(PREFIX + "/guilds/{guild_id}/threads/active")
async def get_active_threads(request: web.Request) -> web.Response:
    world = emulator(request).world
    guild = _guild(request)
    threads = [world.channels[c] for c in guild.channel_ids]
    active = [t.to_dict() for t in threads if t.is_thread and not t.archived]
    return web.json_response({"threads": active, "members": []})


@routes.get(PREFIX + "/channels/{channel_id}/threads/archived/public")
async def get_archived_threads(request: web.Request) -> web.Response:
    # Newest first, in one page: threads never archive by themselves here (tests archive them).
    world = emulator(request).world
    parent_id = int(request.match_info["channel_id"])
    found = [c for c in world.channels.values() if c.parent_id == parent_id and c.archived]
    found = [c for c in found if c.is_thread and c.type == 11]
    threads = [t.to_dict() for t in sorted(found, key=lambda t: t.id, reverse=True)]
    return web.json_response({"threads": threads, "members": [], "has_more": False})


@routes.get(PREFIX + "/guilds/{guild_id}/members/{user_id}")
async def get_member(request: web.Request) -> web.Response:
    guild = _guild(request)
    member = guild.members.get(_int(request, "user_id"))
    if member is None:
        raise unknown("member")
    return web.json_response(member.to_dict())


@routes.get(PREFIX + "/guilds/{guild_id}/roles")
async def get_roles(request: web.Request) -> web.Response:
    guild = _guild(request)
    return web.json_response([r.to_dict() for r in guild.roles.values()])


@routes.post(PREFIX + "/users/@me/channels")
async def create_dm(request: web.Request) -> web.Response:
    world = emulator(request).world
    body = request[BODY] or {}
    user = world.users.get(int(body.get("recipient_id", 0)))
    if user is None:
        raise ApiError(400, 50035, "Invalid Form Body", {"recipient_id": "unknown user"})
    channel = world.dm_channel(user)
    data = channel.to_dict()
    data["recipients"] = [user.to_dict()]
    return web.json_response(data)
