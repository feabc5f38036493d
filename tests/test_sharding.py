"""Shards: the emulator's routing and refusals, and the bot run as several shard processes."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import discord
import pytest

from bot.app import Watchparty, open_bot
from bot.cli.run import shard_refusal
from bot.settings import Settings, SettingsError
from bot.sharding import describe, shard_for
from harness.fakediscord import FakeDiscord
from harness.fakediscord.driver import Server
from harness.process import BotProcess
from tests.conftest import BotRunner, acked_in_time

# -- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("4", "0-1", (0, 1)),
        ("4", "0,2", (0, 2)),
        ("8", " 0-1, 5 ,3-4 ", (0, 1, 3, 4, 5)),
        ("2", "1", (1,)),
        ("3", "", None),
        ("", "", None),
    ],
)
def test_shard_settings(count: str, ids: str, expected: tuple[int, ...] | None) -> None:
    settings = Settings.from_env(
        {"DISCORD_TOKEN": "t", "SHARD_COUNT": count, "SHARD_IDS": ids}, need_token=True
    )
    assert settings.shard_ids == expected
    assert settings.shard_count == (int(count) if count else None)
    assert settings.syncs_commands == (expected is None or 0 in expected)


@pytest.mark.parametrize(
    ("count", "ids", "says"),
    [
        ("", "0-1", "SHARD_IDS='0-1' needs SHARD_COUNT"),
        ("0", "", "SHARD_COUNT='0' is not a number of shards"),
        ("two", "", "SHARD_COUNT='two' is not a number of shards"),
        ("2", "2", "names shard 2, but with SHARD_COUNT=2 the shards are 0-1"),
        ("4", "3-1", "the range 3-1 runs backwards"),
        ("4", "0-2,2", "names shard 2 twice"),
        ("4", "0-", "'0-' is not a shard id or a range"),
        ("4", "-1", "'-1' is not a shard id or a range"),
        ("4", "0;1", "'0;1' is not a shard id or a range"),
    ],
)
def test_malformed_shard_settings_are_one_line(count: str, ids: str, says: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"DISCORD_TOKEN": "t", "SHARD_COUNT": count, "SHARD_IDS": ids})
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_shard_for_is_discords_formula() -> None:
    # The id's top bits are milliseconds since 2015; Discord takes them modulo the count.
    guild_id = (1_234_567 << 22) | 0x3FFFFF
    assert [shard_for(guild_id, n) for n in (1, 2, 3, 10)] == [0, 1, 1, 7]


@pytest.mark.parametrize(
    ("ids", "count", "text"),
    [
        (None, None, "every shard Discord recommends"),
        (None, 4, "shards 0-3 of 4"),
        ((1,), 2, "shard 1 of 2"),
        ((0, 2), 4, "shards 0, 2 of 4"),
    ],
)
def test_the_start_up_line_names_the_shards(
    ids: tuple[int, ...] | None, count: int | None, text: str
) -> None:
    assert describe(ids, count) == text


def test_discords_shard_refusals_are_one_line_naming_the_setting() -> None:
    unset = Settings(token="t")
    manual = Settings(token="t", shard_count=2)
    for code, settings, setting in (
        (4011, unset, "SHARD_COUNT"),
        (4011, manual, "SHARD_COUNT=2"),
        (4010, manual, "SHARD_IDS"),
    ):
        line = shard_refusal(code, settings)
        assert line is not None and setting in line and "\n" not in line
    assert shard_refusal(4000, manual) is None


# -- the bot -------------------------------------------------------------------------------


def on_shards(settings: Settings, ids: tuple[int, ...], count: int) -> Settings:
    return dataclasses.replace(settings, shard_count=count, shard_ids=ids)


def record_interactions(bot: Watchparty) -> list[int]:
    seen: list[int] = []

    async def on_interaction(interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        seen.append(interaction.guild_id)

    bot.add_listener(on_interaction)
    return seen


async def about_everywhere(fd: FakeDiscord, servers: list[Server], timeout: float = 5) -> list[Any]:  # noqa: ASYNC109
    return await asyncio.gather(
        *(fd.slash(s.members[0], s.channel, "about", timeout=timeout) for s in servers)
    )


async def test_two_shard_processes_each_answer_their_own_servers(
    fd: FakeDiscord, settings: Settings
) -> None:
    servers = fd.add_guilds(6, shard_count=2)
    first, second = BotRunner(fd), BotRunner(fd)
    try:
        # Shard 1 first, on a fresh database and asked to sync: still only shard 0's syncs.
        one = await second.start(on_shards(settings, (1,), 2), force_sync=True)
        zero = await first.start(on_shards(settings, (0,), 2), force_sync=True)
        await fd.wait_for_shards([0, 1], 2)
        seen = {0: record_interactions(zero), 1: record_interactions(one)}
        answers = await about_everywhere(fd, servers)
        assert all(acked_in_time(ix) for ix in answers), [ix.text() for ix in answers]
        for shard, bot in ((0, zero), (1, one)):
            held = sorted(s.guild.id for s in servers if shard_for(s.guild.id, 2) == shard)
            assert sorted(seen[shard]) == held
            assert sorted(g.id for g in bot.guilds) == held
            assert [bot.owns(s.guild.id) for s in servers] == [
                shard_for(s.guild.id, 2) == shard for s in servers
            ]
        assert fd.sync_count() == 1
        assert len(fd.requests_to("PUT", "/applications/{application_id}/commands")) == 1
    finally:
        await first.stop()
        await second.stop()


async def test_with_no_shard_settings_the_bot_runs_the_recommended_shards(
    runner: BotRunner, fd: FakeDiscord, settings: Settings
) -> None:
    fd.gateway.shard_guild_limit = fd.gateway.guilds_per_shard = 2
    servers = fd.add_guilds(3, shard_count=2)
    bot = await runner.start(settings)
    # discord.py waits 5 s before each further IDENTIFY (Discord's max_concurrency of 1).
    await fd.wait_for_shards([0, 1], 2, timeout=15)
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    assert bot.shard_count == 2 and all(bot.owns(s.guild.id) for s in servers)
    assert all(acked_in_time(ix) for ix in await about_everywhere(fd, servers))
    assert fd.sync_count() == 1


async def test_an_invalid_shard_ends_the_bot_with_one_line(
    fd: FakeDiscord, settings: Settings
) -> None:
    fd.add_guild("Watchers")
    # Settings.from_env refuses SHARD_IDS=2 with SHARD_COUNT=2; Discord would too.
    wrong = on_shards(settings, (2,), 2)
    async with open_bot(wrong, guild_ready_timeout=0.2) as bot:
        with pytest.raises(discord.ConnectionClosed) as caught:
            await asyncio.wait_for(bot.start(wrong.token), 10)
    assert caught.value.code == 4010
    line = shard_refusal(4010, wrong)
    assert line is not None and "\n" not in line and "SHARD_IDS" in line


# -- as processes --------------------------------------------------------------------------


async def test_too_many_servers_for_the_shard_count_is_one_line(
    fd: FakeDiscord, settings: Settings
) -> None:
    fd.gateway.shard_guild_limit = 2
    fd.add_guilds(3, members=0)
    process = BotProcess(fd, settings.store_target)
    process.env["SHARD_COUNT"] = "1"
    code, stderr = await process.run_until_exit()
    assert code == 2
    assert stderr.splitlines() == [
        "error: Discord requires more shards: this bot is in too many servers for "
        "SHARD_COUNT=1. Raise SHARD_COUNT in every process (about one shard per 1,000 "
        "servers), or unset SHARD_COUNT and SHARD_IDS to let Discord choose."
    ]


async def test_shard_ids_outside_the_count_are_one_line(
    fd: FakeDiscord, settings: Settings
) -> None:
    process = BotProcess(fd, settings.store_target)
    process.env.update(SHARD_COUNT="2", SHARD_IDS="2")
    code, stderr = await process.run_until_exit()
    assert code == 2
    assert stderr.splitlines() == [
        "error: SHARD_IDS='2' names shard 2, but with SHARD_COUNT=2 the shards are 0-1."
    ]
    assert fd.gateway.identify_count == 0


async def test_two_processes_share_the_servers_and_one_going_down_spares_the_other(
    fd: FakeDiscord, settings: Settings
) -> None:
    servers = fd.add_guilds(4, shard_count=2)
    processes = [BotProcess(fd, settings.store_target) for _ in range(2)]
    for shard, process in enumerate(processes):
        process.env.update(SHARD_COUNT="2", SHARD_IDS=str(shard))
    try:
        await processes[1].start_shards([1], 2)
        await processes[0].start_shards([0], 2)
        assert all(acked_in_time(ix) for ix in await about_everywhere(fd, servers))
        assert fd.sync_count() == 1
        await processes[1].stop()
        answers = await about_everywhere(fd, servers, timeout=2)
        # Shard 1's servers wait for its process; nobody else answers for them.
        assert [acked_in_time(ix) for ix in answers] == [
            shard_for(s.guild.id, 2) == 0 for s in servers
        ]
    finally:
        for process in processes:
            await process.stop()
