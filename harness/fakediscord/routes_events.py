"""Guild scheduled events."""

from __future__ import annotations

from aiohttp import web

from . import state as s
from .base import BODY, PREFIX, Emulator, emulator, invalid_form, missing_permissions, unknown

routes = web.RouteTableDef()
FIELDS = (
    "name",
    "description",
    "channel_id",
    "entity_type",
    "entity_metadata",
    "scheduled_start_time",
    "scheduled_end_time",
    "privacy_level",
    "status",
    "image",
    "recurrence_rule",
)
EXTERNAL = 3


def _guild(request: web.Request) -> s.Guild:
    guild = emulator(request).world.guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        raise unknown("guild")
    return guild


def _event(request: web.Request, guild: s.Guild) -> s.ScheduledEvent:
    event = emulator(request).world.events.get(int(request.match_info["guild_scheduled_event_id"]))
    if event is None or event.deleted or event.guild_id != guild.id:
        raise unknown("event")
    return event


def _require_create(fd: Emulator, guild: s.Guild) -> None:
    if not fd.world.permissions(guild.id, fd.world.bot.id) & (s.CREATE_EVENTS | s.MANAGE_EVENTS):
        raise missing_permissions()


def _require_edit(fd: Emulator, guild: s.Guild, event: s.ScheduledEvent) -> None:
    # Create Events covers editing and deleting the events one created; Manage Events, all.
    granted = fd.world.permissions(guild.id, fd.world.bot.id)
    own = event.creator_id == fd.world.bot.id and granted & s.CREATE_EVENTS
    if not (own or granted & s.MANAGE_EVENTS):
        raise missing_permissions()


SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
# Discord's allowed moves: scheduled → active or canceled, active → completed; a completed or
# canceled event can no longer change.
TRANSITIONS = {SCHEDULED: {ACTIVE, CANCELED}, ACTIVE: {COMPLETED}}


def _check_transition(current: int, wanted: int) -> None:
    if wanted not in TRANSITIONS.get(current, set()):
        raise invalid_form([f"status: cannot go from {current} to {wanted}"])


def _check_shape(data: dict) -> None:
    # External events need a location and an end time; others need a channel.
    if data.get("entity_type") == EXTERNAL:
        location = (data.get("entity_metadata") or {}).get("location")
        if not location or not data.get("scheduled_end_time"):
            raise invalid_form(["external events need entity_metadata.location and an end time"])
    elif data.get("entity_type") is not None and not data.get("channel_id"):
        raise invalid_form(["stage and voice events need a channel_id"])


@routes.get(PREFIX + "/guilds/{guild_id}/scheduled-events")
async def list_events(request: web.Request) -> web.Response:
    fd = emulator(request)
    guild = _guild(request)
    events = [e for e in fd.world.events.values() if e.guild_id == guild.id and not e.deleted]
    return web.json_response([e.to_dict() for e in events])


@routes.post(PREFIX + "/guilds/{guild_id}/scheduled-events")
async def create_event(request: web.Request) -> web.Response:
    fd = emulator(request)
    guild = _guild(request)
    _require_create(fd, guild)
    body = request[BODY] or {}
    data = {k: body[k] for k in FIELDS if k in body}
    for key in ("name", "scheduled_start_time", "entity_type"):
        if key not in data:
            raise invalid_form([f"{key}: required"])
    _check_shape(data)
    # Discord ignores a status in the create body: every new event is scheduled.
    data["status"] = SCHEDULED
    event = s.ScheduledEvent(fd.world.ids.next(), guild.id, fd.world.bot.id, data)
    fd.world.events[event.id] = event
    await fd.emit("GUILD_SCHEDULED_EVENT_CREATE", event.to_dict())
    return web.json_response(event.to_dict())


@routes.get(PREFIX + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def get_event(request: web.Request) -> web.Response:
    guild = _guild(request)
    return web.json_response(_event(request, guild).to_dict())


@routes.get(PREFIX + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users")
async def event_users(request: web.Request) -> web.Response:
    """Members who marked the event "Interested", by user id ascending, at most 100 a page."""
    fd = emulator(request)
    guild = _guild(request)
    event = _event(request, guild)
    query = request.query
    ids = sorted(event.interested)
    if "after" in query:
        ids = [i for i in ids if i > int(query["after"])]
    if "before" in query:
        ids = [i for i in ids if i < int(query["before"])]
    limit = max(1, min(int(query.get("limit", 100)), 100))
    # Paging backwards ("before") takes the page just below the anchor.
    page = ids[-limit:] if "before" in query else ids[:limit]
    with_member = query.get("with_member") in ("1", "true", "True")
    out = []
    for user_id in page:
        entry = {
            "guild_scheduled_event_id": str(event.id),
            "user": fd.world.users[user_id].to_dict(),
        }
        if with_member and user_id in guild.members:
            entry["member"] = guild.members[user_id].to_dict()
        out.append(entry)
    return web.json_response(out)


@routes.patch(PREFIX + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def edit_event(request: web.Request) -> web.Response:
    fd = emulator(request)
    guild = _guild(request)
    event = _event(request, guild)
    _require_edit(fd, guild, event)
    body = request[BODY] or {}
    if "status" in body and body["status"] != event.data.get("status", SCHEDULED):
        _check_transition(int(event.data.get("status", SCHEDULED)), int(body["status"]))
    merged = {**event.data, **{k: body[k] for k in FIELDS if k in body}}
    _check_shape(merged)
    event.data = merged
    await fd.emit("GUILD_SCHEDULED_EVENT_UPDATE", event.to_dict())
    return web.json_response(event.to_dict())


@routes.delete(PREFIX + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def delete_event(request: web.Request) -> web.Response:
    fd = emulator(request)
    guild = _guild(request)
    event = _event(request, guild)
    _require_edit(fd, guild, event)
    event.deleted = True
    await fd.emit("GUILD_SCHEDULED_EVENT_DELETE", event.to_dict())
    return web.Response(status=204)
