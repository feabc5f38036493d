"""What the soak's members and moderator do, one interaction each: the actions of
`bench/soak.py`, against the bot it runs."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from harness.fakediscord import Interaction, Message

from . import scenarios
from .load import answered_in_time
from .stage import BenchError, Stage

TIMEOUT = 10.0
# What the one error path answers on a bug (bot/errors.py), never for an expected case.
FAILED = "Something went wrong"
RECENT = 20  # votes and closes go to the polls created last, as members act on new ones


@dataclass(frozen=True)
class Deadlines:
    """Time compressed: seconds (lowest, highest) where a server would have hours or days."""

    poll: tuple[int, int] = (5, 30)  # how long a poll stays open (5 s is the bot's least)
    party_start: tuple[int, int] = (5, 20)  # how soon a party starts
    party_length: tuple[int, int] = (5, 15)

    @property
    def longest(self) -> int:
        """Seconds after an interaction by which every deadline it set has passed."""
        return max(self.poll[1], self.party_start[1] + self.party_length[1])


@dataclass
class Poll:
    id: int
    message: Message
    buttons: list[str]


@dataclass
class Soak:
    st: Stage
    rng: random.Random
    recap: dict[str, Any]
    channels: list[Any]
    members: list[Any]
    deadlines: Deadlines
    polls: list[Poll] = field(default_factory=list)
    done: int = 0
    late: int = 0
    failed: int = 0  # answered "Something went wrong": a bug the soak found
    kinds: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # CommandError: a stale message

    def member(self) -> Any:
        return self.rng.choice(self.members)

    def channel(self) -> Any:
        return self.rng.choice(self.channels)

    def recent(self) -> Poll | None:
        return self.rng.choice(self.polls[-RECENT:]) if self.polls else None


async def vote(soak: Soak) -> Interaction:
    if (poll := soak.recent()) is None:
        return await recap(soak)
    # stale: a member whose client has not yet seen the poll close still clicks.
    button = soak.rng.choice(poll.buttons)
    return await soak.st.fd.click(soak.member(), poll.message, button, TIMEOUT, stale=True)


async def close(soak: Soak) -> Interaction:
    if (poll := soak.recent()) is None:
        return await recap(soak)
    channel = poll.message.channel_id
    mod = soak.st.moderator
    return await soak.st.fd.slash(mod, channel, "poll close", timeout=TIMEOUT, poll=f"#{poll.id}")


async def party(soak: Soak) -> Interaction:
    """A party starting in seconds and as short: its start and end fire within the run."""
    return await soak.st.fd.slash(
        soak.st.moderator,
        soak.channel(),
        "watchparty schedule",
        timeout=TIMEOUT,
        show=soak.recap["show"],
        episode=soak.recap["episode"],
        start=f"in {soak.rng.randint(*soak.deadlines.party_start)}s",
        length=f"{soak.rng.randint(*soak.deadlines.party_length)}s",
    )


async def discuss(soak: Soak) -> Interaction:
    episode = {"show": soak.recap["show"], "episode": soak.recap["episode"]}
    return await soak.st.fd.slash(
        soak.member(), soak.channel(), "discuss", timeout=TIMEOUT, **episode
    )


async def autocomplete(soak: Soak) -> Interaction:
    return await soak.st.fd.autocomplete_interaction(
        soak.member(),
        soak.channel(),
        "recap",
        focused="episode",
        timeout=TIMEOUT,
        show=soak.recap["show"],
        episode=soak.rng.choice(scenarios.TYPED),
    )


async def recap(soak: Soak) -> Interaction:
    return await soak.st.fd.slash(
        soak.member(), soak.channel(), "recap", timeout=TIMEOUT, **soak.recap
    )


async def create_poll(soak: Soak) -> Interaction:
    n = len(soak.polls) + 1
    ix = await soak.st.fd.slash(
        soak.st.moderator,
        soak.channel(),
        "poll create",
        timeout=TIMEOUT,
        question=f"Soak poll {n}: who blinks first?",
        options="Ed; Margo; Dani; Nobody",
        duration=f"{soak.rng.randint(*soak.deadlines.poll)}s",
    )
    if not answered_in_time(ix) or FAILED in ix.text():
        return ix  # counted by the driver as late or failed; the run goes on
    buttons = [b["custom_id"] for b in ix.reply.buttons() if b["custom_id"].startswith("wp:vote:")]
    match = re.match(r"wp:vote:(\d+):", buttons[0]) if buttons else None
    if match is None:
        raise BenchError(f"/poll create posted no vote buttons: {ix.text()}")
    soak.polls.append(Poll(int(match[1]), ix.reply, buttons))
    return ix


ACTIONS: dict[str, Callable[[Soak], Awaitable[Interaction]]] = {
    "vote": vote,
    "close": close,
    "poll": create_poll,
    "party": party,
    "discuss": discuss,
    "autocomplete": autocomplete,
    "recap": recap,
}
