"""Air-time threads: the announcement when an episode airs, and the /config listing."""

from __future__ import annotations

from .. import limits
from ..i18n import _
from ..models import Airing, Episode, Show
from .text import escape, one_line

# What every announcement starts with, whenever it was rendered: how a send lost to a crash
# is recognised in the channel's history (cogs/watchparty/_parts.py).
KEY = "📺 "


def announcement(
    show: Show, episode: Episode, thread_id: int, role_id: int | None, *, late: bool
) -> str:
    """One line in the chosen channel. Titles are file text: escaped, so they never ping."""
    text = (
        _(
            "**{show} {episode}** aired while I was offline. Discussion (spoilers up to {code}): {thread}"
        )
        if late
        else _("**{show} {episode}** is airing now. Discussion (spoilers up to {code}): {thread}")
    ).format(
        show=escape(one_line(show.title, limits.TITLE)),
        episode=escape(episode.label),
        code=escape(episode.code),
        thread=f"<#{thread_id}>",
    )
    ping = f" <@&{role_id}>" if role_id else ""
    return f"{KEY}{text}{ping}"[: limits.CONTENT]


def thread_open(show: Show, episode: Episode, jump_url: str) -> str:
    """What a follower's DM adds once the episode's thread is open in their server."""
    return _("💬 {show} {episode} has aired: its discussion thread is open, {url}").format(
        show=escape(one_line(show.title, limits.TITLE)), episode=escape(episode.label), url=jump_url
    )


def listing(followed: list[tuple[Airing, str]]) -> str:
    """The shows a server follows at air time, for /config show."""
    lines = []
    for airing, title in followed:
        line = (
            _("• {show} in {channel}, pinging {role}")
            if airing.role_id
            else _("• {show} in {channel}")
        )
        lines.append(
            line.format(
                show=escape(one_line(title, 60)),
                channel=f"<#{airing.channel_id}>",
                role=f"<@&{airing.role_id}>",
            )
        )
    return "\n".join(lines) or _("none")
