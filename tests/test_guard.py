"""The spoiler guard, driven through the emulator: members write, the real bot hides."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

import pytest

from bot.app import Watchparty
from bot.models import PartyStep
from bot.render.guard import webhook_username
from bot.settings import Settings
from bot.spoiler_terms import find_term
from bot.store import Store
from harness.fakediscord import state as s
from harness.fakediscord.routes_channels import edit_message
from harness.fakediscord.world import BOT_ROLE_PERMISSIONS
from tests.conftest import BotRunner, Scene
from tests.test_polls import eventually

LABEL = "🔇 Hidden: spoilers for For All Mankind S4E6 · Leningrad"
SPOILER = "Can't believe they pulled off Goldilocks in the end"
# Time for the bot to have read a message it should leave alone (a positive check follows
# wherever a later event can serve as the barrier instead).
SETTLE = 0.3


def with_intent(settings: Settings, on: bool = True) -> Settings:
    return Settings(**{**settings.__dict__, "message_content": on})


async def party(bot: Watchparty, world: Scene, started_ago: float = 60) -> None:
    """A watch party for S4E6. The test seeds the store as /watchparty schedule and its
    scheduler would (that command is written separately): the start and, for an old party,
    the end are claimed as done, so the scheduler posts nothing here."""
    show = await bot.store.catalog.find_show("for-all-mankind")
    assert show is not None
    episode = await bot.store.catalog.episode(show.id, 4, 6)
    assert episode is not None
    starts = time.time() - started_ago
    created = await bot.store.parties.create(
        guild_id=world.guild.id,
        episode_id=episode.id,
        channel_id=world.fd.add_channel(world.guild, "watch-party").id,
        creator_id=world.mod.id,
        starts_at=starts,
        ends_at=starts + 2 * 3600,
    )
    await bot.store.parties.claim(created.id, PartyStep.REMINDED)
    if started_ago > 2 * 3600:
        await bot.store.parties.claim(created.id, PartyStep.ENDED)


async def guard(world: Scene, channel: Any, on: bool = True) -> Any:
    ix = await world.fd.slash(world.mod, world.channel, "config guard", channel=channel, guarded=on)
    assert ix.ephemeral and "Saved" in ix.reply.content, ix.text()
    return ix


def reposts(world: Scene, channel: Any) -> list[Any]:
    return [m for m in world.fd.messages(channel) if m.webhook_id and m.interaction_id is None]


def dms(world: Scene, member: Any) -> str:
    return "\n".join(m.content for m in world.fd.messages(world.fd.world.dm_channel(member.user)))


def unspoiled(content: str) -> str:
    """What a reader sees after clicking every spoiler: tags and escapes removed."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\|\|", "", content))


async def test_spoiler_is_reposted_hidden_and_the_author_told(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    thread = fd.world.add_channel(
        world.guild, "S4 chat", s.PUBLIC_THREAD, parent_id=world.channel.id, owner_id=world.bob.id
    )
    other = fd.add_channel(world.guild, "off-topic")
    bot = await runner.start(with_intent(settings))
    await party(bot, world)
    await guard(world, world.channel)

    calm = await fd.user_message(world.bob, world.channel, "Who's up for tonight? Masked hero!")
    elsewhere = await fd.user_message(world.bob, other, SPOILER)
    original = await fd.user_message(world.alice, world.channel, SPOILER)
    assert await eventually(lambda: fd.message(original.id).deleted)
    [repost] = reposts(world, world.channel)
    assert repost.username_override == "alice" and repost.webhook_id
    assert repost.content.splitlines()[0] == LABEL
    assert (
        repost.content.splitlines()[1] == "||Can't believe they pulled off Goldilocks in the end||"
    )
    assert await eventually(lambda: "Goldilocks" in dms(world, world.alice))
    note = dms(world, world.alice)
    assert "“goldilocks”" in note and "For All Mankind S4E6 · Leningrad" in note
    assert SPOILER in note  # their own words come back, so nothing is lost
    await asyncio.sleep(SETTLE)
    assert not fd.message(calm.id).deleted and not fd.message(elsewhere.id).deleted
    assert reposts(world, other) == []

    # A thread is guarded with its channel, and the repost lands in the thread.
    in_thread = await fd.user_message(world.bob, thread, "the UNION   meeting, wow")
    assert await eventually(lambda: fd.message(in_thread.id).deleted)
    assert [m.username_override for m in reposts(world, thread)] == ["bob"]

    # Editing a spoiler into a harmless message is caught too.
    await edit_message(fd, calm, {"content": "the Jung-gil’s wife scene!"})
    assert await eventually(lambda: fd.message(calm.id).deleted)
    # One webhook per channel, reused.
    assert len(fd.world.webhooks) == 1
    # The per-channel lock that guarded finding it is gone once free: months of channels
    # leave none behind.
    assert len(bot.cogs["Guard"]._hook_locks) == 0  # type: ignore[attr-defined]


async def test_party_outside_the_window_does_not_guard(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    bot = await runner.start(with_intent(settings))
    await party(bot, world, started_ago=73 * 3600)  # the default window is 72 h
    await guard(world, world.channel)
    old = await fd.user_message(world.alice, world.channel, SPOILER)
    await asyncio.sleep(SETTLE)  # read under the 72 h window before it changes
    ix = await fd.slash(world.mod, world.channel, "config guard-window", hours=80)
    assert "Saved" in ix.reply.content
    fresh = await fd.user_message(world.alice, world.channel, SPOILER)
    assert await eventually(lambda: fd.message(fresh.id).deleted)
    assert not fd.message(old.id).deleted


async def test_hostile_text_stays_inside_the_spoiler_and_pings_nobody(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    bot = await runner.start(with_intent(settings))
    await party(bot, world)
    await guard(world, world.channel)
    hostile = f"@everyone <@{world.bob.id}> goldilocks || out ||| `code` ```\nx```\n> quote"
    original = await fd.user_message(world.alice, world.channel, hostile)
    assert await eventually(lambda: fd.message(original.id).deleted)
    [repost] = reposts(world, world.channel)
    lines = repost.content.splitlines()[1:]
    # Every line is one spoiler: it opens at the start, closes at the end, and nothing between.
    for line in lines:
        assert line.startswith("||") and line.endswith("||")
        assert not re.search(r"(?<!\\)\|\|", line[2:-2]), line
    assert not repost.mention_everyone and not repost.mentions
    assert unspoiled("\n".join(lines)) == hostile

    # A long message is reposted whole, over several messages within Discord's limit.
    long = " ".join(["goldilocks*_~"] * 140)
    original = await fd.user_message(world.bob, world.channel, long)
    assert await eventually(lambda: fd.message(original.id).deleted)
    pages = [m.content for m in reposts(world, world.channel)[1:]]
    assert len(pages) > 1 and pages[0].startswith(LABEL)
    body = [pages[0].split("\n", 1)[1], *pages[1:]]
    assert " ".join(unspoiled(p) for p in body).split() == long.split()


async def test_without_the_intent_nothing_happens_and_config_says_so(
    runner: BotRunner, settings: Settings, world: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    fd = world.fd
    store = await Store.open(settings.store_target)
    await store.servers.set_guarded(world.guild.id, world.channel.id, True)
    await store.close()
    with caplog.at_level(logging.INFO, logger="cogs.guard"):
        bot = await runner.start(settings)
    assert "Spoiler guard inactive in 1 server(s)" in caplog.text
    await party(bot, world)
    ix = await guard(world, world.channel)
    assert "stays inactive" in ix.reply.content and "MESSAGE_CONTENT_INTENT" in ix.reply.content
    original = await fd.user_message(world.alice, world.channel, SPOILER)
    await asyncio.sleep(SETTLE)
    assert not fd.message(original.id).deleted and reposts(world, world.channel) == []


async def test_missing_permissions_leave_the_message_shown_once(
    runner: BotRunner, settings: Settings, world: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    fd = world.fd
    bot = await runner.start(with_intent(settings))
    await party(bot, world)
    await guard(world, world.channel)
    fd.set_bot_permissions(world.guild, BOT_ROLE_PERMISSIONS & ~s.MANAGE_WEBHOOKS)
    first = await fd.user_message(world.alice, world.channel, SPOILER)
    second = await fd.user_message(world.bob, world.channel, SPOILER)
    warned = "needs Manage Webhooks"
    assert await eventually(lambda: warned in caplog.text)
    await asyncio.sleep(SETTLE)
    assert caplog.text.count(warned) == 1  # once per channel, not once per message
    assert not fd.message(first.id).deleted and not fd.message(second.id).deleted
    assert reposts(world, world.channel) == []

    # Without Manage Messages the repost is taken back: the text is never shown twice.
    fd.set_bot_permissions(world.guild, BOT_ROLE_PERMISSIONS & ~s.MANAGE_MESSAGES)
    third = await fd.user_message(world.alice, world.channel, SPOILER)
    assert await eventually(lambda: "cannot delete a message" in caplog.text)
    assert await eventually(lambda: reposts(world, world.channel) == [])
    assert not fd.message(third.id).deleted
    assert dms(world, world.alice) == ""


def test_terms_match_whole_words_in_any_case() -> None:
    terms = ("unmask", "lunar orbit", "jung-gil's wife", "M-7.")
    assert find_term("They UNMASK him!", terms) == "unmask"
    assert find_term("unmasked", terms) is None
    assert find_term("a lunar\n  Orbit burn", terms) == "lunar orbit"
    assert find_term("lunarorbit", terms) is None
    assert find_term("Jung-gil’s wife…", terms) == "jung-gil's wife"
    assert find_term("the m-7. treaty", terms) == "M-7."
    assert find_term("anything", ()) is None
    assert webhook_username("Discord Fan clyde") == "Disc0rd Fan c1yde"
