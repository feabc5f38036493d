"""Writing poll votes: a batch of clicks in one transaction, and the undoing of clicks whose
answer Discord refused (cogs/polls/_votes.py decides which). `PollQueries.ballots` runs it."""

from __future__ import annotations

import json
import time
from typing import Any

from ..models import Ballot, VoteOutcome
from .dialect import both

# A member's stored vote: (position, voted_at); None when they have none.
Row = tuple[int, float] | None


async def write(
    db: Any,
    clicks: list[tuple[int, int, int]],
    deadlines: list[float] | None,
    clicked_at: list[float] | None,
    undo: list[Ballot],
) -> tuple[list[Ballot | None], list[bool]]:
    """The clicks' ballots (None: past its deadline, not written) and which undos applied;
    see `PollQueries.ballots`. Runs inside the caller's write transaction."""
    now = time.time()
    undone = await _undo(db, undo) if undo else []
    polls, current = await _vote_state(db, clicks)
    ballots: list[Ballot | None] = []
    for n, (poll_id, user_id, position) in enumerate(clicks):
        if deadlines is not None and deadlines[n] <= now:
            ballots.append(None)
            continue
        refused = _refusal(polls.get(poll_id), clicked_at[n] if clicked_at else now)
        if refused is not None:
            ballots.append(Ballot(refused, poll_id, user_id))
            continue
        before = current.get((poll_id, user_id))
        was = before[0] if before else None
        after: Row = None if was == position else (position, now)
        current[(poll_id, user_id)] = after
        outcome = (
            VoteOutcome.WITHDRAWN
            if was == position
            else VoteOutcome.RECORDED
            if was is None
            else VoteOutcome.CHANGED
        )
        at = before[1] if before else None
        ballots.append(Ballot(outcome, poll_id, user_id, was, at, after[0] if after else None, now))
    changed = {(b.poll_id, b.user_id) for b in ballots if b and b.outcome.counted}
    await _store(db, {key: current[key] for key in changed})
    bumped = {p for p, _ in changed} | {
        b.poll_id for b, done in zip(undo, undone, strict=True) if done
    }
    await db.executemany(
        "UPDATE polls SET version = version + 1 WHERE id = ?", [(p,) for p in sorted(bumped)]
    )
    return ballots, undone


async def _undo(db: Any, undo: list[Ballot]) -> list[bool]:
    """Put back what each ballot found, in the order given (latest click first), each only
    while the member's row is still what that ballot wrote and the poll is open: a
    compare-and-set, so a later click that replaced it (or a deletion of the member's
    data) is never undone."""
    polls, current = await _vote_state(db, [(b.poll_id, b.user_id, 0) for b in undo])
    applied: list[bool] = []
    restored: dict[tuple[int, int], Row] = {}
    for ballot in undo:
        key = (ballot.poll_id, ballot.user_id)
        wrote = None if ballot.after is None else (ballot.after, ballot.at)
        poll = polls.get(ballot.poll_id)
        if poll is None or not poll[0] or current.get(key) != wrote:
            applied.append(False)
            continue
        found: Row = None
        if ballot.before is not None:
            found = (ballot.before, ballot.at if ballot.before_at is None else ballot.before_at)
        current[key] = restored[key] = found
        applied.append(True)
    await _store(db, restored)
    return applied


async def _store(db: Any, rows: dict[tuple[int, int], Row]) -> None:
    """Make each member's row what `rows` says: deleted (None), or this position and time."""
    await db.executemany(
        "DELETE FROM votes WHERE poll_id = ? AND user_id = ?",
        [key for key, row in rows.items() if row is None],
    )
    await db.executemany(
        "INSERT INTO votes (poll_id, user_id, position, voted_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (poll_id, user_id) DO UPDATE SET position = excluded.position,"
        " voted_at = excluded.voted_at",
        [(p, u, *row) for (p, u), row in rows.items() if row is not None],
    )


def _refusal(poll: tuple[bool, float] | None, clicked_at: float) -> VoteOutcome | None:
    """Why a click on this poll (open?, closes_at) cannot count, or None when it can."""
    if poll is None:
        return VoteOutcome.UNKNOWN
    is_open, closes_at = poll
    if not is_open:
        return VoteOutcome.CLOSED
    return VoteOutcome.LATE if clicked_at >= closes_at else None


# The clicking members' votes, from a JSON list of [poll, member] pairs.
_CURRENT_VOTES = both(
    sqlite="SELECT v.poll_id, v.user_id, v.position, v.voted_at FROM json_each(?) AS j"
    " JOIN votes AS v ON v.poll_id = json_extract(j.value, '$[0]')"
    " AND v.user_id = json_extract(j.value, '$[1]')",
    postgresql="SELECT v.poll_id, v.user_id, v.position, v.voted_at"
    " FROM json_array_elements(?::json) AS j"
    " JOIN votes AS v ON v.poll_id = (j.value ->> 0)::BIGINT"
    " AND v.user_id = (j.value ->> 1)::BIGINT",
)


async def _vote_state(
    db: Any, clicks: list[tuple[int, int, int]]
) -> tuple[dict[int, tuple[bool, float]], dict[tuple[int, int], Row]]:
    """Whether each clicked poll is open and its deadline (absent: no such poll), and each
    clicking member's current vote: two statements, whatever the number of clicks."""
    polls = json.dumps(sorted({p for p, _, _ in clicks}))
    async with db.execute(
        "SELECT id, closed_at IS NULL, closes_at FROM polls"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (polls,),
    ) as cursor:
        open_polls = {row[0]: (bool(row[1]), row[2]) for row in await cursor.fetchall()}
    pairs = json.dumps([[p, u] for p, u, _ in clicks])
    async with db.execute(_CURRENT_VOTES, (pairs,)) as cursor:
        current: dict[tuple[int, int], Row] = {
            (row[0], row[1]): (row[2], row[3]) for row in await cursor.fetchall()
        }
    return open_polls, current
