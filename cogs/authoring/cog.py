"""/episode edit, history and revert: an episode's content, written by the server's editors."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _
from bot.models import ContentField
from bot.render.authoring import history_embed, where
from bot.store.edits import value_token

from ..utils.catalog import EpisodeArg, SeasonArg, ShowArg
from ..utils.permissions import EDITORS, check_editor
from ._modals import edit_modal
from ._saving import answer

Field = Literal["synopsis", "recap", "ending", "spoiler-terms", "polls"]
OPTIONS = {
    "show": "The show (start typing its title)",
    "episode": "Episode: a code like S4E6, or its title",
    "field": "Synopsis, recap, ending, spoiler terms or polls",
    "season": "Season number, when the episode is given by its number alone",
}


@app_commands.guild_only()
class Authoring(
    commands.GroupCog, group_name="episode", group_description="Write an episode's content"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    @app_commands.command(
        name="edit",
        extras={
            "example": "/episode edit show:For All Mankind episode:S4E6 field:recap",
            "audience": EDITORS,
        },
    )
    @app_commands.describe(**OPTIONS)
    async def edit(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        episode: EpisodeArg,
        field: Field,
        season: SeasonArg | None = None,
    ) -> None:
        """Write an episode's synopsis, recap, ending, spoiler terms or polls (editors)."""
        await check_editor(self.store, interaction)
        chosen = ContentField(field)
        value = await self.store.content.value(episode.id, chosen)
        latest = await self.store.content.history(episode.id, chosen, 1)
        revision = latest[0].id if latest else 0
        await interaction.response.send_modal(edit_modal(episode, chosen, value, revision))

    @app_commands.command(
        name="history",
        extras={"example": "/episode history show:For All Mankind episode:S4E6 field:recap"},
    )
    @app_commands.describe(**OPTIONS)
    async def history(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        episode: EpisodeArg,
        field: Field,
        season: SeasonArg | None = None,
    ) -> None:
        """The latest changes to an episode's content: who, when, and a spoiler-tagged preview."""
        chosen = ContentField(field)
        revisions = await self.store.content.history(episode.id, chosen, limits.HISTORY)
        live = await self.store.content.live_revision(episode.id, chosen)
        embed = history_embed(show, episode, chosen, revisions, live)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(
        name="revert",
        extras={
            "example": "/episode revert show:For All Mankind episode:S4E6 field:recap revision:3",
            "audience": EDITORS,
        },
    )
    @app_commands.describe(**OPTIONS, revision="The revision to restore (see /episode history)")
    async def revert(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        episode: EpisodeArg,
        field: Field,
        revision: app_commands.Range[int, 1],
        season: SeasonArg | None = None,
    ) -> None:
        """Restore an earlier revision of an episode's content, as a new revision (editors)."""
        await check_editor(self.store, interaction)
        chosen = ContentField(field)
        old = await self.store.content.revision(revision)
        if old is None or old.episode_id != episode.id or old.field is not chosen:
            raise UserError(
                _(
                    "Revision #{revision} is not one of {what}: `/episode history` lists them."
                ).format(revision=revision, what=where(show, episode, chosen))
            )
        current = await self.store.content.value(episode.id, chosen)
        result = await self.store.content.save(
            episode.id,
            chosen,
            old.value,
            author_id=interaction.user.id,
            guild_id=interaction.guild_id,
            base=value_token(chosen, current),
            interaction_id=interaction.id,
            reverted_from=old.id,
        )
        await answer(interaction, show, episode, chosen, result)
