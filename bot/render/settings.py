"""/config show: every server setting, in plain words."""

from __future__ import annotations

import discord

from .. import limits
from ..i18n import _
from ..models import GuildSettings, Organisers, UnsetProgress


def _channel(channel_id: int | None, fallback: str) -> str:
    return f"<#{channel_id}>" if channel_id else fallback


def _organisers(settings: GuildSettings) -> str:
    if settings.organisers is Organisers.EVERYONE:
        return _("everyone")
    if settings.organisers is Organisers.MODERATORS:
        return _("moderators only")
    return _("{role} and moderators").format(role=f"<@&{settings.organiser_role_id}>")


def _guarded(settings: GuildSettings, message_content: bool) -> str:
    guarded = ", ".join(f"<#{c}>" for c in settings.guarded_channels) or _("none")
    if settings.guarded_channels and not message_content:
        guarded += "\n" + _(
            "⚠️ Inactive: the spoiler guard needs the Message Content intent. Enable it for the "
            "bot in the Developer Portal and set MESSAGE_CONTENT_INTENT=true."
        )
    return guarded


def _reminders(settings: GuildSettings) -> tuple[str, str]:
    """Who reminders ping, and the early reminder."""
    role = settings.reminder_role_id
    lead = settings.reminder_lead_minutes
    return (
        f"<@&{role}>" if role else _("nobody"),
        _("{minutes} min before the start").format(minutes=lead) if lead else _("none"),
    )


def _editors(settings: GuildSettings) -> str:
    if settings.editor_role_id:
        return _("{role} and Manage Server").format(role=f"<@&{settings.editor_role_id}>")
    return _("members with Manage Server")


def settings_embed(
    settings: GuildSettings, *, message_content: bool, airing: str = ""
) -> discord.Embed:
    """`airing`: the shows whose threads open at air time (bot/render/airing.listing)."""
    ping, early = _reminders(settings)
    caught_up = settings.unset_progress is UnsetProgress.CAUGHT_UP
    rows = [
        (
            _("Discussion threads in"),
            _channel(settings.discussion_channel_id, _("the channel where /discuss is used")),
        ),
        (
            _("Announcements in"),
            _channel(settings.announcement_channel_id, _("the watch party's channel")),
        ),
        (_("Time zone"), settings.time_zone),
        (
            _("Members without progress"),
            _("treated as caught up") if caught_up else _("warned before spoilers"),
        ),
        (_("Polls and watch parties by"), _organisers(settings)),
        (_("Spoiler-guarded channels"), _guarded(settings, message_content)),
        (
            _("Guard window"),
            _("{hours} h from a watch party's start").format(hours=settings.guard_hours),
        ),
        (_("Watch-party reminders ping"), ping),
        (_("Early reminder"), early),
        (
            _("New episodes of followed shows"),
            _channel(settings.follow_channel_id, _("sent to each follower by DM")),
        ),
        (_("Episode content written by"), _editors(settings)),
        (_("Content edits announced in"), _channel(settings.content_log_channel_id, _("nowhere"))),
        (_("Threads opened at air time"), airing or _("none")),
    ]
    embed = discord.Embed(title=_("Watchparty settings"), colour=discord.Colour.blurple())
    for name, value in rows:
        embed.add_field(name=name, value=value[: limits.FIELD_VALUE], inline=False)
    return limits.check_embed(embed)
