"""Content written in Discord: revisions of an episode's fields, saved once each, and the
catalog read back as data files (`python -m bot export`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..models import (
    ContentField,
    Credit,
    FieldValue,
    Revision,
    SaveOutcome,
    SaveResult,
    Show,
    ShowFile,
    Special,
)
from .db import Database, from_row
from .edits import (
    decode,
    encode,
    episode_file,
    read_value,
    refresh_digest,
    value_token,
    write_value,
)

if TYPE_CHECKING:
    import aiosqlite

_REVISION = (
    "SELECT id, episode_id, field, value, author_id, guild_id, created_at, reverted_from"
    " FROM revisions"
)


def _revision(row: Any) -> Revision:
    field = ContentField(row["field"])
    return from_row(Revision, row, field=field, value=decode(field, row["value"]))


class ContentQueries:
    """Revisions of episode fields, and the catalog as data files."""

    def __init__(self, db: Database, on_change: Callable[[], None] = lambda: None) -> None:
        self.db = db
        # Saves change catalog rows another query class caches: this tells it to forget.
        self.on_change = on_change

    async def value(self, episode_id: int, field: ContentField) -> FieldValue:
        """The field's live value (a Discord edit, or the data file's)."""
        # The reader: what is committed, never another task's write in progress.
        async with self.db.reading() as reader:
            return await read_value(reader, episode_id, field)

    async def revision(self, revision_id: int) -> Revision | None:
        row = await self.db.fetchone(f"{_REVISION} WHERE id = ?", (revision_id,))
        return _revision(row) if row else None

    async def history(self, episode_id: int, field: ContentField, limit: int) -> list[Revision]:
        """The field's revisions, newest first."""
        rows = await self.db.fetchall(
            f"{_REVISION} WHERE episode_id = ? AND field = ? ORDER BY id DESC LIMIT ?",
            (episode_id, field.value, limit),
        )
        return [_revision(row) for row in rows]

    async def live_revision(self, episode_id: int, field: ContentField) -> int | None:
        """The revision whose value is live, while the field is edited in Discord."""
        row = await self.db.fetchone(
            "SELECT revision_id FROM field_edits WHERE episode_id = ? AND field = ?",
            (episode_id, field.value),
        )
        return int(row[0]) if row else None

    async def save(
        self,
        episode_id: int,
        field: ContentField,
        value: FieldValue,
        *,
        author_id: int,
        guild_id: int | None,
        base: str,
        interaction_id: int | None = None,
        reverted_from: int | None = None,
    ) -> SaveResult:
        """Save `value` as a new revision, unless the field changed since the editor saw the
        value fingerprinted by `base` (see value_token), or this submission was saved already.

        One transaction: the check and the write cannot be split by another save. Afterwards
        the catalog's cached reads are forgotten, whatever happened (`on_change`)."""
        if field is ContentField.SPOILER_TERMS:
            # As the table orders them, so the revision compares equal to what is read back.
            value = tuple(sorted({t for t in value if isinstance(t, str)}))
        async with self.db.transaction(then=self.on_change) as db:
            if interaction_id is not None:
                seen = await _one(db, f"{_REVISION} WHERE interaction_id = ?", (interaction_id,))
                if seen is not None:
                    return SaveResult(SaveOutcome.DUPLICATE, _revision(seen))
            current = await read_value(db, episode_id, field)
            latest = await _one(
                db,
                f"{_REVISION} WHERE episode_id = ? AND field = ? ORDER BY id DESC LIMIT 1",
                (episode_id, field.value),
            )
            last = _revision(latest) if latest else None
            if current == value:
                # The same text sent twice (a double submit): the first one saved it.
                twice = last is not None and last.author_id == author_id and last.value == value
                outcome = SaveOutcome.DUPLICATE if twice else SaveOutcome.UNCHANGED
                return SaveResult(outcome, last)
            if value_token(field, current) != base:
                return SaveResult(SaveOutcome.CONFLICT, last)
            now = time.time()
            if last is None:
                # The data file's text, so the first edit can be undone.
                await _insert(
                    db, (episode_id, field.value, encode(field, current), None, None, now)
                )
            revision_id = await _insert(
                db,
                (episode_id, field.value, encode(field, value), author_id, guild_id, now),
                reverted_from,
                interaction_id,
            )
            await write_value(db, episode_id, field, value)
            await db.execute(
                "INSERT INTO field_edits (episode_id, field, revision_id) VALUES (?, ?, ?)"
                " ON CONFLICT (episode_id, field) DO UPDATE SET revision_id = excluded.revision_id",
                (episode_id, field.value, revision_id),
            )
            await refresh_digest(db, episode_id)
            saved = await _one(db, f"{_REVISION} WHERE id = ?", (revision_id,))
        return SaveResult(SaveOutcome.SAVED, _revision(saved))

    async def written_in_discord(self, show_tvmaze_id: int) -> frozenset[int]:
        """TVmaze ids of the show's episodes whose live recap or ending was written in Discord."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT e.tvmaze_id FROM field_edits AS f"
            " JOIN episodes AS e ON e.id = f.episode_id JOIN shows AS s ON s.id = e.show_id"
            " WHERE s.tvmaze_id = ? AND f.field IN ('recap', 'ending')"
            " AND e.tvmaze_id IS NOT NULL",
            (show_tvmaze_id,),
        )
        return frozenset(int(row["tvmaze_id"]) for row in rows)

    async def show_file(self, show: Show) -> ShowFile:
        """The show as its data file would describe it now, Discord edits included."""
        cast = await self.db.fetchall(
            "SELECT actor, character FROM credits WHERE show_id = ? AND episode_id IS NULL"
            " ORDER BY billing",
            (show.id,),
        )
        ids = await self.db.fetchall(
            "SELECT id FROM episodes WHERE show_id = ? AND retired_at IS NULL"
            " ORDER BY season, number",
            (show.id,),
        )
        specials = await self.db.fetchall(
            "SELECT * FROM specials WHERE show_id = ? ORDER BY position", (show.id,)
        )
        async with self.db.reading() as reader:
            episodes = [await episode_file(reader, row["id"]) for row in ids]
        return ShowFile(
            show=show,
            cast=tuple(from_row(Credit, row) for row in cast),
            episodes=tuple(episodes),
            specials=tuple(from_row(Special, row) for row in specials),
        )


async def _one(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    async with db.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def _insert(
    db: aiosqlite.Connection,
    values: tuple[Any, ...],
    reverted_from: int | None = None,
    interaction_id: int | None = None,
) -> int:
    async with db.execute(
        "INSERT INTO revisions (episode_id, field, value, author_id, guild_id, created_at,"
        " reverted_from, interaction_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (*values, reverted_from, interaction_id),
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None  # INSERT ... RETURNING always returns the row it wrote
    return int(row[0])
