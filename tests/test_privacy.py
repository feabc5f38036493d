"""/privacy and servers that leave, driven through the emulator as members and Discord would."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from typing import Any

from bot.app import Watchparty
from bot.settings import Settings
from tests.conftest import BotRunner, Scene, acked_in_time, watched
from tests.test_authoring import SHOW, Room, open_editor, room, submit  # noqa: F401 (fixture)
from tests.test_polls import _poll_id, counts, create, eventually, vote_ids

# A member's own rows, counted per table (literal SQL: a table name is not a parameter).
COUNTS = {
    "votes": "SELECT count(*) AS n FROM votes WHERE user_id = ?",
    "progress": "SELECT count(*) AS n FROM progress WHERE user_id = ?",
    "follows": "SELECT count(*) AS n FROM follows WHERE user_id = ?",
    "member_time_zones": "SELECT count(*) AS n FROM member_time_zones WHERE user_id = ?",
    "revisions": "SELECT count(*) AS n FROM revisions WHERE author_id = ?",
}


async def stored(bot: Watchparty, user_id: int) -> dict[str, int]:
    found = {}
    for table, sql in COUNTS.items():
        row = await bot.store.fetchone(sql, (user_id,))
        assert row is not None
        found[table] = row["n"]
    return found


async def test_a_member_sees_exports_and_deletes_everything_stored_about_them(
    runner: BotRunner,
    room: Room,  # noqa: F811 (the fixture)
) -> None:
    world, fd, writer = room.world, room.world.fd, room.writer
    bot = runner.bot
    assert bot is not None
    me = writer.user.id
    # The writer votes in a poll that stays open and in one that closes, sets progress,
    # follows the show, sets a time zone and writes a revision.
    still_open = await create(world, duration="1h")
    closing = await create(world, question="Who is the best astronaut?", options="Ed; Molly")
    await fd.click(writer, still_open, vote_ids(still_open)[0])
    await fd.click(world.bob, still_open, vote_ids(still_open)[0])
    await fd.click(writer, closing, vote_ids(closing)[1])
    assert await eventually(lambda: counts(world, still_open) == [2, 0, 0])
    closed = await fd.slash(world.alice, world.channel, "poll close", poll=str(_poll_id(closing)))
    await closed.wait_for_messages()
    await watched(world, writer)
    ix = await fd.slash(writer, world.channel, "follow show", show=SHOW)
    assert "Following" in ix.reply.content, ix.text()
    ix = await fd.slash(writer, world.channel, "timezone set", zone="Europe/Paris")
    assert "Saved" in ix.reply.content
    custom_id, _ = await open_editor(room, "ending")
    await submit(room, custom_id, {"part1": "An ending the writer wrote."})
    before = await stored(bot, me)
    assert before == {
        "votes": 2,
        "progress": 1,
        "follows": 1,
        "member_time_zones": 1,
        "revisions": 1,
    }

    shown = await fd.slash(writer, world.channel, "privacy show")
    assert acked_in_time(shown) and shown.ephemeral
    text = shown.reply.content
    for line in (
        "progress positions: 1 (1 here)",
        "poll votes: 2",
        "shows you follow: 1 (1 here)",
        "time zone: Europe/Paris",
        "episode text revisions you wrote: 1 (1 here)",
    ):
        assert line in text, text

    exported = await fd.slash(writer, world.channel, "privacy export")
    assert acked_in_time(exported) and exported.ephemeral
    [attachment] = exported.reply.attachments
    assert attachment["filename"] == "watchparty-my-data.json"
    document = json.loads(fd.world.attachment_data[attachment["id"]])
    assert document["user_id"] == str(me)
    tables = document["tables"]
    assert {table: len(tables.get(table, [])) for table in COUNTS} == before
    assert tables["revisions"][0]["value"] == "An ending the writer wrote."

    asked = await fd.slash(writer, world.channel, "privacy delete")
    assert asked.ephemeral and "Delete your progress" in asked.reply.content
    assert await stored(bot, me) == before  # nothing goes before the member confirms
    [confirm, _keep] = asked.reply.buttons()
    done = await fd.click(writer, asked.reply, confirm["custom_id"])
    assert acked_in_time(done) and "Deleted" in done.text(), done.text()
    assert await stored(bot, me) == dict.fromkeys(COUNTS, 0)
    # The open poll's message drops the withdrawn vote; the closed one keeps its counts.
    assert await eventually(lambda: counts(world, still_open) == [1, 0, 0])
    tally = await bot.store.polls.tally(_poll_id(closing))
    assert tally is not None and tally.counts == (0, 1)
    history = await fd.slash(
        world.alice, world.channel, "episode history", show=SHOW, episode="S4E6", field="ending"
    )
    assert "a former member" in history.reply.embeds[0]["fields"][0]["value"]
    again = await fd.slash(writer, world.channel, "privacy show")
    assert again.reply.content == "I store nothing about you."


async def server_rows(bot: Watchparty, guild_id: int) -> int:
    row = await bot.store.fetchone(
        "SELECT (SELECT count(*) FROM progress WHERE guild_id = ?)"
        " + (SELECT count(*) FROM polls WHERE guild_id = ?)"
        " + (SELECT count(*) FROM guild_settings WHERE guild_id = ?) AS n",
        (guild_id, guild_id, guild_id),
    )
    assert row is not None
    return int(row["n"])


async def fill(world: Scene) -> None:
    """Progress, a poll and a setting in the server."""
    await watched(world, world.alice)
    await create(world, duration="1h")
    ix = await world.fd.slash(
        world.mod, world.channel, "config progress-default", members="caught_up"
    )
    assert "Saved" in ix.reply.content


async def pass_grace_period(bot: Watchparty) -> None:
    """The grace period runs out, as if GUILD_DATA_DAYS had gone by while the bot was off."""
    async with bot.store.transaction() as db:
        await db.execute("UPDATE departed_guilds SET purge_at = 0")


async def test_a_server_that_leaves_loses_its_rows_after_the_grace_period_even_across_a_restart(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    bot = await runner.start(settings)
    await fill(world)
    assert await server_rows(bot, world.guild.id) == 3
    await world.fd.remove_bot(world.guild)
    assert await eventually(lambda: bot.get_guild(world.guild.id) is None)
    departed = await eventually_departed(bot)
    assert departed and departed[0][0] == world.guild.id
    assert await server_rows(bot, world.guild.id) == 3  # kept during the grace period
    await runner.stop()
    bot = await runner.start(settings)
    assert await bot.store.privacy.departed() == departed  # the restart keeps the schedule
    await pass_grace_period(bot)
    bot.get_cog("Privacy").purger.wake()  # type: ignore[union-attr]
    assert await eventually_async(lambda: server_rows(bot, world.guild.id), 0)
    assert await bot.store.privacy.departed() == []


async def test_a_server_that_adds_the_bot_back_in_time_keeps_everything(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    bot = await runner.start(dataclasses.replace(settings, guild_data_days=1))
    await fill(world)
    await world.fd.remove_bot(world.guild)
    assert await eventually_departed(bot)
    await world.fd.add_bot_back(world.guild)
    assert await eventually(lambda: bot.get_guild(world.guild.id) is not None)
    assert await eventually_async(lambda: _departed_count(bot), 0)
    await pass_grace_period(bot)
    bot.get_cog("Privacy").purger.wake()  # type: ignore[union-attr]
    await asyncio.sleep(0.5)  # a purge pass, had anything been due
    assert await server_rows(bot, world.guild.id) == 3


async def _departed_count(bot: Watchparty) -> int:
    return len(await bot.store.privacy.departed())


async def eventually_departed(bot: Watchparty) -> list[tuple[int, float]]:
    for _ in range(100):
        if found := await bot.store.privacy.departed():
            return found
        await _sleep()
    return []


async def eventually_async(read: Any, expected: Any) -> bool:
    for _ in range(100):
        if await read() == expected:
            return True
        await _sleep()
    return False


async def _sleep() -> None:
    await asyncio.sleep(0.05)


async def test_a_server_that_adds_the_bot_back_while_it_is_down_keeps_everything(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    bot = await runner.start(settings)
    await fill(world)
    await world.fd.remove_bot(world.guild)
    assert await eventually_departed(bot)
    await runner.stop()
    await world.fd.add_bot_back(world.guild)  # its GUILD_CREATE comes with the next start
    bot = await runner.start(settings)
    assert await eventually_async(lambda: _departed_count(bot), 0)
    await pass_grace_period(bot)
    assert await server_rows(bot, world.guild.id) == 3


async def test_an_unanswered_delete_question_expires_and_deletes_nothing(
    bot: Watchparty, world: Scene, monkeypatch: Any
) -> None:
    # The module discord.py loaded as the extension (load_extension keeps its own copy).
    monkeypatch.setattr(sys.modules["cogs.privacy"], "CONFIRM_SECONDS", 0.3)
    await watched(world, world.alice)
    asked = await world.fd.slash(world.alice, world.channel, "privacy delete")
    assert asked.reply.buttons()
    expired = "Nothing was deleted: the question expired"
    assert await eventually(lambda: expired in world.fd.message(asked.reply.id).content)
    assert world.fd.message(asked.reply.id).buttons() == []
    assert (await stored(bot, world.alice.id))["progress"] == 1
    kept = await world.fd.slash(world.bob, world.channel, "privacy delete")
    assert kept.reply.content == "I store nothing about you: there is nothing to delete."
