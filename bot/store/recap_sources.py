"""Where an episode's recap came from (migration 0015): read with the episode, written by the
import, cleared by a Discord edit of the recap (edits.py), so the credit follows the text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import EpisodeFile, RecapSource

if TYPE_CHECKING:
    import aiosqlite

COLUMNS = "recap_site, recap_article, recap_revision"


def recap_source(row: Any) -> RecapSource | None:
    """The source in an episode row that selected COLUMNS, or None for people's recaps."""
    if row["recap_site"] is None:
        return None
    return RecapSource(row["recap_site"], row["recap_article"], int(row["recap_revision"]))


async def write_recap_sources(
    db: aiosqlite.Connection, items: list[tuple[int, EpisodeFile]]
) -> None:
    """Store each written entry's recap source (or none), inside the import's transaction."""
    await db.executemany(
        "UPDATE episodes SET recap_site = ?, recap_article = ?, recap_revision = ? WHERE id = ?",
        [
            (s.site, s.article, s.revision, episode_id)
            if (s := item.episode.recap_source)
            else (None, None, None, episode_id)
            for episode_id, item in items
        ],
    )
