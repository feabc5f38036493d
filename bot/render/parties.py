"""Watch-party messages. All spoiler-free: they name the episode and its set-up, nothing more.

Everything here is read by the whole server: the callers write it in the server's language
(`i18n.public()` in a command, `i18n.server(guild)` in a scheduled step)."""

from __future__ import annotations

import discord

from .. import limits
from ..i18n import _
from ..models import Episode, Party, Show
from .episodes import credit_link, tvmaze_url
from .text import escape, one_line

COLOUR = discord.Colour.gold()


def event_name(show: Show, episode: Episode) -> str:
    name = _("Watch party: {show} {episode}").format(show=show.title, episode=episode.label)
    return one_line(name, limits.EVENT_NAME)


def event_description(show: Show, episode: Episode, where: str) -> str:
    # Scheduled-event descriptions are plain text: no escaping needed, and no spoilers here.
    # Links show as written, so TVmaze's is given as an address; the synopsis gets what the
    # rest leaves of the 1,000 characters.
    tail = _("Where: {place}. The discussion thread opens when it ends.").format(
        place=one_line(where, limits.EVENT_LOCATION)
    )
    if url := tvmaze_url(show):
        tail += "\n" + _("Show data: TVmaze (CC BY-SA), {url}").format(url=url)
    synopsis = one_line(episode.synopsis, min(700, limits.EVENT_DESCRIPTION - len(tail) - 2))
    return f"{synopsis}\n\n{tail}" if synopsis else tail


def announcement(
    show: Show, episode: Episode, party: Party, where: str, event_url: str | None
) -> discord.Embed:
    starts, ends = int(party.starts_at), int(party.ends_at)
    lines = [
        f"**{escape(show.title)} · {escape(episode.label)}**",
        escape(one_line(episode.synopsis, 600)),
        _("🕒 {start} ({relative}), until {end}").format(
            start=f"<t:{starts}:F>", relative=f"<t:{starts}:R>", end=f"<t:{ends}:t>"
        ),
        f"📍 {where}",
        _("💬 The spoiler discussion thread opens when the party ends."),
    ]
    if event_url:
        lines.append(_("📅 [Interested? Mark the event]({url})").format(url=event_url))
    if link := credit_link(show):
        lines.append(link)
    embed = discord.Embed(title=_("🍿 Watch party"), description="\n\n".join(lines), colour=COLOUR)
    embed.set_footer(text=_("Watch party #{id}").format(id=party.id))
    return limits.check_embed(embed)


def cancelled(show: Show, episode: Episode, party: Party) -> discord.Embed:
    embed = discord.Embed(
        title=_("Watch party cancelled"),
        description=f"~~{escape(show.title)} · {escape(episode.label)}, <t:{int(party.starts_at)}:F>~~",
        colour=discord.Colour.dark_grey(),
    )
    embed.set_footer(text=_("Watch party #{id}").format(id=party.id))
    return limits.check_embed(embed)


def with_ping(text: str, role_id: int | None) -> str:
    """`text` after the mention of the server's reminder role, when it set one.

    Only the mention goes first: every other piece of the message is escaped, so sending it
    with allowed_mentions for that one role pings that role and nobody else."""
    return f"<@&{role_id}> {text}" if role_id else text


def reminder_head(show: Show, episode: Episode) -> str:
    """How a start reminder begins, whenever it was rendered: a send whose answer was lost is
    recognised by it in the channel's history."""
    return _("🍿 The watch party for {show} **{episode}**").format(
        show=escape(show.title), episode=escape(episode.label)
    )


def reminder(show: Show, episode: Episode, party: Party, where: str, now: float) -> str:
    text = (
        # Translators: {head} is "🍿 The watch party for <show> **<episode>**".
        _("{head} is starting now: join us in {place}!")
        if now - party.starts_at < 120
        else _("{head} started {when}: join us in {place}!")
    )
    return text.format(
        head=reminder_head(show, episode), when=f"<t:{int(party.starts_at)}:R>", place=where
    )


def missed(show: Show, episode: Episode, party: Party) -> str:
    """A party whose whole time passed while the bot was offline: said once, as it was."""
    return _(
        "🍿 The watch party for {show} **{episode}** ({when}) happened while I was offline."
    ).format(
        show=escape(show.title), episode=escape(episode.label), when=f"<t:{int(party.starts_at)}:F>"
    )


def early_reminder(show: Show, episode: Episode, party: Party, where: str) -> str:
    return _("🍿 Starting {when}: the watch party for {show} **{episode}** in {place}.").format(
        when=f"<t:{int(party.starts_at)}:R>",
        show=escape(show.title),
        episode=escape(episode.label),
        place=where,
    )


def reminder_dm(show: Show, episode: Episode, party: Party, server: str, where: str) -> str:
    """The DM to a member who marked the party's event "Interested"."""
    start = _(
        "🍿 The watch party for {show} **{episode}** in {server} is starting now: join in {place}!"
    ).format(
        show=escape(show.title),
        episode=escape(episode.label),
        server=escape(one_line(server, 100)),
        place=where,
    )
    why = _(
        "You marked the event as interested. `/reminders dm off` in that server stops these "
        "messages."
    )
    return f"{start}\n-# {why}"


def finished(show: Show, episode: Episode, thread_id: int) -> str:
    return _(
        "🎬 The watch party for {show} **{episode}** is over. Spoilers up to {code} are welcome "
        "in {thread}."
    ).format(
        show=escape(show.title),
        episode=escape(episode.label),
        code=escape(episode.code),
        thread=f"<#{thread_id}>",
    )


def party_line(show: Show, episode: Episode, party: Party) -> str:
    return (
        f"**#{party.id}** · {escape(show.title)} {escape(episode.label)} · "
        f"<t:{int(party.starts_at)}:F> (<t:{int(party.starts_at)}:R>) · <#{party.channel_id}>"
    )
