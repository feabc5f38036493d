"""Spoiler-guarded discussion: progress gating, /discuss threads, /config permissions."""

from __future__ import annotations

import asyncio
from typing import Any

import discord

from bot.app import Watchparty
from bot.settings import Settings
from harness.fakediscord.world import BOT_ROLE_PERMISSIONS
from tests.conftest import BotRunner, Scene, acked_in_time, everyone_caught_up, watched

S4E6: dict[str, Any] = {"show": "for-all-mankind", "season": 4, "episode": "S4E6"}


def public(world: Scene) -> list[Any]:
    """What everyone in the channel sees."""
    return [m for m in world.fd.messages(world.channel) if not m.ephemeral]


async def test_member_behind_gets_a_private_warning_and_reveals_to_themselves(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    for command in ("recap", "ending"):
        ix = await fd.slash(world.alice, world.channel, command, **S4E6)
        assert acked_in_time(ix) and ix.ephemeral
        assert "you haven't told me how far you've watched" in ix.reply.content
        card = ix.reply.embeds[0]
        assert card["title"] == "S4E6 · Leningrad" and "M7 treaty" in card["description"]
        assert "Margo" not in ix.reply.text().split("M7 treaty")[0]
        reveal = await fd.click(world.alice, ix.reply, ix.reply.buttons()[0]["custom_id"])
        shown = reveal.followups[0] if reveal.followups else reveal.reply
        assert shown.ephemeral and shown.visible_to == world.alice.id
        assert "Leningrad" in shown.embeds[0]["title"]
    assert public(world) == []  # nothing past alice's progress was shown to the channel


async def test_progress_set_show_clear(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    await watched(world, world.alice)
    ix = await fd.slash(world.alice, world.channel, "recap", **S4E6)
    assert not ix.ephemeral and ix.reply.embeds[0]["title"] == "S4E6 · Leningrad — Recap"
    shown = await fd.slash(world.alice, world.channel, "progress show")
    assert "For All Mankind: up to **S4E6**" in shown.reply.content
    cleared = await fd.slash(world.alice, world.channel, "progress clear", show="for-all-mankind")
    assert "Cleared" in cleared.reply.content
    again = await fd.slash(world.alice, world.channel, "ending", **S4E6)
    assert again.ephemeral and "Show anyway" in [b["label"] for b in again.reply.buttons()]
    stored = await bot.store.fetchall("SELECT * FROM progress")
    assert stored == []


async def test_server_can_treat_unset_progress_as_caught_up(bot: Watchparty, world: Scene) -> None:
    await everyone_caught_up(world)
    ix = await world.fd.slash(world.bob, world.channel, "ending", **S4E6)
    assert not ix.ephemeral and "||" in ix.reply.embeds[0]["description"]


async def test_discuss_makes_one_thread_with_card_rules_and_poll(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    await watched(world, world.alice)
    first, second = await asyncio.gather(
        fd.slash(world.alice, world.channel, "discuss", show="for-all-mankind", episode="S4E6"),
        fd.slash(world.mod, world.channel, "discuss", show="For All Mankind", episode="Leningrad"),
    )
    await first.wait_for_messages()
    threads = fd.threads(world.guild)
    assert len(threads) == 1
    thread = threads[0]
    assert thread.name == "For All Mankind S4E6 · Leningrad — spoilers up to S4E6"
    posts = fd.messages(thread)
    assert "Spoilers up to S4E6 are fair game" in posts[0].content
    assert posts[0].embeds[0]["title"] == "S4E6 · Leningrad"
    assert any("Is Ed sympathetic to the workers?" in m.text() for m in posts[1:])
    assert len([m for m in posts if m.buttons()]) == 1  # the episode's poll, once
    assert f"<#{thread.id}>" in first.text()
    again = await fd.slash(
        world.bob, world.channel, "discuss", show="for-all-mankind", episode="S4E6"
    )
    await again.wait_for_messages()
    assert len(fd.threads(world.guild)) == 1 and again.ephemeral  # bob is behind: told privately
    assert thread.id in {int(b["url"].rsplit("/", 1)[1]) for b in again.reply.buttons()}
    # The moderator asked at the same moment and was pointed at the same, single thread.
    await second.wait_for_messages()
    assert f"<#{thread.id}>" in second.text() or thread.id in {
        int(b["url"].rsplit("/", 1)[1]) for b in second.reply.buttons() if b.get("url")
    }


async def forum_post_tags(world: Scene, forum: Any) -> list[str]:
    fd = world.fd
    ix = await fd.slash(world.mod, world.channel, "config discussion", channel=forum.id)
    assert "Saved" in ix.reply.content
    await watched(world, world.alice)
    ix = await fd.slash(
        world.alice, world.channel, "discuss", show="for-all-mankind", episode="S4E6"
    )
    await ix.wait_for_messages()
    posts = [t for t in fd.threads(world.guild) if t.parent_id == forum.id]
    assert len(posts) == 1 and posts[0].name.endswith("spoilers up to S4E6")
    tags = {tag["id"]: tag["name"] for tag in fd.channel(forum.id).available_tags}
    return sorted(tags[str(t)] for t in posts[0].applied_tags)


async def test_forum_post_uses_the_forums_show_and_season_tags(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    forum = world.fd.add_channel(
        world.guild, "episode-talk", type=15, tags=["Season 4", "For All Mankind", "Other"]
    )
    await runner.start(settings)
    assert await forum_post_tags(world, forum) == ["For All Mankind", "Season 4"]


async def test_forum_tags_are_created_when_the_bot_may_manage_the_channel(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    forum = world.fd.add_channel(world.guild, "episode-talk", type=15)
    bot_member = discord.Permissions(BOT_ROLE_PERMISSIONS)
    bot_member.manage_channels = True
    world.fd.set_bot_permissions(world.guild, bot_member.value)
    await runner.start(settings)
    assert await forum_post_tags(world, forum) == ["For All Mankind", "Season 4"]


async def test_config_needs_manage_server(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    denied = await fd.slash(world.alice, world.channel, "config show")
    assert denied.ephemeral and "Manage Server" in denied.reply.content
    shown = await fd.slash(world.mod, world.channel, "config show")
    assert shown.ephemeral and shown.reply.embeds[0]["title"] == "Watchparty settings"
    bad = await fd.slash(world.mod, world.channel, "config timezone", zone="Mars/Olympus")
    assert "not a time zone" in bad.reply.content
    zones = await fd.autocomplete(
        world.mod, world.channel, "config timezone", focused="zone", zone="paris"
    )
    assert {"name": "Europe/Paris", "value": "Europe/Paris"} in zones
    command = next(c for c in fd.commands() if c["name"] == "config")
    assert int(command["default_member_permissions"]) == 1 << 5  # hidden from non-moderators


async def test_organisers_setting_limits_who_creates_polls(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    ix = await fd.slash(world.mod, world.channel, "config organisers", who="moderators")
    assert "moderators only" in str(ix.reply.embeds[0]["fields"])
    refused = await fd.slash(
        world.alice, world.channel, "poll create", question="Q?", options="a; b"
    )
    assert refused.ephemeral and "only moderators" in refused.reply.content
    allowed = await fd.slash(world.mod, world.channel, "poll create", question="Q?", options="a; b")
    assert not allowed.ephemeral


CONFIG_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("config show", {}),
    ("config announcements", {"channel": "CHANNEL"}),
    ("config discussion", {"channel": "CHANNEL"}),
    ("config timezone", {"zone": "Europe/Paris"}),
    ("config progress-default", {"members": "caught_up"}),
    ("config organisers", {"who": "moderators"}),
    ("config guard", {"channel": "CHANNEL", "guarded": True}),
    ("config guard-window", {"hours": 12}),
]


async def test_every_config_command_needs_manage_server(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    for name, options in CONFIG_CALLS:
        values = {k: world.channel.id if v == "CHANNEL" else v for k, v in options.items()}
        ix = await fd.slash(world.alice, world.channel, name, **values)
        assert ix.ephemeral and "Manage Server" in ix.reply.content, name
    settings = await bot.store.servers.settings(world.guild.id)
    assert settings == type(settings)(guild_id=world.guild.id)  # nothing changed
    for name, options in CONFIG_CALLS:
        values = {k: world.channel.id if v == "CHANNEL" else v for k, v in options.items()}
        ix = await fd.slash(world.mod, world.channel, name, **values)
        assert ix.ephemeral and ix.reply.embeds[0]["title"] == "Watchparty settings", name
    settings = await bot.store.servers.settings(world.guild.id)
    assert (settings.time_zone, settings.organisers, settings.guard_hours) == (
        "Europe/Paris",
        "moderators",
        12,
    )
    assert settings.guarded_channels == (world.channel.id,)


async def test_poll_results_are_gated_for_a_member_behind(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    ix = await fd.slash(
        world.mod,
        world.channel,
        "poll create",
        question="Who wins?",
        options="A; B",
        show="for-all-mankind",
        episode="S4E6",
    )
    poll_id = ix.reply.buttons()[0]["custom_id"].split(":")[2]
    await (await fd.slash(world.mod, world.channel, "poll close", poll=poll_id)).wait_for_messages()
    before = len(public(world))
    ix = await fd.slash(
        world.bob, world.channel, "poll results", show="for-all-mankind", episode="S4E6"
    )
    assert ix.ephemeral and "This poll result covers **S4E6 · Leningrad**" in ix.reply.content
    assert len(public(world)) == before  # nothing new for everyone to see
    shown = await fd.click(world.bob, ix.reply, ix.reply.buttons()[0]["custom_id"])
    reveal = shown.followups[0] if shown.followups else shown.reply
    assert reveal.visible_to == world.bob.id and "Who wins?" in reveal.embeds[0]["description"]
