"""Poll text at its limits: one limit (bot/limits.py), checked before any write, and the
store's CHECK constraints agree with it, so text at the limit is stored and one more
character is a private sentence, never a reference code."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from bot import limits
from bot.app import Watchparty
from bot.models import Mode
from bot.store import Store
from harness.fakediscord.interactions import Interaction
from tests.conftest import Databases, Scene, acked_in_time


async def _poll_create(world: Scene, **options: Any) -> Interaction:
    return await world.fd.slash(world.alice, world.channel, "poll create", **options)


async def _stored(bot: Watchparty) -> list[str]:
    rows = await bot.store.fetchall("SELECT question FROM polls ORDER BY id")
    return [r["question"] for r in rows]


async def test_a_question_at_the_limit_is_posted_and_one_over_is_refused(
    bot: Watchparty, world: Scene
) -> None:
    at_limit = "Who " + "x" * (limits.POLL_QUESTION_MAX - 5) + "?"
    assert len(at_limit) == limits.POLL_QUESTION_MAX
    posted = await _poll_create(world, question=at_limit, options="Yes; No")
    assert acked_in_time(posted) and not posted.ephemeral, posted.text()
    # Spaces a member typed twice are folded first, so they do not count.
    spaced = await _poll_create(world, question=at_limit.replace("Who ", "Who   "), options="A; B")
    assert acked_in_time(spaced) and not spaced.ephemeral, spaced.text()
    # Characters outside the Basic Multilingual Plane count once, as the store counts them.
    emoji = await _poll_create(world, question="🚀" * limits.POLL_QUESTION_MAX, options="A; B")
    assert acked_in_time(emoji) and not emoji.ephemeral, emoji.text()
    assert await _stored(bot) == [at_limit, at_limit, "🚀" * limits.POLL_QUESTION_MAX]

    # Letters with a combining accent count twice: Discord's own count may see one.
    accented = "e\u0301" * (limits.POLL_QUESTION_MAX // 2 + 1)
    for over in (at_limit + "!", "🚀" * (limits.POLL_QUESTION_MAX + 1), accented):
        refused = await _poll_create(world, question=over, options="Yes; No")
        assert acked_in_time(refused) and refused.ephemeral, refused.text()
        assert f"holds up to {limits.POLL_QUESTION_MAX}" in refused.reply.content
        assert "Something went wrong" not in refused.text()
    assert len(await _stored(bot)) == 3


async def test_a_native_poll_question_at_the_limit_is_accepted_by_discord(
    bot: Watchparty, world: Scene
) -> None:
    question = "q" * limits.POLL_QUESTION_MAX
    answer = "a" * limits.POLL_OPTION_MAX
    ix = await _poll_create(world, question=question, options=f"{answer}; b", mode="native")
    assert acked_in_time(ix) and ix.reply.poll is not None, ix.text()
    assert ix.reply.poll["question"]["text"] == question
    # The fd fixture fails the test if Discord's limits on native polls were broken.


async def test_an_option_at_the_limit_is_posted_and_one_over_is_refused(
    bot: Watchparty, world: Scene
) -> None:
    at_limit = "o" * limits.POLL_OPTION_MAX
    posted = await _poll_create(world, question="Best?", options=f"{at_limit}; Other")
    assert acked_in_time(posted) and not posted.ephemeral, posted.text()
    labels = await bot.store.fetchall("SELECT label FROM poll_options ORDER BY position")
    assert [r["label"] for r in labels] == [at_limit, "Other"]

    refused = await _poll_create(world, question="Best?", options=f"{at_limit}o; Other")
    assert refused.ephemeral and f"up to {limits.POLL_OPTION_MAX} characters" in refused.text()
    ten = "; ".join(str(n) for n in range(10))
    assert not (await _poll_create(world, question="Pick", options=ten)).ephemeral
    eleven = "; ".join(str(n) for n in range(11))
    too_many = await _poll_create(world, question="Pick", options=eleven)
    assert too_many.ephemeral and "2 to 10 options" in too_many.text()
    # An options field far longer than Discord's 1,000 characters is still one sentence.
    huge = await _poll_create(world, question="Pick", options="; ".join(["x" * 60] * 40))
    assert huge.ephemeral and "Something went wrong" not in huge.text()
    assert len(await _stored(bot)) == 2


async def test_the_store_holds_exactly_what_the_limits_allow(
    tmp_path: Path, databases: Databases
) -> None:
    """The schema's CHECKs and bot/limits.py agree: the limit is stored, one more is not."""
    store = await Store.open(await databases())

    async def create(question: str, option: str) -> None:
        await store.polls.create(
            guild_id=1,
            channel_id=2,
            creator_id=3,
            question=question,
            options=(option, "No"),
            mode=Mode.LIVE,
            closes_at=time.time() + 60,
        )

    try:
        await create("q" * limits.POLL_QUESTION_MAX, "o" * limits.POLL_OPTION_MAX)
        with pytest.raises(sqlite3.IntegrityError):
            await create("q" * (limits.POLL_QUESTION_MAX + 1), "Yes")
    finally:
        await store.close()
