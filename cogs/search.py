"""/search: episodes by what is written about them, without spoiling what a member has not seen.

The public answer holds safe cards only (episodes whose title or synopsis match); passages
from recaps and endings go privately to the member, only for episodes within their progress,
and matches past it are counted, never quoted.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n, limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import N_, _
from bot.models import SearchResults, Show
from bot.render.search import private_answer, public_answer
from bot.render.text import one_line
from bot.store import Store
from bot.store.search import search_terms

from .utils.catalog import ShowArg
from .utils.spoilers import viewer
from .utils.text import TextOption, clean

# Said privately while a large import has yet to fill the search index (a first start with a
# big catalog): an empty answer would otherwise read as "not in the catalog".
INDEXING = N_(
    "The catalog is still being imported: what it brings is not searchable yet. "
    "Try again in a minute."
)

# Leaves room in the embeds of one message (ten at most) for the cards that fit.
RESULTS = limits.EMBEDS_PER_MESSAGE


class SearchText(TextOption):
    """What to look for, with titles and names from the catalog offered as one types."""

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str
    ) -> list[app_commands.Choice[Any]]:
        assert isinstance(interaction.client, Watchparty)  # typed with the base Client
        names = await interaction.client.store.search.names(
            clean(str(value)), limits.AUTOCOMPLETE_CHOICES
        )
        return [
            app_commands.Choice(
                name=one_line(n, limits.CHOICE_NAME), value=one_line(n, limits.CHOICE_NAME)
            )
            for n in names
        ]


Text = app_commands.Transform[str, SearchText("search", max_length=limits.SEARCH_TEXT)]


async def _shows(store: Store, results: SearchResults) -> dict[int, Show]:
    ids = {e.show_id for e in results.safe} | {m.episode.show_id for m in results.deep}
    found = {}
    for show_id in ids:
        show = await store.catalog.show_by_id(show_id)
        if show is not None:
            found[show_id] = show
    return found


class Search(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot

    @app_commands.command(extras={"example": "/search text:Aleida show:For All Mankind"})
    @app_commands.describe(
        text="Words to look for (start typing for titles and cast names)",
        show="Only this show",
    )
    async def search(
        self,
        interaction: discord.Interaction[Watchparty],
        text: Text,
        show: ShowArg | None = None,
    ) -> None:
        """Search episode titles, synopses, recaps and endings, never past your progress."""
        terms = search_terms(text)
        if not terms:
            raise UserError(_("Type a word to search for: letters or numbers."))
        store = self.bot.store
        who = await viewer(store, interaction.guild_id, interaction.user.id)
        results = await store.search.search(terms, who, show.id if show else None, RESULTS)
        shows = await _shows(store, results)
        public = bool(results.safe)
        note, cards = private_answer(
            shows, results.deep, results.deep_total, results.unwatched, public_sent=public
        )
        if await store.search.indexing():
            note = "\n".join(filter(None, [note, _(INDEXING)]))
        if public:
            with i18n.public():
                line, safe = public_answer(shows, results.safe, results.safe_total, text)
            await interaction.response.send_message(line, embeds=safe)
            if note:
                await interaction.followup.send(note, embeds=cards, ephemeral=True)
            return
        await interaction.response.send_message(note, embeds=cards, ephemeral=True)


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Search(bot))
