"""/help and /about: what a member can do here, and what this bot is."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__, limits
from bot.app import Watchparty
from bot.i18n import N_, _, ngettext
from bot.invite import invite_url
from bot.models import GuildSettings
from bot.render.text import one_line

from .help_examples import command_name, example
from .utils.permissions import in_audience

# Headings for /help, in the order members meet the features; a cog not named here is listed
# after these under its own name.
FEATURES = {
    "Episodes": N_("📺 Episodes"),
    "Progress": N_("🧭 Your progress"),
    "Discuss": N_("💬 Discussion"),
    "Polls": N_("📊 Polls"),
    "WatchParties": N_("🍿 Watch parties"),
    "Suggestions": N_("🗳️ Choosing what to watch"),
    "Together": N_("🎬 Watched together"),
    "Catchup": N_("⏪ Catching up"),
    "Reminders": N_("🔔 Reminders"),
    "TimeZone": N_("🕒 Your time zone"),
    "Follows": N_("⭐ Following shows"),
    "Catalog": N_("🗂️ Catalog (Manage Server)"),
    "Authoring": N_("✍️ Writing episodes (editors)"),
    "Config": N_("⚙️ Server settings (Manage Server)"),
    "Privacy": N_("🔒 Your data"),
    "Meta": N_("❔ Help"),
}
AppCommand = app_commands.Command[commands.Cog, ..., None]


def _leaves(tree: app_commands.CommandTree[Watchparty]) -> list[AppCommand]:
    """Every slash command, subcommands of groups included, in tree order."""
    found: list[AppCommand] = []
    for command in tree.get_commands(type=discord.AppCommandType.chat_input):
        if isinstance(command, app_commands.Group):
            found.extend(c for c in command.walk_commands() if isinstance(c, app_commands.Command))
        elif isinstance(command, app_commands.Command):
            found.append(command)
    return found


def _needs(command: AppCommand) -> discord.Permissions | None:
    """The permissions a command asks for by default (its own, or its group's)."""
    if command.default_permissions is not None:
        return command.default_permissions
    root = command.root_parent
    return root.default_permissions if root is not None else None


def may_use(
    command: AppCommand, interaction: discord.Interaction, settings: GuildSettings | None
) -> bool:
    """Whether this member could run `command` here without being refused: its Discord
    permissions, and the audience (editors, organisers) the server's /config sets."""
    if interaction.guild_id is None and (command.guild_only or _root_guild_only(command)):
        return False
    needs = _needs(command)
    if needs is not None and not interaction.permissions >= needs:
        return False
    audience = command.extras.get("audience")
    if audience is None:
        return True
    return settings is not None and in_audience(audience, settings, interaction)


def _root_guild_only(command: AppCommand) -> bool:
    root = command.root_parent
    return bool(root is not None and root.guild_only)


def help_line(command: AppCommand) -> str:
    # The description's msgid is the command's own (bot/i18n_build.py extracts every one).
    return f"**/{command_name(command)}**: {_(command.description)}\n↳ `{example(command)}`"


def help_embeds(commands_: list[AppCommand]) -> list[discord.Embed]:
    """One embed per feature, in FEATURES order."""
    by_feature: dict[str, list[str]] = {}
    for command in commands_:
        cog = command.binding
        name = cog.qualified_name if isinstance(cog, commands.Cog) else "Other"
        by_feature.setdefault(name, []).append(help_line(command))
    order = [*(k for k in FEATURES if k in by_feature), *sorted(set(by_feature) - set(FEATURES))]
    embeds = []
    for name in order:
        embed = discord.Embed(
            title=_(FEATURES[name]) if name in FEATURES else name,
            description="\n".join(by_feature[name])[: limits.EMBED_DESCRIPTION],
            colour=discord.Colour.blurple(),
        )
        embeds.append(limits.check_embed(embed))
    return embeds


def batches(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped so each message holds at most 10 and 6,000 characters in all."""
    groups: list[list[discord.Embed]] = [[]]
    size = 0
    for embed in embeds:
        length = limits.embed_total(embed)
        if groups[-1] and (size + length > limits.EMBED_TOTAL or len(groups[-1]) == 10):
            groups.append([])
            size = 0
        groups[-1].append(embed)
        size += length
    return groups


class Meta(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot

    @app_commands.command(name="help", extras={"example": "/help"})
    async def help_(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Every command you can use here, with an example."""
        guild_id = interaction.guild_id
        settings = await self.bot.store.servers.settings(guild_id) if guild_id else None
        usable = [c for c in _leaves(self.bot.tree) if may_use(c, interaction, settings)]
        first, *rest = batches(help_embeds(usable))
        await interaction.response.send_message(
            _("Show and episode options autocomplete: start typing a title or a code like S4E6."),
            embeds=first,
            ephemeral=True,
        )
        for group in rest:
            await interaction.followup.send(embeds=group, ephemeral=True)

    @app_commands.command(name="about", extras={"example": "/about"})
    async def about(self, interaction: discord.Interaction[Watchparty]) -> None:
        """What this bot is: version, uptime, catalog, links."""
        bot = self.bot
        listing = await bot.store.catalog.listing()
        episodes = sum(count for _, _, count in listing)
        embed = discord.Embed(
            title=f"Watchparty {__version__}",
            description=_(
                "Episode recaps, polls and spoiler-guarded discussion for watch parties."
            ),
            colour=discord.Colour.blurple(),
        )
        embed.add_field(name=_("Up since"), value=discord.utils.format_dt(bot.started_at, "R"))
        embed.add_field(
            name=_("Catalog"),
            value=ngettext("{count} show", "{count} shows", len(listing)).format(count=len(listing))
            + " · "
            + ngettext("{count} episode", "{count} episodes", episodes).format(count=episodes),
        )
        embed.add_field(name=_("Servers"), value=str(len(bot.guilds)))
        links = [
            _("Show data from [TVmaze](https://www.tvmaze.com) (CC BY-SA)"),
            _("Licence: MIT"),
            # No project URL is configured anywhere, so the file is named where it ships.
            _("Privacy: `/privacy show`, and PRIVACY.md beside the bot's source"),
        ]
        if bot.application_id is not None:
            links.insert(
                0, _("[Add it to your server]({url})").format(url=invite_url(bot.application_id))
            )
        embed.add_field(name=_("Links"), value=one_line(" · ".join(links), limits.FIELD_VALUE))
        embed.set_footer(text=_("Type /help for every command you can use here."))
        await interaction.response.send_message(embed=limits.check_embed(embed), ephemeral=True)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Meta(bot))
