"""Discussion threads: a title that says what it spoils, and a first post with the rules."""

from __future__ import annotations

from .. import limits
from ..i18n import _
from ..models import Episode, Show
from .text import escape, one_line


def thread_title(show: Show, episode: Episode) -> str:
    """ "For All Mankind S4E6 · Leningrad — spoilers up to S4E6" (thread names hold 100)."""
    title = _("{show} {episode} — spoilers up to {code}").format(
        show=show.title, episode=episode.label, code=episode.code
    )
    return one_line(title, limits.THREAD_NAME)


def rules(episode: Episode, opens_at: float | None = None) -> str:
    text = _(
        "**Spoilers up to {code} are fair game here.** Nothing from later episodes, "
        "please: they get their own threads. Be kind to people who see things differently."
    ).format(code=episode.code)
    if opens_at is not None:
        text += "\n" + _("🔒 This thread opens when the watch party ends, {when}.").format(
            when=f"<t:{int(opens_at)}:R>"
        )
    return text


def tag_names(show: Show, episode: Episode) -> tuple[str, str]:
    """Forum tags for the show and the season (tag names hold 20 characters)."""
    season = _("Season {season}").format(season=episode.season)
    return one_line(show.title, limits.TAG_NAME), one_line(season, limits.TAG_NAME)


def pointer(show: Show, episode: Episode, thread_id: int) -> str:
    return _("💬 Discussion of {show} **{episode}** (spoilers up to {code}): {thread}").format(
        show=escape(show.title),
        episode=escape(episode.label),
        code=escape(episode.code),
        thread=f"<#{thread_id}>",
    )
