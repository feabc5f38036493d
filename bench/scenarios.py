"""What members do, against the bare bot and the real bot in turn: /recap and autocomplete.

Repeats alternate between the bots (bare, real, bare, real, ...), so a change in what else
the shared machine is doing lands on both rather than on whichever ran second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from harness.fakediscord import Interaction, Member

from .load import Batch, Send, Summary, answered_in_time, drive
from .stage import BenchError, Stage

# Long enough to see how late a slow answer is; the emulator refuses answers after 3 s.
TIMEOUT = 10.0
WARM_UP = 20
# What members type in the episode option: nothing yet, a number, a code, part of a title.
TYPED = ("", "1", "S1E2", "e", "the")


async def caught_up(st: Stage) -> None:
    """A moderator sets the server to treat members without progress as caught up, so every
    /recap takes the public path (tests/conftest.py `everyone_caught_up` does the same)."""
    ix = await st.fd.slash(st.moderator, st.channel, "config progress-default", members="caught_up")
    if not (ix.ephemeral and "Saved" in ix.reply.content):
        raise BenchError(f"/config progress-default failed: {ix.text()}")


async def shows(st: Stage) -> list[str]:
    """The shows a member is offered with nothing typed yet."""
    choices = await st.fd.autocomplete(st.moderator, st.channel, "recap", focused="show")
    if not choices:
        raise BenchError(f"{st.label} bot offers no shows")
    return [c["value"] for c in choices]


async def offered(st: Stage) -> int:
    """How many episodes the bot offers for its first show with nothing typed."""
    choices = await st.fd.autocomplete(
        st.moderator, st.channel, "recap", focused="episode", show=(await shows(st))[0]
    )
    return len(choices)


async def recap_options(st: Stage) -> dict[str, Any]:
    """The show and episode a member would pick from the bot's own autocomplete."""
    show = (await shows(st))[0]
    choices = await st.fd.autocomplete(
        st.moderator, st.channel, "recap", focused="episode", show=show
    )
    code = choices[0]["value"]
    season = re.match(r"S(\d+)", code)
    return {"show": show, "season": int(season[1]) if season else 1, "episode": code}


async def warm_up(st: Stage, send: Send) -> Interaction:
    """A few untimed interactions first, so one-off costs (imports, caches) are not measured."""
    ix = None
    for i, member in enumerate(st.members(WARM_UP)):
        ix = await send(member, i)
        if not answered_in_time(ix):
            raise BenchError(f"{st.label} bot did not answer in time while warming up")
    assert ix is not None
    return ix


async def alternate(
    stages: Sequence[Stage],
    senders: dict[str, Send],
    *,
    count: int,
    repeats: int,
    concurrency: int,
) -> dict[str, Summary]:
    batches: dict[str, list[Batch]] = {st.label: [] for st in stages}
    for _ in range(repeats):
        for st in stages:
            members = st.members(count)
            batch = await drive(st.bot, members, senders[st.label], concurrency=concurrency)
            batches[st.label].append(batch)
    for st in stages:
        st.check()
    return {label: Summary.of(runs) for label, runs in batches.items()}


async def recap(
    stages: Sequence[Stage], *, count: int, concurrency: int, repeats: int
) -> dict[str, Summary]:
    """/recap from `count` distinct members, `concurrency` at a time; public replies."""
    senders: dict[str, Send] = {}
    for st in stages:
        if st.bot.kind == "real":
            await caught_up(st)
        senders[st.label] = _recap_sender(st, await recap_options(st))
        ix = await warm_up(st, senders[st.label])
        if ix.ephemeral or not ix.reply.embeds:
            raise BenchError(f"{st.label} bot did not answer /recap publicly: {ix.text()}")
    return await alternate(stages, senders, count=count, repeats=repeats, concurrency=concurrency)


def _recap_sender(st: Stage, options: dict[str, Any]) -> Send:
    async def send(member: Member, i: int) -> Interaction:
        return await st.fd.slash(member, st.channel, "recap", timeout=TIMEOUT, **options)

    return send


async def autocomplete(
    stages: Sequence[Stage], *, count: int, concurrency: int, repeats: int
) -> dict[str, Summary]:
    """Typing in /recap's episode option, over the shows the bot offers."""
    senders: dict[str, Send] = {}
    for st in stages:
        senders[st.label] = _episode_sender(st, await shows(st))
        ix = await warm_up(st, senders[st.label])
        if not ix.choices:
            raise BenchError(f"{st.label} bot offered no episodes")
    return await alternate(stages, senders, count=count, repeats=repeats, concurrency=concurrency)


def _episode_sender(st: Stage, offered: list[str]) -> Send:
    async def send(member: Member, i: int) -> Interaction:
        return await st.fd.autocomplete_interaction(
            member,
            st.channel,
            "recap",
            focused="episode",
            timeout=TIMEOUT,
            show=offered[i % len(offered)],
            episode=TYPED[i % len(TYPED)],
        )

    return send
