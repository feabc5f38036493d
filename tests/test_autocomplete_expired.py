"""An autocomplete answered after Discord's 3 seconds: counted and dropped, never an ERROR.

discord.py answers autocomplete itself and logs a failed answer as an error with a traceback;
under load a late one is normal, so the bot counts it as expired and logs one DEBUG line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import pytest

from bot.app import open_bot
from bot.errors import EXPIRED
from bot.settings import Settings
from tests.conftest import Scene
from tests.test_metrics import free_port, interactions, scrape


async def test_a_late_autocomplete_is_counted_not_logged_as_an_error(
    world: Scene, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    fd, port = world.fd, free_port()
    settings = dataclasses.replace(settings, metrics_addr=("127.0.0.1", port))
    caplog.set_level(logging.DEBUG)
    async with open_bot(settings, guild_ready_timeout=0.2) as bot:
        running = asyncio.create_task(bot.start(settings.token))
        await fd.wait_for_bot_ready(timeout=15)
        await bot.wait_until_ready()
        expired_before = EXPIRED.total
        # The gateway delivers it 3.3 s after Discord made it: any answer is too late.
        late = await fd.autocomplete_interaction(
            world.alice, world.channel, "recap", focused="show", lag=3.3
        )
        assert late.callback_errors == [(404, 10062)] and not late.choices
        [violation] = fd.violations_of("late_ack")
        fd.violations.remove(violation)
        # One in time is still answered.
        assert await fd.autocomplete(world.alice, world.channel, "recap", focused="show")

        counted = {}
        for _ in range(50):
            counted = interactions(await scrape(port))
            if counted.get(("autocomplete", "expired")):
                break
            await asyncio.sleep(0.1)
        assert counted[("autocomplete", "expired")] == 1
        assert counted[("autocomplete", "ok")] == 1
        assert EXPIRED.total == expired_before + 1
        await bot.close()
        await running

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    quiet = [r for r in caplog.records if "autocomplete answer came too late" in r.getMessage()]
    assert len(quiet) == 1 and quiet[0].levelno == logging.DEBUG and quiet[0].exc_info is None
