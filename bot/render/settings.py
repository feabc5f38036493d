"""/config show: every server setting, in plain words."""

from __future__ import annotations

import discord

from .. import limits
from ..models import GuildSettings, Organisers, UnsetProgress


def _channel(channel_id: int | None, fallback: str) -> str:
    return f"<#{channel_id}>" if channel_id else fallback


def settings_embed(
    settings: GuildSettings, *, message_content: bool, airing: str = "none"
) -> discord.Embed:
    """`airing`: the shows whose threads open at air time (bot/render/airing.listing)."""
    organisers = {
        Organisers.EVERYONE: "everyone",
        Organisers.MODERATORS: "moderators only",
        Organisers.ROLE: f"<@&{settings.organiser_role_id}> and moderators",
    }[settings.organisers]
    guarded = ", ".join(f"<#{c}>" for c in settings.guarded_channels) or "none"
    if settings.guarded_channels and not message_content:
        guarded += (
            "\n⚠️ Inactive: the spoiler guard needs the Message Content intent. Enable it for the "
            "bot in the Developer Portal and set MESSAGE_CONTENT_INTENT=true."
        )
    rows = [
        (
            "Discussion threads in",
            _channel(settings.discussion_channel_id, "the channel where /discuss is used"),
        ),
        (
            "Announcements in",
            _channel(settings.announcement_channel_id, "the watch party's channel"),
        ),
        ("Time zone", settings.time_zone),
        (
            "Members without progress",
            "treated as caught up"
            if settings.unset_progress is UnsetProgress.CAUGHT_UP
            else "warned before spoilers",
        ),
        ("Polls and watch parties by", organisers),
        ("Spoiler-guarded channels", guarded),
        ("Guard window", f"{settings.guard_hours} h from a watch party's start"),
        (
            "Watch-party reminders ping",
            f"<@&{settings.reminder_role_id}>" if settings.reminder_role_id else "nobody",
        ),
        (
            "Early reminder",
            f"{settings.reminder_lead_minutes} min before the start"
            if settings.reminder_lead_minutes
            else "none",
        ),
        (
            "New episodes of followed shows",
            _channel(settings.follow_channel_id, "sent to each follower by DM"),
        ),
        (
            "Episode content written by",
            f"<@&{settings.editor_role_id}> and Manage Server"
            if settings.editor_role_id
            else "members with Manage Server",
        ),
        ("Content edits announced in", _channel(settings.content_log_channel_id, "nowhere")),
        ("Threads opened at air time", airing),
    ]
    embed = discord.Embed(title="Watchparty settings", colour=discord.Colour.blurple())
    for name, value in rows:
        embed.add_field(name=name, value=value[: limits.FIELD_VALUE], inline=False)
    return limits.check_embed(embed)
