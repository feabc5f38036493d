"""Discussion threads: a title that says what it spoils, and a first post with the rules."""

from __future__ import annotations

from .. import limits
from ..models import Episode, Show
from .text import escape, one_line


def thread_title(show: Show, episode: Episode) -> str:
    """ "For All Mankind S4E6 · Leningrad — spoilers up to S4E6" (thread names hold 100)."""
    return one_line(
        f"{show.title} {episode.label} — spoilers up to {episode.code}", limits.THREAD_NAME
    )


def rules(episode: Episode, opens_at: float | None = None) -> str:
    text = (
        f"**Spoilers up to {episode.code} are fair game here.** Nothing from later episodes, "
        "please: they get their own threads. Be kind to people who see things differently."
    )
    if opens_at is not None:
        text += f"\n🔒 This thread opens when the watch party ends, <t:{int(opens_at)}:R>."
    return text


def tag_names(show: Show, episode: Episode) -> tuple[str, str]:
    """Forum tags for the show and the season (tag names hold 20 characters)."""
    return one_line(show.title, limits.TAG_NAME), f"Season {episode.season}"


def pointer(show: Show, episode: Episode, thread_id: int) -> str:
    return (
        f"💬 Discussion of {escape(show.title)} **{escape(episode.label)}** "
        f"(spoilers up to {escape(episode.code)}): <#{thread_id}>"
    )
