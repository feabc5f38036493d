"""New-episode alerts for members who follow a show. Spoiler-free: codes, titles, air dates."""

from __future__ import annotations

from .. import limits
from ..models import NewEpisodes
from .text import escape, one_line

# Enough lines for a new season; a longer batch (a whole show's back catalogue) is summed up.
LISTED = 10


def new_episodes(batch: NewEpisodes) -> str:
    """One message for a batch of new episodes of one show."""
    episodes = batch.episodes
    count = len(episodes)
    title = escape(one_line(batch.show.title, limits.TITLE))
    head = (
        f"📺 A new episode of **{title}** is in the catalog:"
        if count == 1
        else f"📺 {count} new episodes of **{title}** are in the catalog:"
    )
    lines = [head]
    for episode in episodes[:LISTED]:
        aired = f" (airs {episode.air_date})" if episode.air_date else ""
        lines.append(f"• {escape(one_line(episode.label, limits.CHOICE_NAME))}{aired}")
    if count > LISTED:
        lines.append(f"… and {count - LISTED} more.")
    return "\n".join(lines)


def follow_footer(server: str) -> str:
    """What a DM adds so the member knows why it came and how to stop it."""
    return (
        f"-# You follow this show in {escape(one_line(server, 100))}. "
        "`/follow remove` there stops these messages."
    )
