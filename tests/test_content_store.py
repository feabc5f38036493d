"""Content written in Discord, in the store: revisions saved once, kept through imports, and
exported to data files that import to exactly the same catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.catalog import exporter, importer
from bot.models import ContentField, Episode, PresetPoll, SaveOutcome
from bot.store import Store
from bot.store.edits import value_token
from tests.conftest import ROOT, Databases
from tests.test_catalog_import import cli

SLUG = "for-all-mankind"
HOSTILE = (
    "Ed says \"\"\" and ''' and || breaks || out @everyone <@123> \\ back\\\\slash\n\n"
    "Kelly\ttabs \x00 nul \u202e reversed ` ``` code ```\n[x] = 1\n# not a comment"
)


@pytest.fixture
async def store(tmp_path: Path, databases: Databases):
    opened = await Store.open(await databases("watchparty.db"))
    shutil.copy(ROOT / "data" / f"{SLUG}.toml", tmp_path / f"{SLUG}.toml")
    await importer.import_file(opened, tmp_path / f"{SLUG}.toml")
    yield opened
    await opened.close()


async def leningrad(store: Store) -> Episode:
    show = await store.catalog.find_show(SLUG)
    assert show is not None
    episode = await store.catalog.episode(show.id, 4, 6)
    assert episode is not None
    return episode


async def edit(store: Store, episode: Episode, field: ContentField, value, author: int = 7):
    base = value_token(field, await store.content.value(episode.id, field))
    return await store.content.save(
        episode.id, field, value, author_id=author, guild_id=1, base=base
    )


async def catalog_rows(store: Store, slug: str) -> dict[str, list[tuple]]:
    """Every catalog table's rows for the show, keyed by what they mean rather than row ids."""
    where = "JOIN episodes AS e ON e.id = t.episode_id JOIN shows AS s ON s.id = e.show_id"
    current = "s.slug = ? AND e.retired_at IS NULL ORDER BY e.season, e.number"
    queries = {
        "shows": "SELECT slug, title, genres, runtime_min, runtime_max, source, tvmaze_id,"
        " imdb_id, network, official_site, image, status, retired_at FROM shows WHERE slug = ?",
        "episodes": "SELECT e.season, e.number, e.title, e.synopsis, e.recap, e.ending,"
        " e.runtime_minutes, e.air_date, e.tvmaze_id, e.air_time, e.image, e.digest"
        " FROM episodes AS e"
        " JOIN shows AS s ON s.id = e.show_id WHERE " + current,
        "links": "SELECT e.season, e.number, t.position, t.label, t.url FROM links AS t"
        f" {where} WHERE {current}, t.position",
        "show_links": "SELECT t.position, t.label, t.url FROM links AS t JOIN shows AS s"
        " ON s.id = t.show_id WHERE s.slug = ? AND t.episode_id IS NULL ORDER BY t.position",
        "credits": "SELECT e.season, e.number, t.billing, t.actor, t.character FROM credits"
        f" AS t {where} WHERE {current}, t.billing",
        "show_credits": "SELECT t.billing, t.actor, t.character FROM credits AS t JOIN shows"
        " AS s ON s.id = t.show_id WHERE s.slug = ? AND t.episode_id IS NULL ORDER BY t.billing",
        "preset_polls": "SELECT e.season, e.number, t.position, t.question, t.options FROM"
        f" preset_polls AS t {where} WHERE {current}, t.position",
        "spoiler_terms": "SELECT e.season, e.number, t.term FROM spoiler_terms AS t"
        f" {where} WHERE {current}, t.term",
        "specials": "SELECT t.position, t.title, t.tvmaze_id, t.air_date, t.air_time,"
        " t.runtime_minutes, t.synopsis, t.image FROM specials AS t JOIN shows AS s"
        " ON s.id = t.show_id WHERE s.slug = ? ORDER BY t.position",
    }
    return {
        name: [tuple(row) for row in await store.fetchall(sql, (slug,))]
        for name, sql in queries.items()
    }


async def test_export_imports_to_the_same_catalog(
    store: Store, tmp_path: Path, databases: Databases
) -> None:
    episode = await leningrad(store)
    poll = PresetPoll('Who "wins"? @here', ("Danielle || Ed", "<@&1> nobody"))
    for field, value in (
        (ContentField.RECAP, HOSTILE + "\n\n" + ("A long night. " * 700).strip()),
        (ContentField.ENDING, HOSTILE),
        (ContentField.SYNOPSIS, 'A quiet set-up, "quoted" and\nwrapped.'),
        (ContentField.SPOILER_TERMS, ("defector*", "lunar orbit", "kelly's plan")),
        (ContentField.POLLS, (poll,)),
    ):
        assert (await edit(store, episode, field, value)).outcome is SaveOutcome.SAVED
    before = await catalog_rows(store, SLUG)

    out = tmp_path / "export"
    out.mkdir()
    [path] = await exporter.export_all(store, out)
    fresh = await Store.open(await databases("fresh.db"))
    try:
        await importer.import_file(fresh, path)
        assert await catalog_rows(fresh, SLUG) == before
    finally:
        await fresh.close()

    # Back into the same store: nothing changes, and the edits have reached the file.
    change = await importer.import_file(store, path, force=True)
    assert change is not None and (change.added, change.updated, change.retired) == (0, 0, 0)
    assert change.kept == 0
    assert await catalog_rows(store, SLUG) == before
    assert await store.fetchall("SELECT * FROM field_edits") == []


async def test_file_import_keeps_a_discord_edit_and_says_so(store: Store, tmp_path: Path) -> None:
    episode = await leningrad(store)
    await edit(store, episode, ContentField.RECAP, "Written in Discord.")
    path = tmp_path / f"{SLUG}.toml"
    # The file changes the episode (its title), so its row is rewritten: the edit stays.
    path.write_text(path.read_text().replace('title = "Leningrad"', 'title = "Leningrad!"'))
    result = cli(tmp_path, "import", str(path), database=store.path)
    assert result.stdout.endswith("unchanged, kept 1 Discord edit\n"), result.stderr
    again = await store.catalog.episode_by_id(episode.id)
    assert again is not None and again.title == "Leningrad!"
    assert again.recap == "Written in Discord."


async def test_saves_once_refuses_stale_edits_and_reverts(store: Store) -> None:
    episode = await leningrad(store)
    field = ContentField.ENDING
    opened_with = value_token(field, episode.ending)
    first = await store.content.save(
        episode.id, field, "One.", author_id=7, guild_id=1, base=opened_with, interaction_id=11
    )
    assert first.outcome is SaveOutcome.SAVED and first.revision is not None
    # The same submission delivered again, and the same text submitted twice: saved once.
    again = await store.content.save(
        episode.id, field, "One.", author_id=7, guild_id=1, base=opened_with, interaction_id=11
    )
    twice = await store.content.save(
        episode.id, field, "One.", author_id=7, guild_id=1, base=opened_with, interaction_id=12
    )
    assert again.outcome is twice.outcome is SaveOutcome.DUPLICATE
    # Someone else, from a modal opened before the first save: refused.
    stale = await store.content.save(
        episode.id, field, "Two.", author_id=8, guild_id=1, base=opened_with, interaction_id=13
    )
    assert stale.outcome is SaveOutcome.CONFLICT
    history = await store.content.history(episode.id, field, 25)
    assert [(r.author_id, r.value) for r in history] == [(7, "One."), (None, episode.ending)]
    # Reverting to the data file's text is a new revision.
    original = history[-1]
    reverted = await edit(store, episode, field, original.value, author=8)
    assert reverted.outcome is SaveOutcome.SAVED
    assert (await store.catalog.episode_by_id(episode.id)).ending == episode.ending  # type: ignore[union-attr]
    assert len(await store.content.history(episode.id, field, 25)) == 3


async def test_cli_export_writes_a_file_the_reader_accepts(store: Store, tmp_path: Path) -> None:
    episode = await leningrad(store)
    await edit(store, episode, ContentField.RECAP, "Written in Discord.")
    out = tmp_path / "out"
    out.mkdir()
    result = cli(tmp_path, "export", SLUG, "--to", str(out), database=store.path)
    assert result.returncode == 0 and result.stdout == f"exported: {out / f'{SLUG}.toml'}\n"
    checked = cli(tmp_path, "check", str(out / f"{SLUG}.toml"), database=store.path)
    assert checked.stdout.startswith(f"ok: {SLUG}.toml"), checked.stderr
    assert 'recap = "Written in Discord."' in (out / f"{SLUG}.toml").read_text()
    missing = cli(tmp_path, "export", "no-such-show", "--to", str(out), database=store.path)
    assert missing.returncode == 1 and "no show has the slug" in missing.stderr
