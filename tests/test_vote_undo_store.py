"""Undoing a vote in the store: exactly what the click found comes back, and only while the
member's row is still the one that click wrote (a compare-and-set). On both stores."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from bot.models import Ballot, Mode, VoteOutcome
from bot.store import Store
from tests.conftest import Databases


@pytest.fixture
async def store(tmp_path: Path, databases: Databases):
    opened = await Store.open(await databases("watchparty.db"))
    yield opened
    await opened.close()


async def new_poll(store: Store) -> int:
    poll = await store.polls.create(
        guild_id=1,
        channel_id=2,
        creator_id=3,
        question="Does Margo regret it?",
        options=("Yes", "No", "Not yet"),
        mode=Mode.LIVE,
        closes_at=time.time() + 60,
    )
    await store.polls.set_message(poll.id, 2, 99)
    return poll.id


async def cast(store: Store, *clicks: tuple[int, int, int]) -> list[Ballot]:
    ballots, _ = await store.polls.ballots(list(clicks))
    assert all(b is not None for b in ballots)
    return [b for b in ballots if b is not None]


async def undo(store: Store, *ballots: Ballot, clicks: Any = ()) -> tuple[list[Any], list[bool]]:
    return await store.polls.ballots(list(clicks), undo=list(ballots))


async def rows(store: Store, poll_id: int) -> list[tuple[int, int, float]]:
    found = await store.fetchall(
        "SELECT user_id, position, voted_at FROM votes WHERE poll_id = ? ORDER BY user_id",
        (poll_id,),
    )
    return [(r["user_id"], r["position"], r["voted_at"]) for r in found]


async def test_each_kind_of_click_is_undone_to_exactly_what_it_found(store: Store) -> None:
    poll = await new_poll(store)
    await cast(store, (poll, 10, 0), (poll, 11, 1))
    before = await rows(store, poll)
    version = (await store.polls.tally(poll)).poll.version  # type: ignore[union-attr]
    new, changed, withdrawn = await cast(store, (poll, 12, 2), (poll, 10, 2), (poll, 11, 1))
    assert [b.outcome for b in (new, changed, withdrawn)] == [
        VoteOutcome.RECORDED,
        VoteOutcome.CHANGED,
        VoteOutcome.WITHDRAWN,
    ]
    assert (changed.before, changed.after, withdrawn.before, withdrawn.after) == (0, 2, 1, None)

    _, applied = await undo(store, new, changed, withdrawn)
    assert applied == [True, True, True]
    # Positions and times both: the store holds what it held before these three clicks.
    assert await rows(store, poll) == before
    tally = await store.polls.tally(poll)
    assert tally is not None and tally.counts == (1, 1, 0) and tally.poll.version > version + 1


async def test_a_later_click_that_replaced_the_vote_is_never_undone(store: Store) -> None:
    poll = await new_poll(store)
    [first] = await cast(store, (poll, 10, 0))
    [later] = await cast(store, (poll, 10, 1))
    assert later.outcome is VoteOutcome.CHANGED
    _, applied = await undo(store, first)
    assert applied == [False]
    assert [(u, p) for u, p, _ in await rows(store, poll)] == [(10, 1)]
    # A withdrawal is undone only while there is still no vote: a later vote stays.
    [withdrawn] = await cast(store, (poll, 10, 1))
    [again] = await cast(store, (poll, 10, 2))
    _, applied = await undo(store, withdrawn)
    assert applied == [False] and again.outcome is VoteOutcome.RECORDED
    assert [(u, p) for u, p, _ in await rows(store, poll)] == [(10, 2)]


async def test_two_refused_clicks_of_one_batch_both_go_latest_first(store: Store) -> None:
    poll = await new_poll(store)
    [kept] = await cast(store, (poll, 10, 2))
    first, second = await cast(store, (poll, 10, 0), (poll, 10, 1))
    assert (first.before, first.after, second.before, second.after) == (2, 0, 0, 1)
    # The first alone is not the row any more: nothing happens.
    _, applied = await undo(store, first)
    assert applied == [False]
    _, applied = await undo(store, second, first)
    assert applied == [True, True]
    assert [(u, p) for u, p, _ in await rows(store, poll)] == [(10, kept.after)]


async def test_undos_come_before_the_clicks_of_their_batch(store: Store) -> None:
    poll = await new_poll(store)
    [refused] = await cast(store, (poll, 10, 0))
    # The member saw the click fail and clicks the same option again: a new vote, not a
    # withdrawal of the one they never saw.
    ballots, applied = await undo(store, refused, clicks=[(poll, 10, 0)])
    assert applied == [True]
    assert ballots[0] is not None and ballots[0].outcome is VoteOutcome.RECORDED
    assert [(u, p) for u, p, _ in await rows(store, poll)] == [(10, 0)]


async def test_nothing_is_undone_once_the_poll_closed_or_the_vote_was_deleted(
    store: Store,
) -> None:
    poll = await new_poll(store)
    [closing] = await cast(store, (poll, 10, 0))
    [deleted] = await cast(store, (poll, 11, 1))
    async with store.transaction() as db:
        await db.execute("DELETE FROM votes WHERE user_id = ?", (11,))
    _, applied = await undo(store, deleted)
    assert applied == [False] and [u for u, _, _ in await rows(store, poll)] == [10]
    # Closed: the counts are frozen, and the votes stay as they were counted.
    assert await store.polls.close(poll)
    _, applied = await undo(store, closing)
    assert applied == [False] and [u for u, _, _ in await rows(store, poll)] == [10]
    tally = await store.polls.tally(poll)
    assert tally is not None and tally.counts == (1, 0, 0)
