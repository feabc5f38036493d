"""The bot: receives its settings and store, loads the cogs, answers every error."""

from __future__ import annotations

import logging
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from . import errors, loader
from .settings import Settings
from .store import Store
from .sync import sync_commands

log = logging.getLogger(__name__)

# Loaded in this order at start-up; one cog per feature.
EXTENSIONS = (
    "cogs.episodes",
    "cogs.polls",
    "cogs.progress",
    "cogs.config",
    "cogs.discuss",
    "cogs.watchparty",
    "cogs.guard",
)


class Tree(app_commands.CommandTree["Watchparty"]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await errors.report(interaction, error)


def intents(settings: Settings) -> discord.Intents:
    # Default intents cover guilds, guild messages (poll results arrive as message edits),
    # poll votes and scheduled events; none of them is privileged.
    chosen = discord.Intents.default()
    chosen.typing = False
    chosen.presences = False
    chosen.members = False
    # Privileged: only the opt-in spoiler guard reads what members write.
    chosen.message_content = settings.message_content
    return chosen


class Watchparty(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        force_sync: bool = False,
        extensions: tuple[str, ...] = EXTENSIONS,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(settings),
            tree_cls=Tree,
            # Data files and members write the text this bot shows: it must never ping anyone.
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.store = store
        self.force_sync = force_sync
        self.to_load = extensions

    async def setup_hook(self) -> None:
        if self.settings.api_base:
            # Against an emulator the gateway is wherever its REST API says it is.
            _, url, _ = await self.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await loader.load_folder(self.store, self.settings.data_dir)
        for extension in self.to_load:
            await self.load_extension(extension)
        await sync_commands(self, force=self.force_sync)

    async def on_ready(self) -> None:
        log.info("Ready as %s in %d servers", self.user, len(self.guilds))
