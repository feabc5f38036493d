"""The metrics endpoint: what members did shows on /metrics, exactly; /ready follows the
gateway; with METRICS_ADDR unset nothing listens."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import socket
from pathlib import Path

import aiohttp
import discord
import pytest
from discord import app_commands
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from bot.app import open_bot
from bot.errors import StartupError, UserError, explain, outcome
from bot.metrics_server import serving
from bot.settings import Settings, SettingsError
from bot.store import StoreBusy
from tests.conftest import ROOT, Scene, acked_in_time, everyone_caught_up
from tests.stores import hold_writes
from tests.test_locked_store import BUSY
from tests.test_polls import create, vote_ids

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def get(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


async def scrape(port: int) -> Samples:
    status, text = await get(port, "/metrics")
    assert status == 200, text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def interactions(samples: Samples) -> dict[tuple[str, str], float]:
    return {
        (dict(labels)["command"], dict(labels)["outcome"]): value
        for (name, labels), value in samples.items()
        if name == "watchparty_interactions_total"
    }


def total(samples: Samples, name: str) -> float:
    return sum(value for (n, _), value in samples.items() if n == name)


async def test_metrics_report_the_interactions_members_sent(
    world: Scene, settings: Settings, tmp_path: Path
) -> None:
    fd, port = world.fd, free_port()
    settings = dataclasses.replace(settings, metrics_addr=("127.0.0.1", port))
    async with open_bot(settings, guild_ready_timeout=0.2) as bot:
        # Listening, alive, but not ready before the gateway is.
        assert await get(port, "/live") == (200, "alive\n")
        status, text = await get(port, "/ready")
        assert status == 503 and text.startswith("not ready"), text
        running = asyncio.create_task(bot.start(settings.token))
        await fd.wait_for_bot_ready(timeout=15)
        await bot.wait_until_ready()
        assert await get(port, "/ready") == (200, "ready\n")

        await everyone_caught_up(world)
        recap = await fd.slash(
            world.alice, world.channel, "recap", show="for-all-mankind", season=4, episode="S4E6"
        )
        assert acked_in_time(recap) and not recap.ephemeral, recap.text()
        choices = await fd.autocomplete(world.alice, world.channel, "recap", focused="show")
        assert choices
        message = await create(world, duration="1h")
        click = await fd.click(world.bob, message, vote_ids(message)[0])
        assert "Your vote" in click.reply.content, click.text()
        unknown = await fd.slash(
            world.alice, world.channel, "recap", show="no-such-show", season=1, episode="1"
        )
        assert unknown.ephemeral and "don't know a show" in unknown.reply.content, unknown.text()
        held = settings.store_target
        locker = asyncio.create_task(asyncio.to_thread(hold_writes, held, 2.5))
        await asyncio.sleep(0.3)
        refused = await fd.slash(
            world.bob, world.channel, "progress set", show="for-all-mankind", episode="S4E6"
        )
        await locker
        assert acked_in_time(refused) and BUSY in refused.reply.content, refused.text()

        samples = await scrape(port)
        assert interactions(samples) == {
            ("config progress-default", "ok"): 1,
            ("recap", "ok"): 1,
            ("autocomplete", "ok"): 1,
            ("poll create", "ok"): 1,
            ("button:vote", "ok"): 1,
            ("recap", "user_error"): 1,
            ("progress set", "busy"): 1,
        }
        # Every one of the seven was acknowledged, and timed.
        assert total(samples, "watchparty_ack_latency_seconds_count") == 7
        assert samples[("watchparty_votes_committed_total", ())] == 1
        assert samples[("watchparty_vote_batch_size_count", ())] == 1
        assert samples[("watchparty_store_busy_total", ())] >= 1
        assert samples[("watchparty_guilds", (("shard", "0"),))] == 1
        assert samples[("watchparty_ready", ())] == 1
        assert samples[("watchparty_gateway_latency_seconds", (("shard", "0"),))] >= 0

        await bot.close()
        await running
        status, text = await get(port, "/ready")
        assert status == 503 and "closing" in text, text
    # Stopped with the bot: nothing listens any more.
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(port, "/live")


async def test_tally_edits_and_429s_are_counted(world: Scene, settings: Settings) -> None:
    fd, port = world.fd, free_port()
    # One message edit per 5 s, and no headers: the second tally edit meets a 429.
    fd.ratelimiter.set_rule("PATCH", "/channels/{channel_id}/messages/{message_id}", 1, 5.0)
    fd.ratelimiter.advertise = False
    settings = dataclasses.replace(settings, metrics_addr=("127.0.0.1", port))
    async with open_bot(settings, guild_ready_timeout=0.2) as bot:
        running = asyncio.create_task(bot.start(settings.token))
        await fd.wait_for_bot_ready(timeout=15)
        message = await create(world, duration="1h")
        yes, no = vote_ids(message)[:2]
        await fd.click(world.bob, message, yes)
        await asyncio.sleep(0.5)
        await fd.click(world.alice, message, no)
        samples: Samples = {}
        for _ in range(100):  # the second edit waits out the interval, then the 429
            samples = await scrape(port)
            if samples.get(("watchparty_tally_edits_total", ()), 0) >= 2:
                break
            await asyncio.sleep(0.1)
        assert samples[("watchparty_tally_edits_total", ())] == 2
        assert fd.rate_limited >= 1
        assert samples[("watchparty_discord_rate_limited_total", ())] == fd.rate_limited
        await bot.close()
        await running


async def test_a_poll_deadline_is_timed_when_it_fires(world: Scene, settings: Settings) -> None:
    fd, port = world.fd, free_port()
    settings = dataclasses.replace(settings, metrics_addr=("127.0.0.1", port))
    async with open_bot(settings, guild_ready_timeout=0.2) as bot:
        running = asyncio.create_task(bot.start(settings.token))
        await fd.wait_for_bot_ready(timeout=15)
        message = await create(world, duration="5s")
        key = ("watchparty_scheduled_lateness_seconds_count", (("alarm", "poll deadlines"),))
        samples: Samples = {}
        for _ in range(100):
            samples = await scrape(port)
            if samples.get(key) and fd.message(message.id).buttons()[0]["disabled"]:
                break
            await asyncio.sleep(0.1)
        assert fd.message(message.id).buttons()[0]["disabled"]  # it did close
        assert samples[key] == 1
        # Woken on time: well under a second late (the alarm sleeps until the deadline).
        late = ("watchparty_scheduled_lateness_seconds_sum", (("alarm", "poll deadlines"),))
        assert 0 <= samples[late] < 1
        await bot.close()
        await running


def listening_sockets() -> int:
    """How many TCP sockets this process has listening (Linux: /proc)."""
    mine = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                count += fields[3] == "0A" and fields[9] in mine  # 0A: LISTEN
    return count


async def test_without_metrics_addr_nothing_listens() -> None:
    settings = Settings.from_env({"DISCORD_TOKEN": "x"})
    assert settings.metrics_addr is None
    client = discord.Client(intents=discord.Intents.none())
    before = listening_sockets()
    async with serving(settings.metrics_addr, client):
        assert listening_sockets() == before
        assert metrics.active() is None
    # And with it set, one socket listens while serving, none after.
    port = free_port()
    on = Settings.from_env({"DISCORD_TOKEN": "x", "METRICS_ADDR": f"127.0.0.1:{port}"})
    async with serving(on.metrics_addr, client):
        assert listening_sockets() == before + 1
        assert metrics.active() is not None
    assert listening_sockets() == before and metrics.active() is None


@pytest.mark.parametrize("value", ["9108", "localhost", "127.0.0.1:", ":9108", "h:70000", "h:x"])
def test_a_malformed_metrics_addr_is_one_line(value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"DISCORD_TOKEN": "x", "METRICS_ADDR": value})
    assert "METRICS_ADDR" in str(raised.value) and "\n" not in str(raised.value)


def test_metrics_addr_takes_ipv6_in_brackets() -> None:
    settings = Settings.from_env({"DISCORD_TOKEN": "x", "METRICS_ADDR": "[::1]:9108"})
    assert settings.metrics_addr == ("::1", 9108)


def test_each_failure_counts_under_its_outcome() -> None:
    assert outcome(UserError("No such show."), "No such show.") == "user_error"
    assert outcome(StoreBusy(), str(StoreBusy())) == "busy"
    # As a transformer raises it: the member's error is the cause.
    wrapped = app_commands.AppCommandError("could not convert")
    wrapped.__cause__ = StoreBusy()
    assert outcome(wrapped, "busy") == "busy"
    assert outcome(RuntimeError("a bug"), explain(RuntimeError("a bug"))) == "error"


def test_the_grafana_dashboard_charts_every_metric() -> None:
    dashboard = json.loads((ROOT / "docs" / "grafana-dashboard.json").read_text(encoding="utf-8"))
    exprs = " ".join(t["expr"] for panel in dashboard["panels"] for t in panel["targets"])
    names = {
        family.name
        for family in metrics.Metrics(
            discord.Client(intents=discord.Intents.none())
        ).registry.collect()
        if family.name.startswith("watchparty_")
    }
    assert names and all(name in exprs for name in names), sorted(
        n for n in names if n not in exprs
    )
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"job", "instance"} <= variables


async def test_a_metrics_addr_in_use_is_one_line() -> None:
    client = discord.Client(intents=discord.Intents.none())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(StartupError) as raised:
            async with serving(("127.0.0.1", port), client):
                pass
    assert f"METRICS_ADDR=127.0.0.1:{port}" in str(raised.value)
    assert "\n" not in str(raised.value) and metrics.active() is None
