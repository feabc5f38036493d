"""/catalog: which shows this bot knows, added and refreshed from TVmaze (Manage Server).

A show from TVmaze becomes a data file (`data/<slug>.toml`) that people can edit, then is
imported like any other: see `bot/catalog/sync.py`. Shows still airing are refreshed on a
timer (TVMAZE_REFRESH_HOURS), so new episodes appear by themselves.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import limits
from bot.app import Watchparty
from bot.catalog.datafiles import DataFileError
from bot.catalog.sources.tvmaze import ShowHit, TvmazeError
from bot.catalog.sync import (
    ShowRemoved,
    Synced,
    WikipediaError,
    sync_recaps,
    sync_show,
    tvmaze_id_of,
)
from bot.errors import UserError
from bot.i18n import _, ngettext
from bot.models import Show, ShowDependents
from bot.render.catalog import RECAPS_BUDGET, synced_text
from bot.render.text import escape, one_line

from .catalog_remove import confirm_view, confirmation
from .catalog_source import article_choices, choose, recaps_after
from .utils.catalog import ShowArg
from .utils.permissions import require_manage_guild
from .utils.text import TextOption, clean

log = logging.getLogger(__name__)

# An autocomplete must answer within Discord's 3 s; a TVmaze search that takes longer (or
# waits for the rate limit) gives way to a hint.
SEARCH_BUDGET = 2.0
# Shows TVmaze says are over need no refresh.
FINISHED = {"Ended"}

# The daily refresh is one job for every process sharing the store: the first to wake claims
# it for most of an interval, so the others' loops, waking a little later, skip that round.
REFRESH_JOB = "tvmaze-refresh"
CLAIM_SHARE = 0.9
ShowQuery = app_commands.Transform[str, TextOption("show", max_length=200)]


def hit_label(hit: ShowHit) -> str:
    """ "Orbital Relay (2021, Skyline)": enough to tell two shows of one name apart."""
    details = ", ".join(
        part for part in (str(hit.premiered.year) if hit.premiered else "", hit.network) if part
    )
    return one_line(f"{hit.name} ({details})" if details else hit.name, limits.CHOICE_NAME)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Catalog(
    commands.GroupCog, group_name="catalog", group_description="Shows this bot knows (TVmaze)"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self._search_cache: dict[str, list[ShowHit]] = {}

    async def cog_load(self) -> None:
        hours = self.bot.settings.tvmaze_refresh_hours
        if hours:
            self.refresh_airing.change_interval(hours=hours)
            self.refresh_airing.start()

    async def cog_unload(self) -> None:
        self.refresh_airing.cancel()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # default_permissions only hides the command; server admins can widen it, so check too.
        require_manage_guild(interaction)
        return True

    async def _sync(
        self,
        interaction: discord.Interaction[Watchparty],
        query: str | int,
        refreshing: Show | None = None,
    ) -> Synced:
        """Fetch, write and import, editing the deferred reply as it goes."""

        async def progress(text: str) -> None:
            await interaction.edit_original_response(content=f"⏳ {escape(text)}")

        bot = self.bot
        try:
            synced = await sync_show(
                bot.tvmaze,
                bot.store,
                bot.settings.data_dir,
                query,
                progress,
                lock=bot.catalog_writing,
                refreshing=refreshing.slug if refreshing else None,
            )
        except TvmazeError as error:
            # The sentence may quote what the member typed: show it as typed, inertly.
            raise UserError(escape(str(error))) from error
        except ShowRemoved as error:
            title = escape(refreshing.title if refreshing else str(error))
            raise UserError(
                _(
                    "{title} was removed from the catalog while TVmaze was answering; "
                    "nothing was written."
                ).format(title=title)
            ) from error
        except DataFileError as error:
            log.error("TVmaze's data does not fit the data format, nothing written: %s", error)
            where = f"{error.where}: {error.problem}" if error.where else error.problem
            raise UserError(
                _(
                    "TVmaze's data for that show does not fit the data format ({problem}); the "
                    "data file and the catalog were left as they were."
                ).format(problem=escape(one_line(where, 300)))
            ) from error
        # Followers of the show hear about its new episodes (cogs/follows.py).
        bot.dispatch("catalog_updated")
        return synced

    async def _sync_all(
        self,
        interaction: discord.Interaction[Watchparty],
        query: str | int,
        refreshing: Show | None = None,
    ) -> str:
        """Episodes from TVmaze, then recaps from Wikipedia; the reply, within 2,000."""
        synced = await self._sync(interaction, query, refreshing)

        async def progress(text: str) -> None:
            await interaction.edit_original_response(content=f"⏳ {text}")

        recaps = await recaps_after(self.bot, synced, progress)
        head = reply(synced, limits.CONTENT - 1 - min(len(recaps), RECAPS_BUDGET))
        return f"{head}\n{recaps}"

    @app_commands.command(name="add", extras={"example": "/catalog add show:For All Mankind"})
    @app_commands.describe(show="Start typing a title; or a TVmaze id, or an IMDb id (tt…)")
    async def add(self, interaction: discord.Interaction[Watchparty], show: ShowQuery) -> None:
        """Add a show from TVmaze with every episode, or refresh it if it is here already."""
        # Fetching takes a few requests to TVmaze: answer Discord within 3 s first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await self._sync_all(interaction, show)
        await interaction.edit_original_response(content=text)

    @add.autocomplete("show")
    async def _search(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        text = clean(current).strip()
        if len(text) < 2:
            return []
        hits = self._search_cache.get(text.casefold())
        if hits is None:
            try:
                hits = await asyncio.wait_for(self.bot.tvmaze.search(text), SEARCH_BUDGET)
            except (TvmazeError, TimeoutError):
                # Discord refuses the whole answer if one choice's value is over 100.
                typed = one_line(text, limits.CHOICE_NAME)
                return [app_commands.Choice(name=typed, value=typed)]
            if len(self._search_cache) > 500:
                self._search_cache.clear()
            self._search_cache[text.casefold()] = hits
        return [
            app_commands.Choice(name=hit_label(hit), value=str(hit.tvmaze_id))
            for hit in hits[: limits.AUTOCOMPLETE_CHOICES]
        ]

    @app_commands.command(
        name="refresh", extras={"example": "/catalog refresh show:For All Mankind"}
    )
    @app_commands.describe(show="A show added from TVmaze")
    async def refresh(self, interaction: discord.Interaction[Watchparty], show: ShowArg) -> None:
        """Bring a show up to date with TVmaze: new episodes, changed titles and dates."""
        tvmaze_id = await tvmaze_id_of(self.bot.store, show.slug, self.bot.settings.data_dir)
        if tvmaze_id is None:
            raise UserError(
                _(
                    "{title} was written by hand, not added from TVmaze: there is nothing to "
                    "refresh it from."
                ).format(title=escape(show.title))
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await self._sync_all(interaction, tvmaze_id, refreshing=show)
        await interaction.edit_original_response(content=text)

    @app_commands.command(
        name="source",
        extras={"example": "/catalog source show:Night Ferry article:List of Night Ferry episodes"},
    )
    @app_commands.describe(
        show="A show in the catalog",
        article="The Wikipedia article listing its episodes (when the search picks wrong)",
        clear="Forget the named article: the search picks again",
    )
    async def source(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        article: app_commands.Range[str, 1, limits.ARTICLE] | None = None,
        clear: bool = False,
    ) -> None:
        """Name the Wikipedia article a show's recaps come from, then take them from it."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await choose(self.bot, show, clean(article).strip() if article else None, clear)
        await interaction.edit_original_response(content=text)

    @source.autocomplete("article")
    async def _articles(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        slug = str(interaction.namespace.show or "")
        found = await self.bot.store.catalog.find_show(slug) if slug else None
        return await article_choices(self.bot, found.title if found else clean(current))

    @app_commands.command(name="remove", extras={"example": "/catalog remove show:For All Mankind"})
    @app_commands.describe(show="The show to take out of the catalog")
    async def remove(self, interaction: discord.Interaction[Watchparty], show: ShowArg) -> None:
        """Take a show out of the catalog (asks first; what members made is kept)."""
        dependents = await self.bot.store.catalog.dependents(show.slug)
        listing = {s.id: count for s, _, count in await self.bot.store.catalog.listing()}
        await interaction.response.send_message(
            confirmation(show, listing.get(show.id, 0), dependents or ShowDependents()),
            view=confirm_view(show),
            ephemeral=True,
        )

    @app_commands.command(name="list", extras={"example": "/catalog list"})
    async def list_(self, interaction: discord.Interaction[Watchparty]) -> None:
        """Every show in the catalog, with its episodes and where it comes from."""
        listing = await self.bot.store.catalog.listing()
        lines = [
            _("• **{title}** · {slug} · {episodes} · file {file}").format(
                title=escape(show.title),
                slug=escape(show.slug),
                episodes=ngettext("{count} episode", "{count} episodes", count).format(count=count),
                file=escape(source),
            )
            for show, source, count in listing
        ]
        text = "\n".join(lines) or _("No shows yet: add one with `/catalog add`.")
        embed = discord.Embed(
            title=_("Catalog"),
            description=one_line_pages(text),
            colour=discord.Colour.blurple(),
        )
        shows = ngettext("{count} show", "{count} shows", len(listing)).format(count=len(listing))
        embed.set_footer(text=_("{shows} · show data from TVmaze is CC BY-SA").format(shows=shows))
        await interaction.response.send_message(embed=limits.check_embed(embed), ephemeral=True)

    @tasks.loop(hours=24)
    async def refresh_airing(self) -> None:
        """Refresh every TVmaze show that is still airing, one at a time.

        A task loop stops for good at its first unhandled exception: every failure here is
        logged and the loop carries on (the next show now, the rest tomorrow). The catalog
        is every server's: of the processes sharing the store, the one that claims the job
        runs it (`store.jobs`), the others skip this round."""
        try:
            hold = (self.refresh_airing.hours or 24) * 3600 * CLAIM_SHARE
            if not await self.bot.store.jobs.claim(REFRESH_JOB, self.bot.process_name, hold):
                log.info("Daily TVmaze refresh: another process has it this time")
                return
            listing = await self.bot.store.catalog.listing()
        except Exception:
            log.exception("Daily TVmaze refresh: the store could not be read; next time then")
            return
        for show, _source, _count in listing:
            if show.status in FINISHED:
                continue
            try:
                await self._refresh_one(show)
            except (TvmazeError, DataFileError, ShowRemoved) as error:
                log.warning("Daily TVmaze refresh of %s failed: %s", show.slug, error)
            except Exception:
                log.exception("Daily TVmaze refresh of %s failed", show.slug)

    async def _refresh_one(self, show: Show) -> None:
        bot = self.bot
        tvmaze_id = await tvmaze_id_of(bot.store, show.slug, bot.settings.data_dir)
        if tvmaze_id is None:
            return
        synced = await sync_show(
            bot.tvmaze,
            bot.store,
            bot.settings.data_dir,
            tvmaze_id,
            lock=bot.catalog_writing,
            refreshing=show.slug,
        )
        if synced.report.added:
            log.info("TVmaze: %d new episode(s) of %s", len(synced.report.added), show.slug)
            bot.dispatch("catalog_updated")
        if bot.wikipedia is not None:
            try:
                await sync_recaps(
                    bot.wikipedia,
                    bot.store,
                    bot.settings.data_dir,
                    show.slug,
                    lock=bot.catalog_writing,
                )
            except (WikipediaError, DataFileError, ShowRemoved) as error:
                log.warning("Daily Wikipedia refresh of %s failed: %s", show.slug, error)

    @refresh_airing.before_loop
    async def _first_refresh(self) -> None:
        # Not at start-up: a restart should not cost a round of TVmaze calls. An hour, or one
        # interval if that is shorter.
        await self.bot.wait_until_ready()
        hours = min(1.0, self.bot.settings.tvmaze_refresh_hours or 1.0)
        await asyncio.sleep(dt.timedelta(hours=hours).total_seconds())


def reply(synced: Synced, limit: int = limits.CONTENT) -> str:
    return synced_text(synced.report, synced.title, synced.episodes, limit)


def one_line_pages(text: str) -> str:
    """The listing cut to one embed, saying how much was left out."""
    if len(text) <= limits.PAGE_BUDGET:
        return text
    cut = text[: limits.PAGE_BUDGET].rsplit("\n", 1)[0]
    left = text.count("\n") - cut.count("\n")
    return f"{cut}\n" + ngettext("… and {count} more.", "… and {count} more.", left).format(
        count=left
    )


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Catalog(bot))
