"""What /search keeps between searches: bounded, forgotten on every catalog write, never
shared between members whose progress differs; and reads on several connections at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import limits
from bot.catalog import importer
from bot.models import ContentField, SaveOutcome, Viewer, Watched
from bot.store import Store
from bot.store.db import READ_CONNECTIONS
from bot.store.edits import value_token
from bot.store.search import search_terms
from tests.conftest import Databases
from tests.test_search import EPISODES, tide_line

BEHIND = Viewer(1, 2, unset_is_behind=True)


@pytest.fixture
async def store(tmp_path: Path, databases: Databases) -> AsyncIterator[Store]:
    opened = await Store.open(await databases())
    path = tmp_path / "tide-line.toml"
    path.write_text(tide_line(EPISODES))
    await importer.import_file(opened, path)
    try:
        yield opened
    finally:
        await opened.close()


async def labels(store: Store, text: str, who: Viewer = BEHIND) -> tuple[list[str], int]:
    """The passages a member is shown, and how many matches past their progress are counted."""
    found = await store.search.search(search_terms(text), who, None, 10)
    return [m.episode.label for m in found.deep], found.unwatched


async def test_progress_set_after_a_search_changes_the_next_one(store: Store) -> None:
    assert await labels(store, "lighthouse") == ([], 3)
    show = await store.catalog.find_show("tide-line")
    assert show is not None
    first = await store.catalog.episode(show.id, 1, 1)
    assert first is not None
    await store.progress.set(1, 2, first)
    assert await labels(store, "lighthouse") == (["S1E1 · Low Water"], 2)
    # Another member with no progress still shares the first answer, not this one.
    assert await labels(store, "lighthouse", Viewer(1, 3, unset_is_behind=True)) == ([], 3)


async def test_a_catalog_write_forgets_what_was_kept(store: Store, tmp_path: Path) -> None:
    caught_up = Viewer(None, 2, unset_is_behind=False)
    assert await labels(store, "bell", caught_up) == ([], 0)
    assert await store.search.names("bell", 25) == []
    # A recap written in Discord.
    episode = await store.catalog.find_show("tide-line")
    assert episode is not None
    first = await store.catalog.episode(episode.id, 1, 1)
    assert first is not None
    base = value_token(ContentField.RECAP, await store.content.value(first.id, ContentField.RECAP))
    saved = await store.content.save(
        first.id, ContentField.RECAP, "Wren rings the bell.", author_id=2, guild_id=1, base=base
    )
    assert saved.outcome == SaveOutcome.SAVED
    assert await labels(store, "bell", caught_up) == (["S1E1 · Low Water"], 0)
    # A data file's new title.
    path = tmp_path / "tide-line.toml"
    edited = [("Bellwether", *EPISODES[0][1:]), *EPISODES[1:]]
    path.write_text(tide_line(edited))
    await importer.import_file(store, path)
    assert await store.search.names("bell", 25) == ["Bellwether"]


async def test_what_is_kept_is_bounded(store: Store) -> None:
    for n in range(limits.SEARCH_CACHE + 50):
        await store.search.search(search_terms(f"word{n}"), BEHIND, None, 10)
        await store.search.names(f"w{n}", 25)
    assert store.search.kept <= 2 * limits.SEARCH_CACHE
    assert await labels(store, "lighthouse") == ([], 3)


async def test_reads_side_by_side_agree_and_see_every_commit(store: Store) -> None:
    if store.dialect == "postgresql":
        pytest.skip("SQLite only: its read connections beside the writer (PostgreSQL: a pool)")
    assert len(store.readers) == READ_CONNECTIONS >= 2
    words = ["lighthouse", "harbor", "ferry", "storm", "keeper"] * 8
    alone = [await labels(store, w) for w in words]
    store.search.forget()
    together = await asyncio.gather(*(labels(store, w) for w in words))
    assert list(together) == alone
    # A committed write is seen by every read that starts after it, on any connection.
    for n in range(3 * READ_CONNECTIONS):
        await store.set_meta("probe", str(n))
        seen = await asyncio.gather(*(store.get_meta("probe") for _ in store.readers))
        assert seen == [str(n)] * len(store.readers)


async def test_episode_choices_follow_the_catalog(store: Store, tmp_path: Path) -> None:
    show = await store.catalog.find_show("tide-line")
    assert show is not None

    async def both(text: str, number: int | None = None, after: Watched | None = None) -> list:
        chosen = await store.catalog.choose_episodes(show.id, None, text, number, after=after)
        queried = await store.catalog.search_episodes(show.id, None, text, number, after=after)
        assert [e.label for e in chosen] == [e.label for e in queried]
        return [e.label for e in chosen]

    assert await both("TIDE") == ["S1E2 · Spring Tide"]
    assert await both("", 3) == ["S1E3 · Ebb"]
    first = await store.catalog.episode(show.id, 1, 1)
    assert first is not None
    after = Watched(first.id, 1, 1)
    assert await both("", after=after) == ["S1E2 · Spring Tide", "S1E3 · Ebb"]
    path = tmp_path / "tide-line.toml"
    path.write_text(tide_line([EPISODES[0], ("Neap Tide", *EPISODES[1][1:])]))
    await importer.import_file(store, path)
    assert await both("") == ["S1E1 · Low Water", "S1E2 · Neap Tide"]
