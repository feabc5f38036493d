"""One emulator, one server and one bot process: what every scenario runs on.

The emulator runs as the test suite runs it: OpenAPI validation of every request body when
Discord's spec is present, its limits, and Discord's rate limits. The bare bot and the real
bot each get their own emulator with the same settings, so the two are measured alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord

from bot.store import search_index
from harness.fakediscord import FakeDiscord, Member

from .proc import BenchBot


class BenchError(RuntimeError):
    """The benchmark did not measure what it claims to (wrong path taken, an invalid request)."""


@dataclass
class Stage:
    fd: FakeDiscord
    bot: BenchBot
    guild: Any
    channel: Any
    moderator: Member
    label: str
    # More channels, made before the bot starts (so it sees them as it would on Discord).
    spare_channels: list[Any] = field(default_factory=list)
    _serial: itertools.count[int] = field(default_factory=itertools.count)

    def members(self, count: int) -> list[Member]:
        """`count` members who have never used the bot: each interaction comes from a new one."""
        return [self.fd.add_member(self.guild, f"fan{next(self._serial)}") for _ in range(count)]

    def check(self) -> None:
        """Every request the bot made was valid: Discord's schema, limits, no pings. (A late
        answer is a result, counted in "answered within 3 s", not a broken benchmark.)"""
        wrong = [v for v in self.fd.violations if v.kind != "late_ack"]
        if wrong:
            raise BenchError(f"{self.label} bot: {wrong[:3]}")


def moderator_permissions() -> int:
    chosen = discord.Permissions.general() | discord.Permissions.text()
    chosen.manage_messages = chosen.manage_guild = chosen.manage_events = True
    chosen.administrator = False
    return chosen.value


@asynccontextmanager
async def stage(
    kind: str,
    folder: Path,
    *,
    data_dir: Path | None = None,
    label: str | None = None,
    env: dict[str, str] | None = None,
    spare_channels: int = 0,
    ready_timeout: float = 30,
) -> AsyncIterator[Stage]:
    """A running emulator with one server, and the `kind` bot ("real" or "bare") in it,
    with its database in a new folder under `folder`."""
    fd = FakeDiscord()
    await fd.start()
    guild = fd.add_guild("Bench")
    channel = fd.add_channel(guild, "episodes")
    spares = [fd.add_channel(guild, f"episodes-{n}") for n in range(spare_channels)]
    moderator = fd.add_member(guild, "mod", permissions=moderator_permissions())
    bot = BenchBot(fd, Path(tempfile.mkdtemp(dir=folder)), kind, data_dir, env)
    try:
        await bot.start(ready_timeout)
        yield Stage(fd, bot, guild, channel, moderator, label or kind, spares)
    finally:
        await bot.stop()
        await fd.close()


def validation() -> str:
    """Whether request bodies are checked against Discord's OpenAPI spec in this run."""
    reason = FakeDiscord().openapi_skip_reason
    return f"OFF: {reason}" if reason else "on"


async def imported(st: Stage, data_dir: Path, within: float) -> None:
    """Wait until the bot has imported every data file of `data_dir` (a large first import
    runs in the background) and filled the search index after it, so nothing measured
    competes with the import."""
    files = await asyncio.to_thread(lambda: list(data_dir.glob("*.toml")))
    wanted = {f"datafile:{p.name}" for p in files}
    database = Path(st.bot.env["DATABASE_PATH"])
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await asyncio.to_thread(_imported, database, wanted):
            return
        await asyncio.sleep(1)
    raise BenchError(f"{st.label} bot did not import {data_dir} in {within:.0f} s")


def _imported(database: Path, wanted: set[str]) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            keys = {row[0] for row in db.execute("SELECT key FROM meta")}
    except sqlite3.Error:  # not created or not migrated yet
        return False
    return wanted <= keys and search_index.BULK not in keys
