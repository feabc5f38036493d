"""The bot and its lifetime: settings, HTTP session, store and client, opened and closed here.

`open_bot` is the one place every resource is made, in the spirit of discord.py's
`examples/advanced_startup.py`; everything else receives them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands

from . import __version__, command_sync, errors, i18n, metrics
from .catalog import importer
from .catalog.sources.tvmaze import TvmazeClient
from .catalog.sources.wikipedia import WikipediaClient
from .clock import DiscordClock
from .invite import invite_text
from .metrics_server import serving
from .services import Pager, PartyPlanner, PollService, ReminderService, ThreadService
from .settings import Settings
from .sharding import Owned, describe
from .store import Store, StoreBusy
from .work import Work

log = logging.getLogger(__name__)

# Loaded in this order at start-up. `cogs.components` registers every persistent button.
EXTENSIONS = (
    "cogs.components",
    "cogs.episodes",
    "cogs.polls",
    "cogs.progress",
    "cogs.config",
    "cogs.discuss",
    "cogs.watchparty",
    "cogs.reminders",
    "cogs.timezone",
    "cogs.follows",
    "cogs.airing",
    "cogs.guard",
    "cogs.catalog",
    "cogs.authoring",
    "cogs.search",
    "cogs.together",
    "cogs.privacy",
    "cogs.meta",
)


# The start-up import of the data folder, claimed by one of the processes starting together;
# held this long at most, so a process killed while importing leaves it to the next start.
IMPORT_JOB = "data-import"
IMPORT_CLAIM = 120.0

# How long a stop waits for the work under way (an interaction's handler, a timer's step) once
# Discord sends no more; well inside the 90 s systemd gives a service to stop by default.
SHUTDOWN_GRACE = 10.0


class Tree(app_commands.CommandTree["Watchparty"]):
    async def on_error(
        self, interaction: discord.Interaction[Watchparty], error: app_commands.AppCommandError
    ) -> None:
        await errors.report(interaction, error)


def intents(settings: Settings) -> discord.Intents:
    # Guilds, poll votes and scheduled events; none of them is privileged. Messages only for
    # the opt-in spoiler guard: without it the bot reads no message (not even its own, echoed
    # back), and native poll results are fetched when the poll closes.
    chosen = discord.Intents.default()
    chosen.typing = False
    chosen.presences = False
    chosen.members = False
    chosen.dm_messages = False
    chosen.guild_messages = settings.message_content
    # Privileged: only the spoiler guard reads what members write.
    chosen.message_content = settings.message_content
    return chosen


class Watchparty(commands.AutoShardedBot):
    """The bot, always sharded: SHARD_COUNT and SHARD_IDS choose this process's shards; with
    neither set, discord.py asks Discord (`GET /gateway/bot`) how many to run, all here."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        session: aiohttp.ClientSession,
        *,
        sync: bool = False,
        extensions: tuple[str, ...] = EXTENSIONS,
        **options: Any,
    ) -> None:
        """`options` go to discord.py's client (the tests shorten `guild_ready_timeout`)."""
        # Discord's timestamps become host time through this one estimate (bot/clock.py).
        self.clock = DiscordClock()
        if settings.shard_ids is not None:
            options["shard_ids"] = list(settings.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(settings),
            tree_cls=Tree,
            # Data files and members write the text this bot shows: it must never ping anyone.
            allowed_mentions=discord.AllowedMentions.none(),
            # The guard compares an edited message with the one it replaces; nothing else
            # needs a message cache.
            max_messages=1000 if settings.message_content else None,
            shard_count=settings.shard_count,
            http_trace=self.clock.http_trace(),
            **options,
        )
        # Each interaction's handlers read its member's and server's language (bot/i18n.py).
        i18n.watch_interactions(self._connection)
        # An autocomplete answered too late is counted, not logged as an error.
        errors.quiet_expired_autocomplete()
        self.settings = settings
        self.store = store
        self.session = session
        self.tvmaze = TvmazeClient(session, base_url=settings.tvmaze_api_base)
        # Recaps from Wikipedia need a contact for its User-Agent rule: none, no Wikipedia.
        self.wikipedia = (
            WikipediaClient(
                session, contact=settings.wikipedia_contact, base_url=settings.wikipedia_api_base
            )
            if settings.wikipedia_contact
            else None
        )
        # Held while a show's data file is written and imported, or the show removed: one at a
        # time, so a removal cannot be undone by a refresh in flight (bot/catalog/sync.py).
        self.catalog_writing = asyncio.Lock()
        self.force_sync = sync
        # Names this process in the store's job claims (store.jobs): one of several may run.
        self.process_name = f"{socket.gethostname()}:{os.getpid()}"
        self.features = extensions
        # Services one feature offers another; each is set by the cog that provides it.
        self.polls: PollService | None = None
        self.threads: ThreadService | None = None
        self.reminders: ReminderService | None = None
        self.planner: PartyPlanner | None = None
        # What page and "Show anyway" buttons can draw, by kind; each cog adds its own.
        self.pagers: dict[str, Pager] = {}
        self.started_at = discord.utils.utcnow()
        self._invite_shown = False
        # A large first import runs beside the bot (see import_data).
        self.importing: asyncio.Task[importer.LoadReport] | None = None
        # Set as a stop begins: timers start no new step once cogs may be unloading (a step
        # would judge a feature "off" because its cog is gone, and mark itself done).
        self.stopping = False
        # Forgets the store's caches when another process (another shard's, the CLI) writes.
        self.following: asyncio.Task[None] | None = None
        # Every task started on the bot's behalf, waited for before the store closes.
        self.work = Work()

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        # Called while the gateway event is parsed, before any handler runs: the moment an
        # interaction arrives (what the clock's offset estimate and the metrics need), and when
        # a slash command has completed without an error.
        if event_name == "interaction" and args:
            self.clock.received(args[0].id)
            metrics.received(args[0])
        elif event_name == "app_command_completion":
            metrics.finished(args[0])
        super().dispatch(event_name, *args, **kwargs)

    async def setup_hook(self) -> None:
        # Runs in the task that goes on to run the gateway: every task from here on is tracked.
        self.work.track()
        self.following = asyncio.create_task(self.store.follow_other_writers())
        # Before the sync: command names and descriptions go to Discord in every shipped language.
        await self.tree.set_translator(i18n.Translator())
        await self.import_data()
        for extension in self.features:
            await self.load_extension(extension)
        # Commands are global to the application, so one process syncs them, not each.
        if self.settings.syncs_commands:
            await self.sync_commands()
        else:
            log.info(
                "Not syncing slash commands: the process running shard 0 does (this one runs %s)",
                describe(self.settings.shard_ids, self.settings.shard_count),
            )

    def owns(self, guild_id: int) -> bool:
        """True when the server is on one of this process's shards: its events come here, and
        work for it that no event starts (timers, reminders) is this process's to do."""
        return guild_id in self.owned

    @property
    def owned(self) -> Owned:
        """This process's shards, for the store's queries of work due in its servers only."""
        count = self.shard_count or 1
        ids = tuple(self.shard_ids) if self.shard_ids is not None else None
        return Owned(count, ids)

    async def import_data(self) -> None:
        """Load changed data files: before the commands when they are few, else meanwhile.

        A first start with a large catalog (20,000 episodes take seconds) must not keep the bot
        offline; commands about shows not imported yet answer "I don't know a show called …".
        A small catalog (the tests' one file) is imported first, so commands see it at once.
        """
        folder = self.settings.data_dir
        paths, size = await importer.pending(self.store, folder)
        if not paths:
            return
        if size > importer.BACKGROUND_IMPORT_BYTES:
            if await self._claim_import():
                log.info("Importing %d data files in the background", len(paths))
                self.importing = asyncio.create_task(self._import(paths))
            return
        # Shard processes started together share the folder and the store: one imports. On
        # PostgreSQL the others wait for it (store.turn), so their commands too know every show
        # from the start; on SQLite they go on and see its writes as they commit.
        async with self.store.turn(IMPORT_JOB, IMPORT_CLAIM) as mine:
            if not mine:
                log.warning("Another process's import of the data files is still running")
                return
            paths, _ = await importer.pending(self.store, folder)  # what the other left
            if paths and await self._claim_import():
                await self._import(paths)

    async def _claim_import(self) -> bool:
        try:
            claimed = await self.store.jobs.claim(IMPORT_JOB, self.process_name, IMPORT_CLAIM)
        except StoreBusy:
            # Another process holds the write lock (an SQLite file's importer, most likely):
            # start without importing; its writes show here as they commit, and what it
            # left is imported at the next start.
            log.warning("The store is busy with another process's writes; not importing here")
            return False
        if claimed:
            return True
        log.info("Another process is importing the data files; not importing them here")
        return False

    async def _import(self, paths: list[Path]) -> importer.LoadReport:
        try:
            return await importer.import_folder(self.store, self.settings.data_dir, paths)
        finally:
            await asyncio.shield(self.store.jobs.release(IMPORT_JOB, self.process_name))

    async def close(self) -> None:
        """Stop in the order that lets work under way finish: no more events from Discord, the
        features' timers stopped (their cogs unloaded), then every task still running waited
        for while Discord can still be answered; discord.py's side closes last, and `open_bot`
        closes the store once this returns."""
        self.stopping = True
        if self.following is not None:
            self.following.cancel()
        if self.importing is not None and not self.importing.done():
            # The file being written rolls back; it is imported again at the next start.
            self.importing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.importing
        for shard in self.shards.values():
            await shard.disconnect()
        for extension in tuple(self.extensions):
            # Each cog's cog_unload stops its timers; one that fails must not keep the rest up.
            try:
                await self.unload_extension(extension)
            except Exception:
                log.exception("Unloading %s failed", extension)
        cut = await self.work.finish(SHUTDOWN_GRACE)
        if cut:
            log.warning(
                "Stopped %d tasks still running after %.0f s: %s",
                len(cut),
                SHUTDOWN_GRACE,
                ", ".join(cut),
            )
        await super().close()

    async def on_ready(self) -> None:
        log.info(
            "Ready as %s in %d servers on %s (Watchparty %s)",
            self.user,
            len(self.guilds),
            describe(None if self.shard_ids is None else tuple(self.shard_ids), self.shard_count),
            __version__,
        )
        if self.application_id is not None and not self._invite_shown:
            self._invite_shown = True
            log.info("%s", invite_text(self.application_id))

    async def sync_commands(self) -> bool:
        """Sync the slash commands if their shape changed, or when forced (bot/command_sync.py);
        True if it synced."""
        return await command_sync.sync(
            self.tree, self.store, self.settings.dev_guild_id, force=self.force_sync
        )


async def use_emulator(session: aiohttp.ClientSession, api_base: str) -> None:
    """Send every REST call and the gateway connection to a Discord emulator at `api_base`.

    The one seam for the test suite and the benchmarks (DISCORD_API_BASE); production never
    calls it. discord.py reads both addresses from class attributes: every REST call, webhooks
    and interaction callbacks included, goes through `Route.BASE`, and the gateway is wherever
    the emulator's `GET /gateway` says.
    """
    discord.http.Route.BASE = api_base
    async with session.get(f"{api_base}/gateway") as response:
        response.raise_for_status()
        url = (await response.json())["url"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


@asynccontextmanager
async def open_bot(settings: Settings, **options: Any) -> AsyncIterator[Watchparty]:
    """The HTTP session, the store and the bot, opened in order and closed in reverse."""
    async with aiohttp.ClientSession() as session:
        if settings.api_base:
            await use_emulator(session, settings.api_base)
        store = await Store.open(settings.store_target)
        try:
            async with (
                Watchparty(settings, store, session, **options) as bot,
                serving(settings.metrics_addr, bot),
            ):
                yield bot
        finally:
            await store.close()


async def run(settings: Settings, *, sync: bool = False) -> None:
    """Run until closed; SIGTERM and SIGINT close the bot cleanly."""
    async with open_bot(settings, sync=sync) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        await bot.start(settings.token)
