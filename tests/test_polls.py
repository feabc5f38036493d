"""Episode polls driven like Discord drives them: slash commands, clicks, native poll events."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import Any

from bot.app import Watchparty
from bot.settings import Settings
from tests.conftest import BotRunner, Scene, acked_in_time, watched


async def eventually(check: Callable[[], Any], within: float = 8.0) -> Any:
    """Wait until check() is truthy; the bot edits tallies on its own schedule."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.05)


def vote_ids(message: Any) -> list[str]:
    return [b["custom_id"] for b in message.buttons() if b["custom_id"].startswith("wp:vote:")]


def counts(world: Scene, message: Any) -> list[int]:
    """The per-option counts the poll message shows right now ("52% · 13" lines)."""
    text = world.fd.message(message.id).embeds[0]["description"]
    return [int(n) for n in re.findall(r"\d+% · (\d+)", text)]


async def create(world: Scene, who: Any = None, **options: Any) -> Any:
    options.setdefault("question", "Is Ed sympathetic to the workers?")
    options.setdefault("options", "Yes; No; A bit of both")
    ix = await world.fd.slash(who or world.alice, world.channel, "poll create", **options)
    assert acked_in_time(ix)
    return ix.reply


async def test_live_poll_vote_change_withdraw(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    assert "Closes <t:" in message.embeds[0]["description"]
    a, b, _ = vote_ids(message)
    click = await fd.click(world.alice, message, a)
    assert acked_in_time(click) and click.ephemeral and "Your vote: **Yes**" in click.reply.content
    await fd.click(world.bob, message, a)
    assert await eventually(lambda: counts(world, message) == [2, 0, 0])
    changed = await fd.click(world.bob, message, b)
    assert "Vote changed to **No**" in changed.reply.content
    withdrawn = await fd.click(world.alice, message, a)
    assert "withdrawn" in withdrawn.reply.content
    assert await eventually(lambda: counts(world, message) == [0, 1, 0])
    rows = await bot.store.fetchall("SELECT user_id, position FROM votes")
    assert [(r["user_id"], r["position"]) for r in rows] == [(world.bob.id, 1)]


async def test_blind_poll_hides_counts_until_closed_by_creator(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    message = await create(world, mode="blind")
    a, b, _ = vote_ids(message)
    await fd.click(world.alice, message, a)
    click = await fd.click(world.bob, message, b)
    assert "Counts stay hidden" in click.reply.content
    assert await eventually(
        lambda: "2 votes so far" in fd.message(message.id).embeds[0]["description"]
    )
    assert "%" not in fd.message(message.id).embeds[0]["description"]
    ix = await fd.slash(world.alice, world.channel, "poll close", poll=str(_poll_id(message)))
    await ix.wait_for_messages()
    assert ix.ephemeral and "Closed poll" in ix.text()
    final = fd.message(message.id)
    assert counts(world, final) == [1, 1, 0] and "Tie between" in final.embeds[0]["description"]
    assert all(b["disabled"] for b in final.buttons())


def _poll_id(message: Any) -> int:
    return int(vote_ids(message)[0].split(":")[2])


async def test_only_creator_or_moderator_may_close(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    message = await create(world, who=world.alice)
    denied = await fd.slash(world.bob, world.channel, "poll close", poll=str(_poll_id(message)))
    assert denied.ephemeral and "Only the poll's creator" in denied.reply.content
    assert not fd.message(message.id).buttons()[0]["disabled"]
    # The poll's message id is recorded just after its message is posted (what the list offers
    # a poll by): on a loaded machine the first keystroke may come first.
    deadline = time.monotonic() + 5
    while True:
        choices = await fd.autocomplete(
            world.mod, world.channel, "poll close", focused="poll", poll="sympathetic"
        )
        if choices or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert choices[0]["value"] == str(_poll_id(message))
    allowed = await fd.slash(world.mod, world.channel, "poll close", poll=str(_poll_id(message)))
    await allowed.wait_for_messages()
    assert "Closed poll" in allowed.text()
    late = await fd.click(world.bob, message, vote_ids(message)[0], stale=True)
    assert acked_in_time(late) and "This poll has closed" in late.reply.content


async def test_deadline_closes_the_poll(bot: Watchparty, world: Scene) -> None:
    message = await create(world, duration="5s")
    await world.fd.click(world.alice, message, vote_ids(message)[2])
    final = await eventually(
        lambda: world.fd.message(message.id).buttons()[0]["disabled"], within=10
    )
    assert final, "the poll did not close at its deadline"
    assert (
        "🏆 **A bit of both** wins with 100%"
        in world.fd.message(message.id).embeds[0]["description"]
    )


async def test_bad_options_are_refused_privately(bot: Watchparty, world: Scene) -> None:
    for options, words in [
        ("Yes; yes", "listed twice"),
        ("Yes;;No", "empty"),
        ("Only one option", "2 to 10"),
    ]:
        ix = await world.fd.slash(
            world.alice, world.channel, "poll create", question="Q?", options=options
        )
        assert ix.ephemeral and words in ix.reply.content
    ix = await world.fd.slash(
        world.alice, world.channel, "poll create", question="Q?", options="a;b", duration="soon"
    )
    assert ix.ephemeral and "as a duration" in ix.reply.content
    assert await bot.store.fetchall("SELECT id FROM polls") == []


async def test_hostile_question_is_inert(bot: Watchparty, world: Scene) -> None:
    message = await create(
        world, question="@everyone ||spoiler|| <@123> `x`", options="@here; <@&5>"
    )
    text = message.embeds[0]["description"]
    assert "\\@everyone \\|\\|spoiler\\|\\|" in text and "\\@here" in text
    # The fd fixture asserts that no request could have pinged anyone.


async def test_preset_episode_polls_and_results_table(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    ix = await fd.slash(
        world.alice, world.channel, "poll episode", show="for-all-mankind", episode="S4E6"
    )
    posted = (await ix.wait_for_messages(2)).messages
    assert [m.embeds[0]["description"].split("\n")[0] for m in posted] == [
        "**Is Ed sympathetic to the workers?**",
        "**Will the Margo and Aleida partnership hold?**",
    ]
    assert posted[0].embeds[0]["title"] == "Poll · S4E6 · Leningrad"
    first = vote_ids(posted[0])
    await fd.click(world.alice, posted[0], first[0])
    await fd.click(world.bob, posted[0], first[0])
    await fd.click(world.mod, posted[0], first[2])
    for message in posted:
        closing = await fd.slash(
            world.mod, world.channel, "poll close", poll=str(_poll_id(message))
        )
        await closing.wait_for_messages()
    await watched(world, world.bob)
    results = await fd.slash(
        world.bob, world.channel, "poll results", show="For All Mankind", season=4
    )
    text = results.reply.embeds[0]["description"]
    assert "**S4E6 · Leningrad** · 2 poll(s) · 3 votes" in text
    assert "Is Ed sympathetic to the workers?" in text and "67% · 2" in text
    stored = await bot.store.fetchall(
        "SELECT final_votes FROM poll_options ORDER BY poll_id, position"
    )
    assert [r["final_votes"] for r in stored][:4] == [2, 0, 1, 0]


async def test_native_poll_votes_and_final_results(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    ix = await fd.slash(
        world.alice,
        world.channel,
        "poll create",
        question="Best scene?",
        options="Bar; Union hall",
        mode="native",
        show="for-all-mankind",
        episode="S4E6",
    )
    message = ix.reply
    assert message.poll is not None and message.poll["question"]["text"] == "Best scene?"
    assert [a["poll_media"]["text"] for a in message.poll["answers"]] == ["Bar", "Union hall"]
    await fd.native_vote(world.alice, message, 2)
    await fd.native_vote(world.bob, message, 2)
    await fd.native_vote(world.mod, message, 1)
    rows = await eventually_rows(bot, "SELECT count(*) FROM votes", 3)
    assert rows == 3
    # Without the guard the bot reads no messages, so it learns the final counts by ending
    # the poll itself (here its creator closes it; otherwise at its deadline).
    row = await bot.store.fetchone("SELECT id FROM polls")
    assert row is not None
    closed = await fd.slash(world.alice, world.channel, "poll close", poll=str(row[0]))
    await closed.wait_for_messages()
    assert "Closed poll" in closed.text()
    stored = await eventually_rows(bot, "SELECT group_concat(final_votes) FROM poll_options", "1,2")
    assert stored == "1,2"
    await watched(world, world.bob)
    results = await fd.slash(
        world.bob, world.channel, "poll results", show="for-all-mankind", episode="S4E6"
    )
    assert "Best scene?" in results.reply.embeds[0]["description"]


async def eventually_rows(bot: Watchparty, sql: str, expected: Any) -> Any:
    deadline = time.monotonic() + 5
    while True:
        row = await bot.store.fetchone(sql)
        value = row[0] if row else None
        if value == expected or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.05)


async def test_restart_mid_poll_keeps_votes_and_buttons(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    message = await create(world, duration="1h")
    a, b, _ = vote_ids(message)
    await fd.click(world.alice, message, a)
    await runner.stop()
    await runner.start(settings)
    after = await fd.click(world.bob, message, b)
    assert acked_in_time(after) and "Your vote: **No**" in after.reply.content
    assert await eventually(lambda: counts(world, message) == [1, 1, 0])


async def test_deadline_that_passed_while_stopped_fires_on_start(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    await runner.start(settings)
    message = await create(world, duration="5s")
    await world.fd.click(world.alice, message, vote_ids(message)[1])
    await runner.stop()
    await asyncio.sleep(5.5)
    await runner.start(settings)
    closed = await eventually(
        lambda: world.fd.message(message.id).buttons()[0]["disabled"], within=5
    )
    assert closed and "🏆 **No** wins" in world.fd.message(message.id).embeds[0]["description"]


async def test_burst_of_distinct_voters(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    message = await create(world, duration="1h")
    ids = vote_ids(message)
    voters = [fd.add_member(world.guild, f"fan{i}") for i in range(300)]
    edits_before = fd.message(message.id).edit_count
    started = time.monotonic()
    clicks = await asyncio.gather(*(fd.click(v, message, ids[i % 3]) for i, v in enumerate(voters)))
    assert all(acked_in_time(c) for c in clicks), max(c.acked_after or 99 for c in clicks)
    assert await eventually(lambda: counts(world, message) == [100, 100, 100])
    elapsed = time.monotonic() - started
    rows = await bot.store.fetchall("SELECT position, count(*) AS n FROM votes GROUP BY position")
    assert [r["n"] for r in rows] == [100, 100, 100]
    # Coalesced: about one edit per two seconds, not one per vote.
    assert fd.message(message.id).edit_count - edits_before <= elapsed / 2 + 2
    assert fd.rate_limited == 0
