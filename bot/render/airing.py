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
    what = f"**{escape(one_line(show.title, limits.TITLE))} {escape(episode.label)}**"
    when = "aired while I was offline" if late else "is airing now"
    ping = f" <@&{role_id}>" if role_id else ""
    return (
        f"{KEY}{what} {when}. Discussion (spoilers up to {escape(episode.code)}): "
        f"<#{thread_id}>{ping}"
    )[: limits.CONTENT]


def thread_open(show: Show, episode: Episode, jump_url: str) -> str:
    """What a follower's DM adds once the episode's thread is open in their server."""
    what = f"{escape(one_line(show.title, limits.TITLE))} {escape(episode.label)}"
    return f"💬 {what} has aired: its discussion thread is open, {jump_url}"


def listing(followed: list[tuple[Airing, str]]) -> str:
    """The shows a server follows at air time, for /config show."""
    lines = []
    for airing, title in followed:
        values = {"show": escape(one_line(title, 60)), "channel": f"<#{airing.channel_id}>"}
        if airing.role_id:
            line = _("• {show} in {channel}, pinging {role}").format(
                **values, role=f"<@&{airing.role_id}>"
            )
        else:
            line = _("• {show} in {channel}").format(**values)
        lines.append(line)
    return "\n".join(lines) or _("none")
