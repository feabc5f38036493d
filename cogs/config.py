"""/config: a server's Watchparty settings (Manage Server)."""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _
from bot.models import GuildSettings, Organisers, UnsetProgress
from bot.render import airing as render_airing
from bot.render.settings import settings_embed
from bot.render.text import escape

from .utils.catalog import ShowArg
from .utils.permissions import require_manage_guild
from .utils.text import TextOption, clean
from .utils.times import known_zone, parse_span, zone_choices

Zone = app_commands.Transform[str, TextOption("time zone", max_length=limits.CHOICE_VALUE)]
Lead = app_commands.Transform[str, TextOption("lead time", max_length=40)]


class DiscussionChannel(app_commands.Transformer):
    """A text or forum channel. Declared by hand: discord.py would also offer media channels
    (type 16), which Discord's OpenAPI spec does not list for command options."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.forum]

    async def transform(self, interaction: discord.Interaction, value: Any) -> Any:
        return value


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Config(
    commands.GroupCog, group_name="config", group_description="Watchparty settings for this server"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # default_permissions only hides the command; server admins can widen it, so check too.
        require_manage_guild(interaction)
        return True

    async def _saved(
        self, interaction: discord.Interaction[Watchparty], note: str = "", **changes: Any
    ) -> None:
        assert interaction.guild_id is not None
        settings = await self.store.servers.update(interaction.guild_id, **changes)
        await interaction.response.send_message(
            _("Saved. {note}").format(note=note).strip(),
            embed=await self._embed(settings),
            ephemeral=True,
        )

    async def _embed(self, settings: GuildSettings) -> discord.Embed:
        followed = await self.store.airing.of_guild(settings.guild_id)
        return settings_embed(
            settings,
            message_content=self.bot.settings.message_content,
            airing=render_airing.listing(followed),
        )

    @app_commands.command(name="show", extras={"example": "/config show"})
    async def show(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Every setting of this server."""
        assert interaction.guild_id is not None
        settings = await self.store.servers.settings(interaction.guild_id)
        await interaction.response.send_message(embed=await self._embed(settings), ephemeral=True)

    @app_commands.command(
        name="discussion", extras={"example": "/config discussion channel:#episode-talk"}
    )
    @app_commands.describe(
        channel="A forum (one post per episode) or a text channel (one thread per episode)"
    )
    async def discussion(
        self,
        interaction: discord.Interaction[Watchparty],
        channel: app_commands.Transform[discord.app_commands.AppCommandChannel, DiscussionChannel],
    ) -> None:
        """Where /discuss opens episode threads."""
        await self._saved(interaction, discussion_channel_id=channel.id)

    @app_commands.command(
        name="announcements", extras={"example": "/config announcements channel:#announcements"}
    )
    @app_commands.describe(channel="Where watch parties are announced and reminded")
    async def announcements(
        self, interaction: discord.Interaction[Watchparty], channel: discord.TextChannel
    ) -> None:
        """Where watch-party announcements and reminders go."""
        await self._saved(interaction, announcement_channel_id=channel.id)

    @app_commands.command(
        name="reminders", extras={"example": "/config reminders role:@Watchers before:15m"}
    )
    @app_commands.describe(
        role="The role watch-party announcements and reminders ping",
        before="The early reminder, this long before a start: 15m, 1h, or 0 for none",
        role_clear="True to stop pinging a role",
    )
    @app_commands.rename(role_clear="role-clear")
    async def reminders(
        self,
        interaction: discord.Interaction[Watchparty],
        role: discord.Role | None = None,
        before: Lead | None = None,
        role_clear: bool = False,
    ) -> None:
        """Who watch-party reminders ping, and how early the first one goes out."""
        if role is None and before is None and not role_clear:
            raise UserError(
                _(
                    "Give a `role` to ping, `before` (e.g. `15m`, or `0` for no early reminder), "
                    "or `role-clear:true`."
                )
            )
        if role is not None and role_clear:
            raise UserError(_("Pick a `role` or `role-clear`, not both."))
        changes: dict[str, Any] = {}
        if role is not None or role_clear:
            changes["reminder_role_id"] = role.id if role else None
        if before is not None:
            changes["reminder_lead_minutes"] = _lead_minutes(before)
        await self._saved(interaction, _ping_note(interaction, role), **changes)

    @app_commands.command(
        name="follow-channel", extras={"example": "/config follow-channel channel:#new-episodes"}
    )
    @app_commands.describe(
        channel="Where new episodes of followed shows are posted (leave empty for DMs)"
    )
    async def follow_channel(
        self,
        interaction: discord.Interaction[Watchparty],
        channel: discord.TextChannel | None = None,
    ) -> None:
        """Post new-episode alerts for followed shows in a channel, or DM followers (default)."""
        await self._saved(interaction, follow_channel_id=channel.id if channel else None)

    @app_commands.command(
        name="airing",
        extras={"example": "/config airing show:For All Mankind channel:#episodes role:@FAM"},
    )
    @app_commands.describe(
        show="The show whose episodes open their thread when they air",
        channel="Where the opening is announced",
        role="The role the announcement pings (empty: nobody)",
    )
    async def airing(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        channel: discord.TextChannel,
        role: discord.Role | None = None,
    ) -> None:
        """Open each new episode's thread when it airs, and announce it (stop: airing-stop)."""
        assert interaction.guild_id is not None
        role_id = role.id if role else None
        await self.store.airing.follow(interaction.guild_id, show.id, channel.id, role_id)
        self.bot.dispatch("airing_changed")
        await self._saved(interaction, _ping_note(interaction, role, announcements=True))

    @app_commands.command(
        name="airing-stop", extras={"example": "/config airing-stop show:For All Mankind"}
    )
    @app_commands.describe(show="The show to stop opening threads for at air time")
    async def airing_stop(
        self, interaction: discord.Interaction[Watchparty], show: ShowArg
    ) -> None:
        """Stop opening a show's episode threads when they air."""
        assert interaction.guild_id is not None
        if not await self.store.airing.stop(interaction.guild_id, show.id):
            raise UserError(
                _("This server does not open threads at air time for {show}.").format(
                    show=escape(show.title)
                )
            )
        self.bot.dispatch("airing_changed")
        await self._saved(interaction)

    @app_commands.command(name="editors", extras={"example": "/config editors role:@Writers"})
    @app_commands.describe(
        role="Who may write recaps, endings, spoiler terms and polls (empty: clear)"
    )
    async def editors(
        self, interaction: discord.Interaction[Watchparty], role: discord.Role | None = None
    ) -> None:
        """Who may write episode content with /episode edit (Manage Server always may)."""
        await self._saved(interaction, editor_role_id=role.id if role else None)

    @app_commands.command(
        name="content-log", extras={"example": "/config content-log channel:#mod-log"}
    )
    @app_commands.describe(channel="Where content edits are announced (empty: nowhere)")
    async def content_log(
        self,
        interaction: discord.Interaction[Watchparty],
        channel: discord.TextChannel | None = None,
    ) -> None:
        """Announce who edited which episode's content (never the text itself) in a channel."""
        await self._saved(interaction, content_log_channel_id=channel.id if channel else None)

    @app_commands.command(name="timezone", extras={"example": "/config timezone zone:Europe/Paris"})
    @app_commands.describe(zone="An IANA time zone, e.g. Europe/Paris or America/New_York")
    async def timezone(self, interaction: discord.Interaction[Watchparty], zone: Zone) -> None:
        """The time zone watch-party times are read in."""
        await self._saved(interaction, time_zone=known_zone(zone))

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(clean(current))

    @app_commands.command(
        name="progress-default", extras={"example": "/config progress-default members:caught_up"}
    )
    @app_commands.describe(members="How to treat members who haven't set their progress for a show")
    async def progress_default(
        self, interaction: discord.Interaction[Watchparty], members: Literal["warn", "caught_up"]
    ) -> None:
        """Warn members without progress before spoilers (default), or treat them as caught up."""
        await self._saved(interaction, unset_progress=UnsetProgress(members))

    @app_commands.command(
        name="organisers", extras={"example": "/config organisers who:role role:@Hosts"}
    )
    @app_commands.describe(
        who="Who may create polls and watch parties", role="The role, when who is role"
    )
    async def organisers(
        self,
        interaction: discord.Interaction[Watchparty],
        who: Literal["everyone", "moderators", "role"],
        role: discord.Role | None = None,
    ) -> None:
        """Who may create polls and watch parties."""
        if who == "role" and role is None:
            raise UserError(_("Pick the role too, e.g. `/config organisers who:role role:@Hosts`."))
        await self._saved(
            interaction,
            organisers=Organisers(who),
            organiser_role_id=role.id if role and who == "role" else None,
        )

    @app_commands.command(
        name="guard", extras={"example": "/config guard channel:#general guarded:True"}
    )
    @app_commands.describe(channel="A channel to keep spoiler-free", guarded="On or off")
    async def guard(
        self,
        interaction: discord.Interaction[Watchparty],
        channel: discord.TextChannel,
        guarded: bool,
    ) -> None:
        """Keep a channel spoiler-free: messages naming an episode's spoilers get hidden."""
        assert interaction.guild_id is not None
        await self.store.servers.set_guarded(interaction.guild_id, channel.id, guarded)
        note = ""
        if guarded and not self.bot.settings.message_content:
            note = _(
                "The guard stays inactive until the bot can read messages: enable the Message "
                "Content intent in the Developer Portal and set MESSAGE_CONTENT_INTENT=true."
            )
        await self._saved(interaction, note)

    @app_commands.command(name="guard-window", extras={"example": "/config guard-window hours:48"})
    @app_commands.describe(hours="How long after a watch party starts to guard (1 to 720 hours)")
    async def guard_window(
        self, interaction: discord.Interaction[Watchparty], hours: app_commands.Range[int, 1, 720]
    ) -> None:
        """How long the spoiler guard watches after a watch party starts."""
        await self._saved(interaction, guard_hours=hours)


def _lead_minutes(text: str) -> int:
    if text.strip() in ("0", "0m", "none", "off"):
        return 0
    seconds = parse_span(text)
    if seconds is None or seconds % 60 or not 0 < seconds <= limits.REMINDER_LEAD_MAX * 60:
        raise UserError(_("`before` takes whole minutes like `15m` or `1h`, up to a day, or `0`."))
    return seconds // 60


def _ping_note(
    interaction: discord.Interaction[Watchparty],
    role: discord.Role | None,
    *,
    announcements: bool = False,
) -> str:
    """Discord pings a role only if it is mentionable or the sender may mention @everyone."""
    me = interaction.guild.me if interaction.guild else None
    if role is None or role.mentionable or (me and me.guild_permissions.mention_everyone):
        return ""
    if announcements:
        text = _(
            "⚠️ {role} is not mentionable, so announcements would name it without pinging it: "
            "turn on “Allow anyone to @mention this role” in its settings."
        )
    else:
        text = _(
            "⚠️ {role} is not mentionable, so reminders would name it without pinging it: "
            "turn on “Allow anyone to @mention this role” in its settings."
        )
    return text.format(role=role.mention)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Config(bot))
