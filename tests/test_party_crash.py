"""Watch-party steps run exactly once and in order, whenever `python -m bot` is killed.

The emulator holds one of the bot's requests, the test kills the bot with SIGKILL while Discord
is still acting on it, lets the request finish (as Discord would), and starts the bot again:
each message, the thread, the poll and the event's final state must exist exactly once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.settings import Settings
from harness.fakediscord import FakeDiscord
from harness.process import BotProcess
from tests.conftest import Scene
from tests.test_polls import eventually
from tests.test_watchparty import polls_in, reminders, said, schedule

MESSAGES = "/channels/{channel_id}/messages"
EVENT = "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
COMPLETED = 3


@pytest.fixture
async def process(fd: FakeDiscord, settings: Settings) -> AsyncIterator[BotProcess]:
    bot = BotProcess(fd, settings.store_target)
    try:
        yield bot
    finally:
        await bot.stop()


def has(words: str) -> Any:
    return lambda body: isinstance(body, dict) and words in (body.get("content") or "")


def is_poll(body: Any) -> bool:
    return isinstance(body, dict) and any(
        button.get("custom_id", "").startswith("wp:vote:")
        for row in body.get("components") or []
        for button in row.get("components") or []
    )


async def kill_while_held(
    fd: FakeDiscord, process: BotProcess, method: str, template: str, match: Any
) -> None:
    held = fd.hold(method, template, match)
    await asyncio.wait_for(held.reached.wait(), 15)
    await process.kill()
    held.release.set()  # Discord finishes what it was asked, though nobody hears the answer
    await asyncio.sleep(0.2)
    await process.start()


async def the_party_happened_once(world: Scene) -> None:
    fd = world.fd
    assert await eventually(lambda: said(world, "is over"), within=15)
    assert await eventually(
        lambda: [e.data["status"] for e in fd.scheduled_events(world.guild)] == [COMPLETED],
        within=10,
    )
    await asyncio.sleep(1.5)  # nothing more may follow
    threads = fd.threads(world.guild)
    assert len(threads) == 1 and not fd.channel(threads[0].id).locked
    assert len(polls_in(world, threads[0])) == 1
    assert len(reminders(world)) == 1 and len(said(world, "is over")) == 1


@pytest.mark.parametrize(
    ("method", "template", "match"),
    [
        ("POST", MESSAGES, has("is starting now")),
        ("PATCH", EVENT, lambda body: isinstance(body, dict) and body.get("status") == 2),
        ("POST", MESSAGES, is_poll),
        ("POST", MESSAGES, has("is over")),
        ("PATCH", EVENT, lambda body: isinstance(body, dict) and body.get("status") == 3),
    ],
    ids=["reminder", "event-active", "poll", "over", "event-completed"],
)
async def test_a_kill_at_any_step_leaves_one_of_each(
    process: BotProcess, world: Scene, method: str, template: str, match: Any
) -> None:
    await process.start()
    await schedule(world, world.mod, "in 2s", "3s")
    await kill_while_held(world.fd, process, method, template, match)
    await the_party_happened_once(world)


async def test_a_thread_opened_before_the_party_gets_one_poll(
    process: BotProcess, world: Scene
) -> None:
    fd = world.fd
    await process.start()
    opened = await fd.slash(
        world.alice, world.channel, "discuss", show="for-all-mankind", episode="S4E6"
    )
    await opened.wait_for_messages()
    await schedule(world, world.mod, "in 2s", "2s")
    await the_party_happened_once(world)
