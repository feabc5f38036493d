"""Fixtures that run the real bot against the loopback Discord emulator in harness/fakediscord.

How to write a test with them: tests/README.md.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import discord
import hypothesis
import pytest

from bot.app import EXTENSIONS, Watchparty, open_bot
from bot.settings import Settings
from bot.store import Store
from harness.fakediscord import FakeDiscord
from harness.fakediscord.openapi import OpenAPI
from harness.postgres import PostgresServer, skip_reason

ROOT = Path(__file__).resolve().parents[1]


def pytest_report_header(config: pytest.Config) -> str:
    reason = OpenAPI(None).skip_reason
    if reason:
        return f"Discord OpenAPI validation: SKIPPED, {reason}"
    return "Discord OpenAPI validation: on (every request body is checked against the spec)"


def acked_in_time(ix: Any) -> bool:
    """Discord's rule: the first response within 3 seconds of the interaction."""
    return ix.acked_after is not None and ix.acked_after < 3.0 and not ix.callback_errors


@dataclasses.dataclass
class Scene:
    """One server as members see it: a guild, a channel, two members and a moderator.

    (The emulator's own `World` is everything it knows; a test's scene is the part in view.)
    """

    fd: FakeDiscord
    guild: Any
    channel: Any
    alice: Any
    bob: Any
    mod: Any


@pytest.fixture
async def fd() -> AsyncIterator[FakeDiscord]:
    emulator = FakeDiscord()
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.close()
    # Every request the bot made must have been valid: Discord's schema and limits, no pings.
    assert emulator.violations == [], emulator.violations


@pytest.fixture
def world(fd: FakeDiscord) -> Scene:
    guild = fd.add_guild("Watchers")
    channel = fd.add_channel(guild, "episodes")
    moderator = discord.Permissions.general() | discord.Permissions.text()
    moderator.manage_messages = moderator.manage_guild = moderator.manage_events = True
    moderator.administrator = False
    return Scene(
        fd=fd,
        guild=guild,
        channel=channel,
        alice=fd.add_member(guild, "alice"),
        bob=fd.add_member(guild, "bob"),
        mod=fd.add_member(guild, "mod", permissions=moderator.value),
    )


async def watched(
    world: Scene, member: Any, show: str = "for-all-mankind", episode: str = "S4E6"
) -> None:
    """The member tells the bot how far they have watched, as they would in Discord."""
    ix = await world.fd.slash(member, world.channel, "progress set", show=show, episode=episode)
    assert ix.ephemeral and "Got it" in ix.reply.content, ix.text()


async def everyone_caught_up(world: Scene) -> None:
    """A moderator sets the server to treat members without progress as caught up."""
    ix = await world.fd.slash(
        world.mod, world.channel, "config progress-default", members="caught_up"
    )
    assert ix.ephemeral and "Saved" in ix.reply.content, ix.text()


@pytest.fixture
async def settings(
    fd: FakeDiscord, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Settings]:
    """The bot's settings; WATCHPARTY_TEST_DATABASE=postgresql gives it a fresh PostgreSQL
    database (DATABASE_URL) instead of an SQLite file, so the whole suite runs on either."""
    url, made = None, None
    if os.environ.get("WATCHPARTY_TEST_DATABASE") == "postgresql":
        made = Databases("postgresql", tmp_path, request.getfixturevalue("pg_template"))
        url = await made()
    try:
        yield Settings(
            token=fd.token,
            database=tmp_path / "watchparty.db",
            database_url=url,
            data_dir=ROOT / "data",
            api_base=fd.api_base,
        )
    finally:
        if made is not None:
            await made.drop()


class BotRunner:
    """Starts and stops the real bot in this event loop, as `python -m bot` would run it."""

    def __init__(self, fd: FakeDiscord) -> None:
        self.fd = fd
        self.bot: Watchparty | None = None
        self._stack: Any = None
        self._task: asyncio.Task[None] | None = None

    async def start(
        self,
        settings: Settings,
        *,
        force_sync: bool = False,
        extensions: tuple[str, ...] = EXTENSIONS,
    ) -> Watchparty:
        # A short guild_ready_timeout: the emulator sends every GUILD_CREATE at once.
        self._stack = open_bot(
            settings, sync=force_sync, extensions=extensions, guild_ready_timeout=0.2
        )
        self.bot = await self._stack.__aenter__()
        self._task = asyncio.create_task(self.bot.start(settings.token))
        await self.fd.wait_for_bot_ready(timeout=15)
        await self.bot.wait_until_ready()
        return self.bot

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
        if self._task is not None:
            await self._task
        if self._stack is not None:
            await self._stack.__aexit__(None, None, None)
        self.bot, self._task, self._stack = None, None, None


@pytest.fixture
async def runner(fd: FakeDiscord, settings: Settings) -> AsyncIterator[BotRunner]:
    # Takes `settings` so that its database (a PostgreSQL one is dropped afterwards) outlives
    # the bot.
    running = BotRunner(fd)
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def bot(runner: BotRunner, settings: Settings, world: Scene) -> Watchparty:
    return await runner.start(settings)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server for the whole run (harness/postgres.py), stopped and
    deleted at the end: `postgresql://…/watchparty_test`. Tests share its one database.
    Under pytest-xdist each worker process starts its own (about 1.5 s), so no two tests ever
    share a server's connections or its template database."""
    reason = skip_reason()
    if reason is not None:
        pytest.skip(reason)
    with PostgresServer() as url:
        yield url


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the gettext catalogues when a .po is newer than its .mo, as `make` does, so a
    bare `pytest` after editing a translation tests the edit (bot/i18n_build.py)."""
    if hasattr(session.config, "workerinput"):
        # A pytest-xdist worker: the controller compiled them before starting any worker, and
        # a worker writing a .mo while another reads it would hand that one half a catalogue.
        return
    from bot.i18n import SHIPPED
    from bot.i18n_build import compile_all, po_path

    for lang in SHIPPED:
        po, mo = po_path(lang), po_path(lang).with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            compile_all()
            return


class Databases:
    """Fresh databases for one test, by name: an SQLite file in the test's folder, or a
    PostgreSQL database cloned from the session's migrated template (a fast file copy).
    The same name gives the same database, so a test can close a store and open it again."""

    def __init__(self, kind: str, folder: Path, server: str | None) -> None:
        self.kind, self.folder, self.server = kind, folder, server
        self.made: dict[str, str] = {}

    async def __call__(self, name: str = "watchparty.db") -> str:
        if name not in self.made:
            if self.server is None:
                self.made[name] = str(self.folder / name)
            else:
                database = f"t{uuid.uuid4().hex[:16]}"
                admin = await asyncpg.connect(self.server)
                try:
                    await admin.execute(f"CREATE DATABASE {database} TEMPLATE {PG_TEMPLATE}")
                finally:
                    await admin.close()
                self.made[name] = self.server.rsplit("/", 1)[0] + "/" + database
        return self.made[name]

    async def drop(self) -> None:
        if self.server is None or not self.made:
            return
        admin = await asyncpg.connect(self.server)
        try:
            for url in self.made.values():
                name = url.rsplit("/", 1)[1]
                await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()


PG_TEMPLATE = "watchparty_template"


@pytest.fixture(scope="session")
def pg_template(postgres_url: str) -> str:
    """The session server's URL, once a migrated template database exists on it."""

    async def make() -> None:
        admin = await asyncpg.connect(postgres_url)
        try:
            await admin.execute(f"CREATE DATABASE {PG_TEMPLATE}")
        finally:
            await admin.close()
        store = await Store.open(postgres_url.rsplit("/", 1)[0] + "/" + PG_TEMPLATE)
        await store.close()

    # Requested from inside a running test's event loop: its own loop, on a thread.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, make()).result()
    return postgres_url


# WATCHPARTY_TEST_DATABASE=sqlite (or postgresql) runs the store tests on that store only.
_STORES = [
    kind
    for kind in ("sqlite", "postgresql")
    if os.environ.get("WATCHPARTY_TEST_DATABASE", kind) == kind
]


@pytest.fixture(params=_STORES)
async def databases(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Databases]:
    """Store tests take this to run on both stores: `Store.open(await databases())`."""
    server = request.getfixturevalue("pg_template") if request.param == "postgresql" else None
    made = Databases(request.param, tmp_path, server)
    try:
        yield made
    finally:
        await made.drop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs the emulator, so `make unit` can leave them out."""
    for item in items:
        if "fd" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.emulator)


# Property tests must be reproducible in CI and quick: the same examples every run, a bounded
# number of them, no example database. WATCHPARTY_HYPOTHESIS_EXAMPLES raises the count locally.
hypothesis.settings.register_profile(
    "watchparty",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=int(os.environ.get("WATCHPARTY_HYPOTHESIS_EXAMPLES", "150")),
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
    ],
)
hypothesis.settings.load_profile("watchparty")
