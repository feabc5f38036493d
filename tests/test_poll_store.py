"""Polls on a real SQLite file: one vote per member, withdrawals, frozen results."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bot.errors import UserError
from bot.models import Mode, VoteOutcome
from bot.render.polls import poll_embed, verdict
from bot.store import Store
from cogs.polls.parsing import parse_duration, parse_options
from tests.conftest import Databases


@pytest.fixture
async def store(tmp_path: Path, databases: Databases):
    opened = await Store.open(await databases("watchparty.db"))
    yield opened
    await opened.close()


async def new_poll(store: Store, mode: Mode = Mode.LIVE):
    poll = await store.polls.create(
        guild_id=1,
        channel_id=2,
        creator_id=3,
        question="Is Ed sympathetic?",
        options=("Yes", "No", "Both"),
        mode=mode,
        closes_at=time.time() + 60,
    )
    await store.polls.set_message(poll.id, 2, 99)
    return poll


async def test_vote_change_withdraw(store: Store) -> None:
    poll = await new_poll(store)
    assert await store.polls.vote(poll.id, 10, 0) is VoteOutcome.RECORDED
    assert await store.polls.vote(poll.id, 11, 0) is VoteOutcome.RECORDED
    assert await store.polls.vote(poll.id, 10, 2) is VoteOutcome.CHANGED
    tally = await store.polls.tally(poll.id)
    assert tally is not None and tally.counts == (1, 0, 1)
    assert await store.polls.vote(poll.id, 11, 0) is VoteOutcome.WITHDRAWN
    tally = await store.polls.tally(poll.id)
    assert tally is not None and tally.counts == (0, 0, 1) and tally.poll.version == 4


async def test_one_vote_per_member_is_a_constraint(store: Store) -> None:
    poll = await new_poll(store)
    await store.polls.vote(poll.id, 10, 0)
    with pytest.raises(sqlite3.IntegrityError):
        async with store.transaction() as db:
            await db.execute(
                "INSERT INTO votes (poll_id, user_id, position, voted_at) VALUES (?, 10, 1, 0)",
                (poll.id,),
            )
    assert (await store.fetchone("SELECT count(*) FROM votes"))[0] == 1  # type: ignore[index]


async def test_close_freezes_counts_and_refuses_late_votes(store: Store) -> None:
    poll = await new_poll(store)
    for user in range(5):
        await store.polls.vote(poll.id, user, user % 2)
    assert await store.polls.close(poll.id) is True
    assert await store.polls.close(poll.id) is False
    assert await store.polls.vote(poll.id, 77, 1) is VoteOutcome.CLOSED
    tally = await store.polls.tally(poll.id)
    assert tally is not None and tally.counts == (3, 2, 0)
    assert verdict(tally) == "🏆 **Yes** wins with 60%."
    text = poll_embed(tally).description or ""
    assert "60% · 3" in text and "Closed <t:" in text


async def test_blind_poll_hides_counts_until_closed(store: Store) -> None:
    poll = await new_poll(store, Mode.BLIND)
    await store.polls.vote(poll.id, 1, 1)
    tally = await store.polls.tally(poll.id)
    assert tally is not None
    assert "%" not in (poll_embed(tally).description or "")
    await store.polls.close(poll.id)
    tally = await store.polls.tally(poll.id)
    assert tally is not None and "100% · 1" in (poll_embed(tally).description or "")


async def test_votes_survive_reopening_the_file(databases: Databases) -> None:
    first = await Store.open(await databases("w.db"))
    poll = await new_poll(first)
    await first.polls.vote(poll.id, 5, 1)
    await first.close()
    again = await Store.open(await databases("w.db"))
    tally = await again.polls.tally(poll.id)
    await again.close()
    assert tally is not None and tally.counts == (0, 1, 0)


def test_options_parse_and_refuse() -> None:
    assert parse_options("Yes; No ;  Not  sure") == ("Yes", "No", "Not sure")
    assert parse_options("a, b") == ("a", "b")
    for bad, words in [
        ("Yes; ; No", "empty"),
        ("Yes; yes", "twice"),
        ("only", "2 to 10"),
        (";".join("abcdefghijk"), "2 to 10"),
        ("x" * 56 + "; y", "too long"),
    ]:
        with pytest.raises(UserError, match=words):
            parse_options(bad)


def test_durations() -> None:
    assert parse_duration(None) == 24 * 3600
    assert parse_duration("90") == 90 * 60
    assert parse_duration("1h30m") == 90 * 60
    assert parse_duration("2 hours") == 2 * 3600
    assert parse_duration("3d") == 3 * 86400
    assert parse_duration("45s") == 45
    for bad in ("soon", "8d", "0m", "5x", "2s"):
        with pytest.raises(UserError):
            parse_duration(bad)
