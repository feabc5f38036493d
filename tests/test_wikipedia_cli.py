"""`python -m bot wikipedia SLUG` end to end against the fake Wikipedia in harness/.

Each test writes a small data file (the project's own invented shows), runs the command's
code as the CLI does, and asserts the lines an operator reads, the file and the store.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import __version__
from bot.catalog.datafiles import load
from bot.cli.sources import wikipedia_recaps
from bot.settings import Settings
from bot.store import Store, is_postgresql
from harness.fakewikipedia import FakeWikipedia, standard_pages
from tests.conftest import Databases
from tests.stores import store_env

ROOT = Path(__file__).resolve().parents[1]

KEEPERS = """\
#:schema ./schema.json
# A hand-kept file: this comment must survive the Wikipedia writer.
[show]
slug = "lighthouse-keepers"
title = "{title}"

[[episodes]]
season = 1
number = 1
title = "First Light"
air_date = 2021-03-04

[[episodes]]
season = 1
number = 2
title = "Fog Signal"
air_date = 2021-03-11

[[episodes]]
season = 1
number = 3
title = "The Tender"
air_date = 2021-03-18
recap = "Written by hand: Ansel arrives, and the light fails."

[[episodes]]
season = 2
number = 1
title = "Low Tide"
air_date = 2022-05-02

[[episodes]]
season = 2
number = 2
title = "Gull Count"
air_date = 2022-05-09

[[episodes]]
season = 2
number = 3
title = "The Long Watch (1)"
air_date = 2022-05-16

[[episodes]]
season = 2
number = 4
title = "The Long Watch (2)"
air_date = 2022-05-16
"""

FERRY = """\
[show]
slug = "night-ferry"
title = "Night Ferry"

[[episodes]]
season = 1
number = 1
title = "Leaves Late"
air_date = 2019-09-01

[[episodes]]
season = 1
number = 2
title = "Turns Back"
air_date = 2019-09-08

[[episodes]]
season = 1
number = 3
title = "Runs Aground"
air_date = 2019-09-15

[[episodes]]
season = 2
number = 1
title = "Takes On Water"

[[episodes]]
season = 2
number = 2
title = "Reaches Port"
air_date = 2020-09-08
"""


@pytest.fixture
async def fake() -> AsyncIterator[FakeWikipedia]:
    async with FakeWikipedia(standard_pages()) as server:
        yield server


def make_settings(tmp_path: Path, fake: FakeWikipedia, store: str | None = None) -> Settings:
    """The CLI's settings; `store` (from `databases`) for a run that imports what it wrote, on
    either store. A run refused before writing never opens the store."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return Settings(
        token="",
        database=tmp_path / "watchparty.db",
        database_url=store if store and is_postgresql(store) else None,
        data_dir=data,
        wikipedia_api_base=fake.api_url,
        wikipedia_contact="watchparty-tests@example.org",
    )


def write(settings: Settings, name: str, text: str) -> Path:
    path = settings.data_dir / name
    path.write_text(text, encoding="utf-8")
    return path


async def run(
    settings: Settings, capsys: pytest.CaptureFixture[str], slug: str, article: str | None = None
) -> tuple[int, list[str], str]:
    code = await wikipedia_recaps(settings, slug, article)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def episode(path: Path, season: int, number: int) -> dict[str, object]:
    doc = tomllib.loads(path.read_text("utf-8"))
    return next(e for e in doc["episodes"] if (e["season"], e["number"]) == (season, number))


async def test_list_with_two_parts_segments_and_specials(
    tmp_path: Path,
    fake: FakeWikipedia,
    capsys: pytest.CaptureFixture[str],
    databases: Databases,
) -> None:
    settings = make_settings(tmp_path, fake, await databases())
    path = write(settings, "keepers.toml", KEEPERS.format(title="Lighthouse Keepers"))
    code, lines, err = await run(settings, capsys, "lighthouse-keepers")
    assert code == 0, err
    assert lines[:3] == [
        "article: List of Lighthouse Keepers episodes (revision 9001)",
        "matched: 6 episode(s)",
        "recaps written: 5 (S1E1, S1E2, S2E2, S2E3, S2E4)",
    ]
    assert "skipped, a person wrote the recap: S1E3" in lines
    assert (
        "mismatch, not written: S2E1: title differs: Wikipedia “Low Water”, data file “Low Tide”"
        in lines
    )
    assert (
        "not matched: special “Keepers' Christmas”: specials have no recap in the data file"
        in lines
    )
    first = episode(path, 1, 1)
    assert first["recap_source"] == {
        "site": "wikipedia",
        "article": "List of Lighthouse Keepers episodes",
        "revision": 9001,
    }
    assert "40 years" in str(first["recap"]) and "<ref" not in str(first["recap"])
    # Two segments make one episode's recap; a two-part row gives both episodes its summary.
    assert episode(path, 2, 2)["recap"] == (
        "Ansel counts gulls for a census.\n\nWren repaints the salt lines on the gallery."
    )
    assert episode(path, 2, 3)["recap"] == episode(path, 2, 4)["recap"]
    assert episode(path, 1, 3)["recap"] == "Written by hand: Ansel arrives, and the light fails."
    assert "recap_source" not in episode(path, 1, 3)
    text = path.read_text("utf-8")
    assert "# A hand-kept file: this comment must survive the Wikipedia writer." in text
    parsed = load(path)  # the strict reader takes the file, and the credit is on the model
    assert parsed.episodes[0].episode.recap_source is not None
    store = await Store.open(settings.store_target)
    try:
        rows = await store.fetchall(
            "SELECT season, number, recap_site, recap_article, recap_revision FROM episodes"
            " WHERE recap_site IS NOT NULL ORDER BY season, number"
        )
    finally:
        await store.close()
    assert [tuple(r) for r in rows][:1] == [
        (1, 1, "wikipedia", "List of Lighthouse Keepers episodes", 9001)
    ]
    assert len(rows) == 5


async def test_person_written_recap_survives_and_wikipedia_recap_follows_revisions(
    tmp_path: Path,
    fake: FakeWikipedia,
    capsys: pytest.CaptureFixture[str],
    databases: Databases,
) -> None:
    settings = make_settings(tmp_path, fake, await databases())
    path = write(settings, "keepers.toml", KEEPERS.format(title="Lighthouse Keepers"))
    assert (await run(settings, capsys, "lighthouse-keepers"))[0] == 0
    # A person rewrites S1E2's recap in the file; Wikipedia's editors revise the list.
    text = path.read_text("utf-8")
    start = text.index("A fog rolls in")
    end = text.index('"""', start)
    path.write_text(text[:start] + "Our own words about the fog." + text[end:], "utf-8")
    page = fake.by_title["List of Lighthouse Keepers episodes"]
    fake.edit(page.title, page.text.replace("The supply boat does not come back.", "No boat."))
    code, lines, err = await run(settings, capsys, "lighthouse-keepers")
    assert code == 0, err
    assert "recap updated: S1E1 (revision 9002)" in lines
    assert "skipped, a person wrote the recap: S1E2" in lines
    assert "unchanged: 3 recap(s) already Wikipedia's latest" in lines
    assert str(episode(path, 1, 1)["recap"]).endswith("No boat.")
    assert episode(path, 1, 1)["recap_source"]["revision"] == 9002  # type: ignore[index]
    assert episode(path, 1, 2)["recap"] == "Our own words about the fog."
    assert "recap_source" not in episode(path, 1, 2)


async def test_season_articles_are_fetched_in_one_batch(
    tmp_path: Path,
    fake: FakeWikipedia,
    capsys: pytest.CaptureFixture[str],
    databases: Databases,
) -> None:
    settings = make_settings(tmp_path, fake, await databases())
    path = write(settings, "ferry.toml", FERRY)
    code, lines, err = await run(settings, capsys, "night-ferry")
    assert code == 0, err
    assert lines[:4] == [
        "article: List of Night Ferry episodes (revision 9100)",
        "article: Night Ferry season 1 (revision 9101)",
        "article: Night Ferry season 2 (revision 9102)",
        "matched: 5 episode(s)",
    ]
    assert episode(path, 2, 1)["recap_source"] == {
        "site": "wikipedia",
        "article": "Night Ferry season 2",
        "revision": 9102,
    }
    # One call for the list, one for both season articles; never two at once.
    assert [r.get("titles") for r in fake.requests] == [
        "List of Night Ferry episodes",
        "Night Ferry season 1|Night Ferry season 2",
    ]
    assert fake.most_in_flight == 1
    assert all(r["maxlag"] == "5" for r in fake.requests)


async def test_redirect_is_followed(
    tmp_path: Path,
    fake: FakeWikipedia,
    capsys: pytest.CaptureFixture[str],
    databases: Databases,
) -> None:
    settings = make_settings(tmp_path, fake, await databases())
    write(settings, "keepers.toml", KEEPERS.format(title="The Lighthouse Keepers"))
    code, lines, err = await run(settings, capsys, "lighthouse-keepers")
    assert code == 0, err
    assert lines[0] == "article: List of Lighthouse Keepers episodes (revision 9001)"


async def test_disambiguation_is_refused_in_one_line(
    tmp_path: Path, fake: FakeWikipedia, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, fake)
    before = KEEPERS.format(title="Crossing").replace("lighthouse-keepers", "crossing")
    path = write(settings, "crossing.toml", before)
    code, lines, err = await run(settings, capsys, "crossing")
    assert code == 1 and lines == []
    assert err == (
        "error: “List of Crossing episodes” is a disambiguation page on Wikipedia: name the "
        "show's episode list with --article TITLE. (the data file was not changed)\n"
    )
    assert path.read_text("utf-8") == before


async def test_missing_article_is_one_line_and_leaves_the_file(
    tmp_path: Path, fake: FakeWikipedia, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, fake)
    path = write(settings, "ferry.toml", FERRY)
    code, lines, err = await run(settings, capsys, "night-ferry", "List of Day Ferry episodes")
    assert code == 1 and lines == []
    assert err == (
        "error: Wikipedia has no article “List of Day Ferry episodes”: check the title. "
        "(the data file was not changed)\n"
    )
    assert path.read_text("utf-8") == FERRY


async def test_named_article_overrides_the_search(
    tmp_path: Path,
    fake: FakeWikipedia,
    capsys: pytest.CaptureFixture[str],
    databases: Databases,
) -> None:
    settings = make_settings(tmp_path, fake, await databases())
    path = write(settings, "ferry.toml", FERRY.replace('title = "Night Ferry"', 'title = "Ferry"'))
    code, lines, err = await run(settings, capsys, "night-ferry", "List of Night Ferry episodes")
    assert code == 0, err
    assert "matched: 5 episode(s)" in lines
    # The file names the article now, as /catalog source would: the next run reads it.
    assert "recorded: later refreshes read List of Night Ferry episodes" in lines
    show = tomllib.loads(path.read_text("utf-8"))["show"]
    assert show["wikipedia"] == "List of Night Ferry episodes"
    fake.requests.clear()
    code, lines, err = await run(settings, capsys, "night-ferry")
    assert code == 0 and "matched: 5 episode(s)" in lines, err
    assert all(r.get("list") != "search" for r in fake.requests)
    assert all("List of Ferry episodes" not in r.get("titles", "") for r in fake.requests)


async def test_busy_wikipedia_429_then_maxlag_then_success(
    tmp_path: Path,
    fake: FakeWikipedia,
    capsys: pytest.CaptureFixture[str],
    databases: Databases,
) -> None:
    settings = make_settings(tmp_path, fake, await databases())
    write(settings, "ferry.toml", FERRY)
    fake.script(status=429, retry_after=0)
    fake.script(maxlag=True, retry_after=0)
    code, lines, err = await run(settings, capsys, "night-ferry")
    assert code == 0, err
    assert "matched: 5 episode(s)" in lines
    assert len(fake.requests) == 4  # two turned away, then the list and the seasons


async def test_wikipedia_that_stays_busy_is_one_line(
    tmp_path: Path, fake: FakeWikipedia, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, fake)
    path = write(settings, "ferry.toml", FERRY)
    fake.script(status=503, retry_after=0, times=10)
    code, _, err = await run(settings, capsys, "night-ferry")
    assert code == 1
    assert err == (
        "error: Wikipedia is busy and kept asking us to wait: try again in a few minutes. "
        "(the data file was not changed)\n"
    )
    assert path.read_text("utf-8") == FERRY


async def test_unknown_slug_and_missing_contact(
    tmp_path: Path, fake: FakeWikipedia, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, fake)
    code, _, err = await run(settings, capsys, "no-such-show")
    assert code == 1 and err.startswith("error: No data file in ")
    assert err.endswith("has the slug “no-such-show”. (the data file was not changed)\n")
    anonymous = Settings(token="", data_dir=settings.data_dir, wikipedia_api_base=fake.api_url)
    code, _, err = await run(anonymous, capsys, "no-such-show")
    assert code == 1 and err.startswith("error: WIKIPEDIA_CONTACT is not set")
    assert fake.requests == []


async def test_the_real_command_line(
    tmp_path: Path, fake: FakeWikipedia, databases: Databases
) -> None:
    """`python -m bot wikipedia` as an operator runs it, configured through the environment."""
    settings = make_settings(tmp_path, fake, await databases())
    path = write(settings, "ferry.toml", FERRY)
    env = {
        **os.environ,
        "DATA_DIR": str(settings.data_dir),
        **store_env(settings.store_target),
        "WIKIPEDIA_API_BASE": fake.api_url,
        "WIKIPEDIA_CONTACT": "ops@example.org",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "wikipedia",
        "night-ferry",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    assert "matched: 5 episode(s)" in lines
    assert lines[-1].startswith("imported: ferry.toml:")
    assert "recap_source" in path.read_text("utf-8")
    assert fake.user_agents == [f"Watchparty/{__version__} (ops@example.org)"] * 2


async def test_search_finds_the_list_when_the_title_is_not_exact(
    tmp_path: Path,
    fake: FakeWikipedia,
    capsys: pytest.CaptureFixture[str],
    databases: Databases,
) -> None:
    settings = make_settings(tmp_path, fake, await databases())
    write(settings, "keepers.toml", KEEPERS.format(title="Keepers"))
    code, lines, err = await run(settings, capsys, "lighthouse-keepers")
    assert code == 0, err
    assert lines[0] == "article: List of Lighthouse Keepers episodes (revision 9001)"
    assert [r.get("list") for r in fake.requests] == [None, "search", None]


def test_settings_from_the_environment() -> None:
    env = {"WIKIPEDIA_CONTACT": "  ops@example.org  ", "WIKIPEDIA_API_BASE": " http://x/api "}
    settings = Settings.from_env(env, need_token=False)
    assert settings.wikipedia_contact == "ops@example.org"
    assert settings.wikipedia_api_base == "http://x/api"
    default = Settings.from_env({}, need_token=False)
    assert default.wikipedia_api_base == "https://en.wikipedia.org/w/api.php"
    assert default.wikipedia_contact == ""


async def test_no_list_found_by_search_is_one_line(
    tmp_path: Path, fake: FakeWikipedia, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, fake)
    before = FERRY.replace('title = "Night Ferry"', 'title = "Day Ferry"')
    path = write(settings, "ferry.toml", before)
    code, lines, err = await run(settings, capsys, "night-ferry")
    assert code == 1 and lines == []
    assert err == (
        "error: Wikipedia has no “List of Day Ferry episodes” and no search hit like it: name "
        "the article with --article TITLE. (the data file was not changed)\n"
    )
    assert path.read_text("utf-8") == before
