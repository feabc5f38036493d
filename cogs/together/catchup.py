"""/catchup: "Previously on…", built only from episodes the member has watched.

The pages are drawn again from the store on every page click (`bot.pagers["catchup"]`), with
the member's progress as it is then, so a page never shows more than they have watched.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _
from bot.models import Episode, Link
from bot.render import together as render
from bot.render.episodes import Page
from bot.render.text import escape
from bot.store import Store

from ..utils.catalog import EpisodeArg, ShowArg
from ..utils.paging import pick, send_pages
from ._progress import has_watched


def _ref(guild_id: int, user_id: int, show_id: int, target: Episode | None) -> str:
    return ".".join(str(p) for p in (guild_id, user_id, show_id, target.id if target else "-"))


async def draw_catchup(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    guild, user, show_id, target_id = ref.split(".")
    show = await store.catalog.show_by_id(int(show_id))
    if show is None:
        raise UserError(_("That show is no longer in my catalog."))
    seen = await store.progress.watched(int(guild), int(user), show.id)
    if seen is None:
        raise UserError(
            _(
                "I don't know how far you've watched {show} yet, so I can't catch you up without "
                "spoiling it. Tell me first: `/progress set show:{show} episode:…`, then ask again."
            ).format(show=escape(show.title))
        )
    target = await store.catalog.episode_by_id(int(target_id)) if target_id != "-" else None
    if target is None:
        target = await store.catalog.next_episode(show.id, seen)
    episodes = await store.catalog.episodes(show.id)
    watched = [
        e
        for e in episodes
        if has_watched(seen, e)
        and (target is None or (e.season, e.number) < (target.season, target.number))
    ]
    if not watched:
        raise UserError(
            _("You haven't watched anything before that episode: nothing to catch up on.")
        )
    # Past the member's progress the target is named by its code alone, never its title.
    before = (
        _("the end of what I know")
        if target is None
        else target.label
        if has_watched(seen, target)
        else target.code
    )
    return pick(render.catchup_pages(show, before, watched), page), ()


@app_commands.guild_only()
class Catchup(commands.Cog):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.pagers["catchup"] = draw_catchup

    async def cog_unload(self) -> None:
        self.bot.pagers.pop("catchup", None)

    @app_commands.command(
        name="catchup", extras={"example": "/catchup show:For All Mankind episode:S4E6"}
    )
    @app_commands.describe(
        show="The show",
        episode="Catch up on what comes before this one (default: your next unwatched episode)",
    )
    async def catchup(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        episode: EpisodeArg | None = None,
    ) -> None:
        """Previously on…: a private summary of the episodes you've watched, newest first."""
        assert interaction.guild_id is not None
        ref = _ref(interaction.guild_id, interaction.user.id, show.id, episode)
        await send_pages(interaction, "catchup", ref, private=True)
