"""Hostile and odd input, case by case: each gets an answer in time, a clear private sentence
when refused, and leaves the store as it was. (test_hostile_property.py generates the rest.)"""

from __future__ import annotations

import pytest

from bot.app import Watchparty
from harness.fakediscord import Interaction
from tests.conftest import Scene, acked_in_time

SURROGATE = "\ud83d"  # half of an emoji: JSON can carry it, UTF-8 cannot
RTL_OVERRIDE = "\u202e"
ZERO_WIDTH = "\u200b\u200c\u2060\ufeff"


def refused(ix: Interaction, words: str) -> None:
    assert acked_in_time(ix) and ix.ephemeral, ix.text()
    assert words in ix.reply.content, ix.reply.content
    assert "Something went wrong" not in ix.text()


async def count(bot: Watchparty, table: str) -> int:
    # The table name comes from the tests' own literals.
    row = await bot.store.fetchone(f"SELECT count(*) FROM {table}")
    return int(row[0]) if row else 0


async def test_lone_surrogates_in_autocomplete_get_choices(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    shows = await fd.autocomplete(
        world.alice, world.channel, "recap", focused="show", show=f"man{SURROGATE}"
    )
    assert isinstance(shows, list)
    episodes = await fd.autocomplete(
        world.alice,
        world.channel,
        "recap",
        focused="episode",
        show="for-all-mankind",
        episode=f"S4{SURROGATE}",
    )
    assert episodes  # nothing matched: the season's episodes are offered instead


@pytest.mark.parametrize(
    ("question", "words"),
    [("   ", "question is empty"), (ZERO_WIDTH, "question is empty")],
)
async def test_blank_questions_are_refused_and_store_nothing(
    bot: Watchparty, world: Scene, question: str, words: str
) -> None:
    ix = await world.fd.slash(
        world.alice, world.channel, "poll create", question=question, options="Yes; No"
    )
    refused(ix, words)
    assert await count(bot, "polls") == 0


async def test_an_option_of_zero_width_characters_is_empty(bot: Watchparty, world: Scene) -> None:
    ix = await world.fd.slash(
        world.alice, world.channel, "poll create", question="Ready?", options=f"Yes; {ZERO_WIDTH}"
    )
    refused(ix, "One of the options is empty")
    assert await count(bot, "polls") == 0


async def test_a_question_with_a_surrogate_and_an_override_is_posted_clean(
    bot: Watchparty, world: Scene
) -> None:
    question = f"Who won{SURROGATE}? {RTL_OVERRIDE}reversed"
    ix = await world.fd.slash(
        world.alice, world.channel, "poll create", question=question, options="Ed; Margo"
    )
    assert acked_in_time(ix) and not ix.ephemeral, ix.text()
    shown = ix.reply.embeds[0]["description"]
    assert RTL_OVERRIDE not in shown and SURROGATE not in shown
    assert "Who won\ufffd?" in shown


@pytest.mark.parametrize("number", ["²³", "9" * 30, "-1", "#", "1e3"])
async def test_odd_numbers_name_no_poll_and_no_party(
    bot: Watchparty, world: Scene, number: str
) -> None:
    close = await world.fd.slash(world.mod, world.channel, "poll close", poll=number)
    refused(close, "I can't find that poll")
    cancel = await world.fd.slash(world.mod, world.channel, "watchparty cancel", party=number)
    refused(cancel, "I can't find that watch party")


@pytest.mark.parametrize(
    ("start", "words"),
    [("<t:9999999999999:F>", "year away"), ("9" * 40 + "h", "time"), ("²³:00", "time")],
)
async def test_start_times_out_of_range_are_sentences(
    bot: Watchparty, world: Scene, start: str, words: str
) -> None:
    ix = await world.fd.slash(
        world.mod,
        world.channel,
        "watchparty schedule",
        show="for-all-mankind",
        episode="S4E6",
        start=start,
    )
    refused(ix, words)
    assert await count(bot, "watch_parties") == 0


async def test_a_blank_episode_schedules_nothing(bot: Watchparty, world: Scene) -> None:
    ix = await world.fd.slash(
        world.mod,
        world.channel,
        "watchparty schedule",
        show="for-all-mankind",
        episode="   ",
        start="in 2h",
    )
    refused(ix, "Pick an episode")
    assert await count(bot, "watch_parties") == 0
    assert world.fd.scheduled_events(world.guild) == []
