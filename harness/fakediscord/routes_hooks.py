"""Interaction callbacks, interaction/webhook token routes and channel webhooks."""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from . import state as s
from .base import BODY, PREFIX, ApiError, Emulator, emulator, invalid_form, unknown
from .interactions import (
    ALLOWED_CALLBACKS,
    APPLICATION_COMMAND,
    LOADING,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Interaction,
)
from .message import Message
from .routes_channels import channel_of, delete, edit_message, post_message, require

routes = web.RouteTableDef()
# Discord wants the first callback within 3 s; tokens then work for 15 minutes.
ACK_WINDOW = 3.0
TOKEN_LIFETIME = 15 * 60
TRUTHY = ("true", "1", "True")


def _message_body(data: dict[str, Any]) -> dict[str, Any]:
    return dict(data)


async def _reply(fd: Emulator, ix: Interaction, data: dict[str, Any], flags: int) -> Message:
    channel = fd.world.channels[ix.channel_id]
    metadata: dict[str, Any] = {"id": str(ix.id), "type": ix.type, "user": ix.user.to_dict()}
    if ix.guild_id is not None:
        metadata["authorizing_integration_owners"] = {"0": str(ix.guild_id)}
    if ix.original_id is not None:
        metadata["original_response_message_id"] = str(ix.original_id)
    if ix.message_id is not None:
        metadata["interacted_message_id"] = str(ix.message_id)
    extra: dict[str, Any] = {
        "interaction_id": ix.id,
        "webhook_id": fd.world.bot.id,
        "interaction_metadata": metadata,
        # Discord types the first reply to a slash command CHAT_INPUT_COMMAND (20).
        "type": 20 if ix.type == APPLICATION_COMMAND and ix.original_id is None else 0,
    }
    if flags & s.EPHEMERAL:
        # Ephemeral replies exist only for the user who triggered the interaction.
        extra["visible_to"] = ix.user.id
    body = {**_message_body(data), "flags": flags}
    return await post_message(fd, channel, fd.world.bot, body, **extra)


@routes.post(PREFIX + "/interactions/{interaction_id}/{interaction_token}/callback")
async def callback(request: web.Request) -> web.Response:
    fd = emulator(request)
    ix = fd.interactions.get(int(request.match_info["interaction_id"]))
    if ix is None or ix.token != request.match_info["interaction_token"]:
        raise unknown("interaction")
    body = request[BODY] or {}
    kind, data = body.get("type"), body.get("data") or {}
    elapsed = fd.now() - ix.dispatched_at
    try:
        if ix.response_type is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if elapsed > ACK_WINDOW:
            ix.expired = True
            fd.violate("late_ack", {"interaction": ix.id, "after": round(elapsed, 3)}, request)
            raise unknown("interaction")
        allowed = ALLOWED_CALLBACKS.get(ix.type, set())
        if ix.type == MODAL_SUBMIT and ix.message_id is None:
            # Only a modal opened from a message component can update that message.
            allowed = allowed - {6, 7}
        if kind not in allowed:
            problem = f"type: callback {kind} is not valid for interaction type {ix.type}"
            fd.violate("callback_type", problem, request)
            raise invalid_form([problem])
        message = await _apply_callback(fd, ix, kind, data)
    except ApiError as exc:
        ix.callback_errors.append((exc.status, exc.code))
        ix.answered.set()
        raise
    ix.response_type, ix.response, ix.acked_after = kind, data, elapsed
    ix.answered.set()
    if request.query.get("with_response") not in TRUTHY:
        return web.Response(status=204)
    summary: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
    resource: dict[str, Any] = {"type": kind}
    if message is not None:
        summary.update(
            response_message_id=str(message.id),
            response_message_loading=bool(message.flags & LOADING),
            response_message_ephemeral=message.ephemeral,
        )
        resource["message"] = fd.world.message_payload(message)
    return web.json_response({"interaction": summary, "resource": resource})


async def _apply_callback(
    fd: Emulator, ix: Interaction, kind: int, data: dict[str, Any]
) -> Message | None:
    flags = int(data.get("flags") or 0)
    if kind == 4:
        msg = await _reply(fd, ix, data, flags)
        ix.original_id = msg.id
        return msg
    if kind == 5:
        msg = await _reply(fd, ix, {}, (flags & s.EPHEMERAL) | LOADING)
        ix.original_id = msg.id
        return msg
    if kind in (6, 7) and ix.message_id is not None:
        target = fd.world.messages[ix.message_id]
        # For a component interaction, @original is the message holding the component.
        ix.original_id = target.id
        if kind == 7:
            await edit_message(fd, target, _message_body(data))
        return target
    return None


# -- token routes (interaction follow-ups and webhook execution) -------------------------


def token_owner(request: web.Request) -> Interaction | s.Webhook:
    fd = emulator(request)
    webhook_id = int(request.match_info["webhook_id"])
    token = request.match_info["webhook_token"]
    ix = fd.interactions_by_token.get(token)
    if ix is not None and webhook_id == fd.world.bot.id:
        if fd.now() - ix.dispatched_at > TOKEN_LIFETIME:
            raise ApiError(401, 50027, "Invalid Webhook Token")
        if ix.expired or ix.response_type is None:
            raise unknown("webhook")
        return ix
    hook = fd.world.webhooks.get(webhook_id)
    if hook is None or hook.token != token:
        raise unknown("webhook")
    return hook


def _target(request: web.Request, owner: Interaction | s.Webhook) -> Message:
    fd = emulator(request)
    raw = request.match_info.get("message_id", "@original")
    if isinstance(owner, Interaction):
        if raw == "@original":
            msg_id = owner.original_id
            # A component interaction's "original" is the message holding the component.
            if msg_id is None and owner.type == MESSAGE_COMPONENT:
                msg_id = owner.message_id
        else:
            msg_id = int(raw)
            if msg_id not in owner.followup_ids and msg_id not in (
                owner.original_id,
                owner.message_id,
            ):
                raise unknown("message")
    else:
        if raw == "@original":
            raise unknown("message")
        msg_id = int(raw)
    msg = fd.world.messages.get(msg_id or 0)
    if msg is None or msg.deleted:
        raise unknown("message")
    if isinstance(owner, s.Webhook) and msg.webhook_id != owner.id:
        raise unknown("message")
    return msg


@routes.post(PREFIX + "/webhooks/{webhook_id}/{webhook_token}")
async def execute(request: web.Request) -> web.Response:
    fd = emulator(request)
    owner = token_owner(request)
    body = request[BODY] or {}
    if isinstance(owner, Interaction):
        msg = await _followup(fd, owner, body)
    else:
        msg = await _execute_webhook(fd, request, owner, body)
    if request.query.get("wait") not in TRUTHY:
        return web.Response(status=204)
    return web.json_response(fd.world.message_payload(msg))


async def _followup(fd: Emulator, ix: Interaction, body: dict[str, Any]) -> Message:
    original = ix.original
    if original is not None and original.flags & LOADING:
        # After a deferred reply, the first follow-up replaces the "thinking" message.
        original.flags &= ~LOADING
        await edit_message(fd, original, _message_body(body))
        return original
    if not any(body.get(k) for k in ("content", "embeds", "components", "poll", "_files")):
        raise ApiError(400, 50006, "Cannot send an empty message")
    msg = await _reply(fd, ix, body, int(body.get("flags") or 0))
    ix.followup_ids.append(msg.id)
    return msg


async def _execute_webhook(
    fd: Emulator, request: web.Request, hook: s.Webhook, body: dict[str, Any]
) -> Message:
    channel = fd.world.channels[hook.channel_id]
    if "thread_id" in request.query:
        thread = fd.world.channels.get(int(request.query["thread_id"]))
        if thread is None or thread.parent_id != hook.channel_id:
            raise unknown("channel")
        channel = thread
    if not any(body.get(k) for k in ("content", "embeds", "components", "poll", "_files")):
        raise ApiError(400, 50006, "Cannot send an empty message")
    author = s.User(hook.id, hook.name, bot=True)
    extra = {"webhook_id": hook.id, "username_override": body.get("username")}
    return await post_message(fd, channel, author, body, **extra)


@routes.get(PREFIX + "/webhooks/{webhook_id}/{webhook_token}")
async def get_webhook(request: web.Request) -> web.Response:
    owner = token_owner(request)
    if isinstance(owner, Interaction):
        raise unknown("webhook")
    return web.json_response(owner.to_dict())


@routes.get(PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
@routes.get(PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def get_token_message(request: web.Request) -> web.Response:
    msg = _target(request, token_owner(request))
    return web.json_response(emulator(request).world.message_payload(msg))


@routes.patch(PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
@routes.patch(PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def edit_token_message(request: web.Request) -> web.Response:
    fd = emulator(request)
    msg = _target(request, token_owner(request))
    body = _message_body(request[BODY] or {})
    if msg.flags & LOADING:
        # Editing a deferred reply is what first shows it, so it can ping like a new message.
        fd.check_pings(body, request, creating=not msg.ephemeral)
        msg.flags &= ~LOADING
    await edit_message(fd, msg, body)
    return web.json_response(fd.world.message_payload(msg))


@routes.delete(PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
@routes.delete(PREFIX + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def delete_token_message(request: web.Request) -> web.Response:
    msg = _target(request, token_owner(request))
    await delete(emulator(request), msg)
    return web.Response(status=204)


# -- channel webhooks --------------------------------------------------------------------


@routes.post(PREFIX + "/channels/{channel_id}/webhooks")
async def create_webhook(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    require(fd, channel, s.MANAGE_WEBHOOKS)
    name = str((request[BODY] or {}).get("name") or "")
    # Webhook names are 1-80 characters and may not contain "clyde" or "discord".
    if not 1 <= len(name) <= 80 or "clyde" in name.lower() or "discord" in name.lower():
        raise invalid_form([f"name: {name!r} is not a valid webhook name"])
    hook = s.Webhook(
        fd.world.ids.next(),
        secrets.token_urlsafe(48),
        channel.id,
        channel.guild_id,
        name,
        fd.world.bot,
    )
    fd.world.webhooks[hook.id] = hook
    return web.json_response(hook.to_dict())


@routes.get(PREFIX + "/channels/{channel_id}/webhooks")
async def list_webhooks(request: web.Request) -> web.Response:
    fd = emulator(request)
    channel = channel_of(request)
    require(fd, channel, s.MANAGE_WEBHOOKS)
    hooks = [h.to_dict() for h in fd.world.webhooks.values() if h.channel_id == channel.id]
    return web.json_response(hooks)
