"""The floor: a bare discord.py bot with the real bot's command shapes and fixed answers.

Run as its own process, `python -m bench.barebot`, configured like the real bot (DISCORD_TOKEN,
DISCORD_API_BASE). It has the real bot's framework, intents and mention policy, and none of its
work: no store, no rendering, no progress check. What the real bot takes beyond this bot's time
and CPU is the cost of Watchparty's own code.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import sys
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import intents, use_emulator
from bot.settings import Settings, SettingsError

# About the size of the real recap page for S4E6 (a 3,350-character description, a title,
# an author, two fields and a footer: about 3.7 KB of JSON), so both bots send as much.
RECAP = discord.Embed(
    title="S1E1 · A Fixed Episode — Recap",
    description="_A fixed synopsis of about one line._\n\n"
    + "A fixed paragraph of recap text that stands in for a real one. " * 52,
    colour=discord.Colour(0x2B6CB0),
)
RECAP.set_author(name="A Fixed Show")
RECAP.add_field(name="Runtime", value="46–82 min")
RECAP.add_field(name="Genre", value="Drama, Sci\\-fi")
RECAP.set_footer(text="A Fixed Show · S1E1")
LINKS = ("IMDb", "Rotten Tomatoes", "Wikipedia")
# How many choices the episode option offers. The benchmark sets it to what the real bot offers
# on the same data, so that the emulator checks answers of the same size from both bots.
CHOICES = int(os.environ.get("BARE_CHOICES", limits.AUTOCOMPLETE_CHOICES))
VOTE_OPTIONS = 4


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bare:vote:(?P<option>\d+)"
):
    """A persistent button, as the real poll buttons are: state in the custom_id."""

    def __init__(self, option: int) -> None:
        super().__init__(
            discord.ui.Button(custom_id=f"bare:vote:{option}", label=f"Option {option}")
        )
        self.option = option

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["option"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(
            f"Your vote is in: option {self.option}.", ephemeral=True
        )


def recap_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for label in LINKS:
        view.add_item(discord.ui.Button(label=label, url="https://example.com/search?q=show"))
    return view


def vote_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for option in range(1, VOTE_OPTIONS + 1):
        view.add_item(VoteButton(option))
    return view


@app_commands.command()
@app_commands.describe(show="The show", season="Season number", episode="Episode")
async def recap(
    interaction: discord.Interaction,
    show: str,
    season: app_commands.Range[int, 0, 9999],
    episode: str,
) -> None:
    """Recap an episode (a fixed one)."""
    await interaction.response.send_message(embed=RECAP, view=recap_view())


@recap.autocomplete("show")
async def _show_choices(interaction: discord.Interaction, current: str) -> list[Any]:
    return [
        app_commands.Choice(name=f"A fixed show {n}", value=f"show-{n}")
        for n in range(1, limits.AUTOCOMPLETE_CHOICES + 1)
    ]


@recap.autocomplete("episode")
async def _episode_choices(interaction: discord.Interaction, current: str) -> list[Any]:
    return [
        app_commands.Choice(name=f"S1E{n} · A fixed episode title {n}", value=f"S1E{n}")
        for n in range(1, CHOICES + 1)
    ]


# /search's answer as the real bot gives it on a large catalog: a line and ten episode cards
# (title, a synopsis of a few hundred characters) in public, then a private note.
SEARCH_CARDS = [
    discord.Embed(
        title=f"A Fixed Show · S1E{n} · A fixed episode title",
        description="A fixed synopsis sentence standing in for a real one. " * 7,
        colour=discord.Colour(0x2B6CB0),
    ).set_footer(text="A Fixed Show · TVmaze")
    for n in range(1, limits.EMBEDS_PER_MESSAGE + 1)
]


@app_commands.command()
@app_commands.describe(text="Words to look for")
async def search(interaction: discord.Interaction, text: app_commands.Range[str, 1, 100]) -> None:
    """Search (a fixed answer)."""
    await interaction.response.send_message(
        "**1,234** episodes mention these words; the best ten:", embeds=SEARCH_CARDS
    )
    await interaction.followup.send(
        "**567** more match in recaps or endings past your progress: not shown.", ephemeral=True
    )


@app_commands.command()
async def ping(interaction: discord.Interaction) -> None:
    """Answer with a message that carries persistent vote buttons."""
    await interaction.response.send_message("Pong.", view=vote_view())


class BareBot(commands.AutoShardedBot):
    def __init__(self, settings: Settings) -> None:
        # The real bot's constructor options, so the framework's share of the work is the same;
        # sharded like it too (SHARD_COUNT, SHARD_IDS), for the shard-process benchmark.
        options: dict[str, Any] = {}
        if settings.shard_ids is not None:
            options["shard_ids"] = list(settings.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=settings.shard_count,
            **options,
        )
        self.settings = settings

    async def setup_hook(self) -> None:
        self.add_dynamic_items(VoteButton)
        self.tree.add_command(recap)
        self.tree.add_command(ping)
        self.tree.add_command(search)
        if self.settings.syncs_commands:
            await self.tree.sync()


async def run(settings: Settings) -> None:
    if settings.api_base:
        async with aiohttp.ClientSession() as session:
            await use_emulator(session, settings.api_base)
    async with BareBot(settings) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        await bot.start(settings.token)


def main() -> int:
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=getattr(logging, settings.log_level))
    # No voice here either: discord.py's notice about voice libraries is noise.
    logging.getLogger("discord.client").addFilter(lambda r: "voice will NOT" not in r.getMessage())
    asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
