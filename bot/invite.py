"""The invite link: the scopes and the exact permissions the bot needs, and why.

Two links: the full one, and a smaller one for servers that leave the opt-in spoiler guard
off (it alone needs Manage Messages and Manage Webhooks).
"""

from __future__ import annotations

import base64
import binascii

import discord

SCOPES = ("bot", "applications.commands")


def permissions(*, guard: bool = True) -> discord.Permissions:
    needed = discord.Permissions(
        # Recaps, casts, endings and polls are embeds; poll messages are edited as votes come.
        view_channel=True,
        send_messages=True,
        embed_links=True,
        read_message_history=True,
        send_polls=True,
        # One discussion thread per episode, locked until its watch party ends.
        create_public_threads=True,
        send_messages_in_threads=True,
        manage_threads=True,
        # A scheduled event per watch party. Create Events also lets the bot edit and cancel
        # the events it created, so Manage Events (everyone's events) is not asked for.
        create_events=True,
    )
    if guard:
        # The spoiler guard reposts a message behind spoiler tags under its author's name
        # (a webhook), then removes the original.
        needed.manage_messages = True
        needed.manage_webhooks = True
    return needed


def invite_url(application_id: int, *, guard: bool = True) -> str:
    return discord.utils.oauth_url(
        application_id, permissions=permissions(guard=guard), scopes=SCOPES
    )


def application_id_from_token(token: str) -> int | None:
    """The bot's id, which a bot token starts with (base64); None if it does not look like one.

    A bot's user id is its application's id for every application made since 2019, so the
    invite can be printed without logging in.
    """
    first = token.strip().split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdecimal() and len(decoded) < 21 else None


def invite_text(application_id: int) -> str:
    return (
        f"Invite link: {invite_url(application_id)}\n"
        "Without the spoiler guard (no Manage Messages or Manage Webhooks): "
        f"{invite_url(application_id, guard=False)}"
    )
