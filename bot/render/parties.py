"""Watch-party messages. All spoiler-free: they name the episode and its set-up, nothing more."""

from __future__ import annotations

import discord

from .. import limits
from ..i18n import _
from ..models import Episode, Party, Show
from .episodes import credit_link, tvmaze_url
from .text import escape, one_line

COLOUR = discord.Colour.gold()


def event_name(show: Show, episode: Episode) -> str:
    return one_line(f"Watch party: {show.title} {episode.label}", limits.EVENT_NAME)


def event_description(show: Show, episode: Episode, where: str) -> str:
    # Scheduled-event descriptions are plain text: no escaping needed, and no spoilers here.
    # Links show as written, so TVmaze's is given as an address; the synopsis gets what the
    # rest leaves of the 1,000 characters.
    tail = f"Where: {one_line(where, limits.EVENT_LOCATION)}. The discussion thread opens when it ends."
    if url := tvmaze_url(show):
        tail += "\n" + _("Show data: TVmaze (CC BY-SA), {url}").format(url=url)
    synopsis = one_line(episode.synopsis, min(700, limits.EVENT_DESCRIPTION - len(tail) - 2))
    return f"{synopsis}\n\n{tail}" if synopsis else tail


def announcement(
    show: Show, episode: Episode, party: Party, where: str, event_url: str | None
) -> discord.Embed:
    lines = [
        f"**{escape(show.title)} · {escape(episode.label)}**",
        escape(one_line(episode.synopsis, 600)),
        f"🕒 <t:{int(party.starts_at)}:F> (<t:{int(party.starts_at)}:R>), until <t:{int(party.ends_at)}:t>",
        f"📍 {where}",
        "💬 The spoiler discussion thread opens when the party ends.",
    ]
    if event_url:
        lines.append(f"📅 [Interested? Mark the event]({event_url})")
    if link := credit_link(show):
        lines.append(link)
    embed = discord.Embed(title="🍿 Watch party", description="\n\n".join(lines), colour=COLOUR)
    embed.set_footer(text=f"Watch party #{party.id}")
    return limits.check_embed(embed)


def cancelled(show: Show, episode: Episode, party: Party) -> discord.Embed:
    embed = discord.Embed(
        title="Watch party cancelled",
        description=f"~~{escape(show.title)} · {escape(episode.label)}, <t:{int(party.starts_at)}:F>~~",
        colour=discord.Colour.dark_grey(),
    )
    embed.set_footer(text=f"Watch party #{party.id}")
    return limits.check_embed(embed)


def with_ping(text: str, role_id: int | None) -> str:
    """`text` after the mention of the server's reminder role, when it set one.

    Only the mention goes first: every other piece of the message is escaped, so sending it
    with allowed_mentions for that one role pings that role and nobody else."""
    return f"<@&{role_id}> {text}" if role_id else text


def reminder_head(show: Show, episode: Episode) -> str:
    """How a start reminder begins, whenever it was rendered: a send whose answer was lost is
    recognised by it in the channel's history."""
    return f"🍿 The watch party for {escape(show.title)} **{escape(episode.label)}**"


def reminder(show: Show, episode: Episode, party: Party, where: str, now: float) -> str:
    when = (
        "is starting now"
        if now - party.starts_at < 120
        else f"started <t:{int(party.starts_at)}:R>"
    )
    return f"{reminder_head(show, episode)} {when}: join us in {where}!"


def missed(show: Show, episode: Episode, party: Party) -> str:
    """A party whose whole time passed while the bot was offline: said once, as it was."""
    return (
        f"🍿 The watch party for {escape(show.title)} **{escape(episode.label)}** "
        f"(<t:{int(party.starts_at)}:F>) happened while I was offline."
    )


def early_reminder(show: Show, episode: Episode, party: Party, where: str) -> str:
    return (
        f"🍿 Starting <t:{int(party.starts_at)}:R>: the watch party for "
        f"{escape(show.title)} **{escape(episode.label)}** in {where}."
    )


def reminder_dm(show: Show, episode: Episode, party: Party, server: str, where: str) -> str:
    """The DM to a member who marked the party's event "Interested"."""
    return (
        f"🍿 The watch party for {escape(show.title)} **{escape(episode.label)}** in "
        f"{escape(one_line(server, 100))} is starting now: join in {where}!\n"
        "-# You marked the event as interested. `/reminders dm off` in that server stops "
        "these messages."
    )


def finished(show: Show, episode: Episode, thread_id: int) -> str:
    return (
        f"🎬 The watch party for {escape(show.title)} **{escape(episode.label)}** is over. "
        f"Spoilers up to {escape(episode.code)} are welcome in <#{thread_id}>."
    )


def party_line(show: Show, episode: Episode, party: Party) -> str:
    return (
        f"**#{party.id}** · {escape(show.title)} {escape(episode.label)} · "
        f"<t:{int(party.starts_at)}:F> (<t:{int(party.starts_at)}:R>) · <#{party.channel_id}>"
    )
