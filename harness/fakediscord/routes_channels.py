"""Channels, messages, threads and native polls."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import state as s
from .base import (
    BODY,
    PREFIX,
    ApiError,
    Emitter,
    emulator,
    invalid_form,
    missing_permissions,
    unknown,
)
from .message import Message

routes = web.RouteTableDef()


def channel_of(request: web.Request) -> s.Channel:
    try:
        channel = emulator(request).world.channels.get(int(request.match_info["channel_id"]))
    except ValueError:
        channel = None
    if channel is None:
        raise unknown("channel")
    return channel


def message_of(request: web.Request, channel: s.Channel) -> Message:
    try:
        msg = emulator(request).world.messages.get(int(request.match_info["message_id"]))
    except ValueError:
        msg = None
    if msg is None or msg.deleted or msg.channel_id != channel.id or msg.ephemeral:
        raise unknown("message")
    return msg


def require(fd: Emitter, channel: s.Channel, *perms: int) -> None:
    have = fd.world.permissions(channel.guild_id, fd.world.bot.id)
    for perm in perms:
        if not have & perm:
            raise missing_permissions()


def require_send(fd: Emitter, channel: s.Channel, body: dict[str, Any]) -> None:
    if channel.is_thread:
        require(fd, channel, s.SEND_MESSAGES_IN_THREADS)
        # Locked threads only take messages from members who can manage threads.
        if channel.locked:
            require(fd, channel, s.MANAGE_THREADS)
    else:
        require(fd, channel, s.SEND_MESSAGES)
    if body.get("poll"):
        require(fd, channel, s.SEND_POLLS)
    if not any(
        body.get(k) for k in ("content", "embeds", "components", "poll", "sticker_ids", "_files")
    ):
        raise ApiError(400, 50006, "Cannot send an empty message")


async def post_message(
    fd: Emitter, channel: s.Channel, author: s.User, body: dict[str, Any], **extra: Any
) -> Message:
    msg = fd.world.create_message(channel, author, body, **extra)
    if channel.is_thread and channel.archived and not channel.locked:
        # Sending to an archived, unlocked thread unarchives it.
        channel.archived = False
        await fd.emit("THREAD_UPDATE", channel.to_dict())
    if not msg.ephemeral:
        await fd.emit("MESSAGE_CREATE", fd.world.message_payload(msg), guild=bool(msg.guild_id))
    return msg


async def edit_message(fd: Emitter, msg: Message, body: dict[str, Any]) -> None:
    fd.world.edit_message(msg, body)
    if not msg.ephemeral:
        await fd.emit("MESSAGE_UPDATE", fd.world.message_payload(msg), guild=bool(msg.guild_id))


@routes.get(PREFIX + "/channels/{channel_id}")
async def get_channel(request: web.Request) -> web.Response:
    return web.json_response(channel_of(request).to_dict())


@routes.patch(PREFIX + "/channels/{channel_id}")
async def edit_channel(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    body = request[BODY] or {}
    bot_id = fd.world.bot.id
    if not channel.is_thread:
        require(fd, channel, s.MANAGE_CHANNELS)
        channel.name = body.get("name", channel.name)
        channel.topic = body.get("topic", channel.topic)
        if "available_tags" in body and channel.type == s.FORUM:
            # A forum holds at most 20 tags; new ones get ids, kept ones keep theirs.
            new_tags = [dict(t) for t in body["available_tags"] or []]
            if len(new_tags) > 20:
                raise invalid_form([f"available_tags: {len(new_tags)} tags (max 20)"])
            for tag in new_tags:
                tag["id"] = str(tag.get("id") or fd.world.ids.next())
            channel.available_tags = new_tags
        await fd.emit("CHANNEL_UPDATE", channel.to_dict())
        return web.json_response(channel.to_dict())
    if "locked" in body or channel.owner_id != bot_id:
        require(fd, channel, s.MANAGE_THREADS)
    if "applied_tags" in body:
        parent = fd.world.channels.get(channel.parent_id or 0)
        known = {t["id"] for t in parent.available_tags} if parent else set()
        tags = [str(t) for t in body["applied_tags"] or []]
        # Forum posts take at most 5 tags, all from the parent's available_tags.
        if len(tags) > 5 or not set(tags) <= known:
            raise invalid_form([f"applied_tags: {tags} not a subset of {sorted(known)} (max 5)"])
        channel.applied_tags = [int(t) for t in tags]
    channel.name = body.get("name", channel.name)
    channel.locked = bool(body.get("locked", channel.locked))
    channel.archived = bool(body.get("archived", channel.archived))
    await fd.emit("THREAD_UPDATE", channel.to_dict())
    return web.json_response(channel.to_dict())


@routes.post(PREFIX + "/channels/{channel_id}/messages")
async def create_message(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    body = request[BODY] or {}
    if channel.type == s.FORUM:
        raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
    if channel.type == s.DM:
        # Opening the DM channel works; the message is what a closed inbox refuses.
        if any(fd.world.users[u].dms_closed for u in channel.recipient_ids):
            raise ApiError(403, 50007, "Cannot send messages to this user")
    else:
        require_send(fd, channel, body)
    # enforce_nonce: a second message with the same nonce from the same author within a few
    # minutes is not created; Discord returns the first one.
    nonce = body.get("nonce") if body.get("enforce_nonce") else None
    earlier = fd.world.by_nonce(fd.world.bot.id, nonce) if nonce is not None else None
    if earlier is not None:
        return web.json_response(fd.world.message_payload(earlier))
    msg = await post_message(fd, channel, fd.world.bot, body)
    if nonce is not None:
        fd.world.remember_nonce(fd.world.bot.id, nonce, msg)
    return web.json_response(fd.world.message_payload(msg))


@routes.get(PREFIX + "/channels/{channel_id}/messages")
async def list_messages(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    require(fd, channel, s.VIEW_CHANNEL | s.READ_MESSAGE_HISTORY)
    msgs = [m for m in fd.world.visible_messages(channel.id) if not m.ephemeral]
    query = request.query
    if "before" in query:
        msgs = [m for m in msgs if m.id < int(query["before"])]
    if "after" in query:
        msgs = [m for m in msgs if m.id > int(query["after"])]
    limit = max(1, min(int(query.get("limit", 50)), 100))
    # Discord answers newest first, except that "after" pages start just past the anchor.
    chosen = msgs[:limit] if "after" in query else msgs[-limit:]
    payload = [fd.world.message_payload(m) for m in reversed(chosen)]
    return web.json_response(payload)


@routes.get(PREFIX + "/channels/{channel_id}/messages/{message_id}")
async def get_message(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    return web.json_response(fd.world.message_payload(message_of(request, channel)))


@routes.patch(PREFIX + "/channels/{channel_id}/messages/{message_id}")
async def patch_message(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    msg = message_of(request, channel)
    if msg.author.id != fd.world.bot.id:
        raise ApiError(403, 50005, "Cannot edit a message authored by another user")
    await edit_message(fd, msg, request[BODY] or {})
    return web.json_response(fd.world.message_payload(msg))


@routes.delete(PREFIX + "/channels/{channel_id}/messages/{message_id}")
async def delete_message(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    msg = message_of(request, channel)
    if msg.author.id != fd.world.bot.id:
        require(fd, channel, s.MANAGE_MESSAGES)
    await delete(fd, msg)
    return web.Response(status=204)


async def delete(fd: Emitter, msg: Message) -> None:
    msg.deleted = True
    data = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
    if msg.guild_id is not None:
        data["guild_id"] = str(msg.guild_id)
    if not msg.ephemeral:
        await fd.emit("MESSAGE_DELETE", data, guild=msg.guild_id is not None)


# -- threads -------------------------------------------------------------------------------


async def _open_thread(
    fd: Emitter, parent: s.Channel, body: dict[str, Any], kind: int, thread_id: int | None
) -> s.Channel:
    guild = fd.world.guild_of(parent)
    if guild is None:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    thread = fd.world.add_channel(
        guild, body["name"], kind, parent_id=parent.id, owner_id=fd.world.bot.id
    )
    if thread_id is not None:
        # A thread started from a message (or a forum post) shares the message's id.
        del fd.world.channels[thread.id]
        guild.channel_ids.remove(thread.id)
        thread.id = thread_id
        fd.world.channels[thread.id] = thread
        fd.world.channel_messages[thread.id] = []
        guild.channel_ids.append(thread.id)
    tags = [str(t) for t in body.get("applied_tags") or []]
    known = {t["id"] for t in parent.available_tags}
    if len(tags) > 5 or not set(tags) <= known:
        raise invalid_form([f"applied_tags: {tags} not a subset of {sorted(known)} (max 5)"])
    thread.applied_tags = [int(t) for t in tags]
    await fd.emit("THREAD_CREATE", {**thread.to_dict(), "newly_created": True})
    return thread


@routes.post(PREFIX + "/channels/{channel_id}/threads")
async def create_thread(request: web.Request) -> web.Response:
    fd = emulator(request)
    parent = channel_of(request)
    body = request[BODY] or {}
    if "name" not in body:
        raise invalid_form(["name: required"])
    if parent.type == s.FORUM:
        message = body.get("message")
        if not isinstance(message, dict):
            raise invalid_form(["message: a forum post needs a first message"])
        require(fd, parent, s.SEND_MESSAGES)
        thread_id = fd.world.ids.next()
        thread = await _open_thread(fd, parent, body, s.PUBLIC_THREAD, thread_id)
        require_send(fd, thread, message)
        msg = fd.world.create_message(thread, fd.world.bot, message)
        # The starter message of a forum post has the post's id.
        fd.world.messages.pop(msg.id)
        fd.world.channel_messages[thread.id] = [thread.id]
        msg.id = thread.id
        fd.world.messages[msg.id] = msg
        await fd.emit("MESSAGE_CREATE", fd.world.message_payload(msg))
        data = {**thread.to_dict(), "message": fd.world.message_payload(msg)}
        return web.json_response(data, status=201)
    if parent.type != s.TEXT:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    kind = int(body.get("type") or s.PRIVATE_THREAD)
    perm = s.CREATE_PUBLIC_THREADS if kind == s.PUBLIC_THREAD else s.CREATE_PRIVATE_THREADS
    require(fd, parent, perm)
    thread = await _open_thread(fd, parent, body, kind, None)
    return web.json_response(thread.to_dict(), status=201)


@routes.post(PREFIX + "/channels/{channel_id}/messages/{message_id}/threads")
async def create_thread_from_message(request: web.Request) -> web.Response:
    fd = emulator(request)
    parent = channel_of(request)
    msg = message_of(request, parent)
    body = request[BODY] or {}
    if "name" not in body:
        raise invalid_form(["name: required"])
    require(fd, parent, s.CREATE_PUBLIC_THREADS)
    if msg.id in fd.world.channels:
        raise ApiError(400, 160004, "A thread has already been created for this message")
    thread = await _open_thread(fd, parent, body, s.PUBLIC_THREAD, msg.id)
    return web.json_response(thread.to_dict(), status=201)


# -- native polls --------------------------------------------------------------------------


def poll_message(request: web.Request) -> Message:
    channel = channel_of(request)
    msg = message_of(request, channel)
    if msg.poll is None:
        raise ApiError(400, 520001, "This message does not have a poll")
    return msg


@routes.get(PREFIX + "/channels/{channel_id}/polls/{message_id}/answers/{answer_id}")
async def poll_voters(request: web.Request) -> web.Response:
    fd = emulator(request)
    msg = poll_message(request)
    votes = fd.world.poll_votes.get(msg.id, {}).get(int(request.match_info["answer_id"]), set())
    after = int(request.query.get("after", 0))
    limit = max(1, min(int(request.query.get("limit", 25)), 100))
    users = [fd.world.users[u].to_dict() for u in sorted(votes) if u > after][:limit]
    return web.json_response({"users": users})


async def finalise_poll(fd: Emitter, msg: Message) -> None:
    assert msg.poll is not None
    msg.poll["results"]["is_finalized"] = True
    msg.poll["expiry"] = s.iso(fd.world.clock.time())
    await fd.emit("MESSAGE_UPDATE", fd.world.message_payload(msg), guild=bool(msg.guild_id))


@routes.post(PREFIX + "/channels/{channel_id}/polls/{message_id}/expire")
async def expire_poll(request: web.Request) -> web.Response:
    fd = emulator(request)
    msg = poll_message(request)
    if msg.author.id != fd.world.bot.id:
        raise ApiError(403, 50005, "Cannot expire a poll authored by another user")
    await finalise_poll(fd, msg)
    return web.json_response(fd.world.message_payload(msg))
