"""A show of many episodes, as members meet it: autocomplete starts where they are, and a
member who is behind is pointed at the next episode they have not seen."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time, watched

EPISODE = """
[[episodes]]
season = {season}
number = {number}
title = "Shift {season}-{number}"
synopsis = "The crew of the relay starts shift {season}-{number}."
recap = "Everything that happens in shift {season}-{number}."
ending = "How shift {season}-{number} ends."
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(ROOT / "data" / "for-all-mankind.toml", folder)
    episodes = "".join(EPISODE.format(season=s, number=n) for s in (1, 2) for n in (1, 2, 3))
    (folder / "night-relay.toml").write_text(
        f'[show]\nslug = "night-relay"\ntitle = "Night Relay"\n{episodes}', encoding="utf-8"
    )
    return folder


@pytest.fixture
async def relay(runner: BotRunner, settings: Settings, world: Scene, data_dir: Path) -> BotRunner:
    await runner.start(dataclasses.replace(settings, data_dir=data_dir))
    return runner


async def choices(world: Scene, command: str, **options: Any) -> list[dict]:
    return await world.fd.autocomplete(
        world.alice, world.channel, command, focused="episode", show="night-relay", **options
    )


async def test_autocomplete_starts_at_the_next_unwatched_episode(
    relay: BotRunner, world: Scene
) -> None:
    before = await choices(world, "discuss", episode="")
    assert before[0]["value"] == "S1E1" and len(before) == 6
    await watched(world, world.alice, show="night-relay", episode="S1E2")
    after = await choices(world, "discuss", episode="")
    assert [c["value"] for c in after] == ["S1E3", "S2E1", "S2E2", "S2E3"]
    typed = await choices(world, "discuss", episode="S1E1")
    assert [c["value"] for c in typed] == ["S1E1"]  # what is typed always wins


async def test_progress_set_offers_up_to_labels(relay: BotRunner, world: Scene) -> None:
    offered = await choices(world, "progress set", episode="")
    assert offered[0]["name"] == "Up to S1E1 · Shift 1-1"


async def test_a_member_behind_is_pointed_at_their_next_episode(
    relay: BotRunner, world: Scene
) -> None:
    await watched(world, world.alice, show="night-relay", episode="S1E2")
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="night-relay", season=2, episode="S2E2"
    )
    assert acked_in_time(ix) and ix.ephemeral
    text = ix.reply.content
    assert "covers **S2E2 · Shift 2\\-2**" in text
    assert "next one for you is **S1E3 · Shift 1\\-3**" in text
    card = ix.reply.embeds[0]
    assert card["title"] == "S2E2 · Shift 2-2" and "Everything" not in card["description"]


async def test_a_bare_number_needs_a_season_only_when_there_are_several(
    relay: BotRunner, world: Scene
) -> None:
    await watched(world, world.alice, show="for-all-mankind", episode="6")  # one season there
    ix = await world.fd.slash(
        world.alice, world.channel, "discuss", show="night-relay", episode="3"
    )
    assert acked_in_time(ix) and ix.ephemeral and "I can't find episode" in ix.reply.content
