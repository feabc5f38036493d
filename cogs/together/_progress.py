"""The one place choosing-together asks "has this member watched that episode?".

/catchup and progress that follows the party both decide through `has_watched`, reading
progress only through ProgressQueries' public methods, so a change in how progress is stored
is followed here alone.
"""

from __future__ import annotations

from bot.models import Episode, Watched


def has_watched(seen: Watched | None, episode: Episode) -> bool:
    """True when the member's progress covers `episode` (no progress: nothing is covered)."""
    return seen is not None and seen.covers(episode)


def progress_at(episode: Episode) -> Watched:
    """Progress that says "watched up to and including `episode`"."""
    return Watched(episode.id, episode.season, episode.number)
