"""New-episode alerts for members who follow a show. Spoiler-free: codes, titles, air dates."""

from __future__ import annotations

from .. import limits
from ..i18n import _, ngettext
from ..models import NewEpisodes
from .text import escape, one_line

# Enough lines for a new season; a longer batch (a whole show's back catalogue) is summed up.
LISTED = 10


def new_episodes(batch: NewEpisodes) -> str:
    """One message for a batch of new episodes of one show."""
    episodes = batch.episodes
    count = len(episodes)
    title = escape(one_line(batch.show.title, limits.TITLE))
    head = ngettext(
        "📺 A new episode of **{show}** is in the catalog:",
        "📺 {count} new episodes of **{show}** are in the catalog:",
        count,
    ).format(show=title, count=count)
    lines = [head]
    for episode in episodes[:LISTED]:
        label = escape(one_line(episode.label, limits.CHOICE_NAME))
        lines.append(
            _("• {episode} (airs {date})").format(episode=label, date=episode.air_date)
            if episode.air_date
            else f"• {label}"
        )
    if count > LISTED:
        more = count - LISTED
        lines.append(
            ngettext("… and {count} more.", "… and {count} more.", more).format(count=more)
        )
    return "\n".join(lines)


def follow_footer(server: str) -> str:
    """What a DM adds so the member knows why it came and how to stop it."""
    why = _("You follow this show in {server}. `/follow remove` there stops these messages.")
    return "-# " + why.format(server=escape(one_line(server, 100)))
