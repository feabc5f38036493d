"""The end of a vote among suggestions: the winner announced, and "Schedule a watch party".

The button opens the schedule form pre-filled with the server's next episode of the show (the
first after the one it last watched together); the form's submission schedules the party the
way /watchparty schedule does (through `bot.planner`). Both keep their state in the custom_id,
so they work after a restart.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot import i18n, limits
from bot.app import Watchparty
from bot.catalog.sources.tvmaze import TvmazeError
from bot.catalog.sync import sync_show
from bot.errors import UserError
from bot.i18n import _, ngettext
from bot.models import Episode, Show, Suggestion, Watched
from bot.render import together as render
from bot.render.text import escape, one_line
from bot.store import Store

from ..utils.buttons import ButtonBase, persistent_button
from ..utils.catalog import resolve_episode
from ..utils.modals import PersistentModal, modal
from ..utils.permissions import check_organiser
from ..utils.text import is_blank
from . import _shows

log = logging.getLogger(__name__)

FORM = re.compile(r"wp:planform:(?P<show>[0-9]{1,18})")


async def announce(bot: Watchparty, poll_id: int) -> None:
    """Announce a closed suggestion poll's winner once, and take it off the list."""
    store = bot.store
    if await store.together.announced(poll_id):
        return
    options = await store.together.poll_options(poll_id)
    tally = await store.polls.tally(poll_id)
    if not options or tally is None or tally.poll.is_open:
        return  # not a vote among suggestions, or not over
    winner = render.winner_index(tally)
    # What no interaction causes (a deadline, or a /poll close's event): the server's language.
    with i18n.server(bot.get_guild(tally.poll.guild_id)):
        embed = render.winner_embed(tally, options, winner)
        view = schedule_view(poll_id) if winner is not None else discord.utils.MISSING
    channel = bot.get_partial_messageable(tally.poll.channel_id)
    try:
        # The nonce makes a repeat after a crash (before `finish` below) return the first post.
        await channel.send(embed=embed, view=view, nonce=f"wp-win-{poll_id}")
    except discord.HTTPException as error:
        log.warning("Could not announce the winner of poll %d: %s", poll_id, error)
    await store.together.finish(poll_id, winner)


async def next_together(store: Store, guild_id: int, show: Show) -> Episode | None:
    """The first episode after the one the server last watched together (else the first)."""
    last_id = await store.together.last_watched(guild_id, show.id)
    last = await store.catalog.episode_by_id(last_id) if last_id else None
    after = Watched(last.id, last.season, last.number) if last else None
    return await store.catalog.next_episode(show.id, after)


async def _catalog_show(bot: Watchparty, winner: Suggestion) -> Show | None:
    if winner.show_id is not None:
        return await bot.store.catalog.show_by_id(winner.show_id)
    return await _shows.in_catalog(bot, winner.tvmaze_id) if winner.tvmaze_id else None


class ScheduleButton(
    ButtonBase,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:plan:(?P<poll>[0-9]{1,18})",
):
    def __init__(self, poll_id: int) -> None:
        super().__init__(
            persistent_button(
                f"wp:plan:{poll_id}",
                label=_(render.SCHEDULE),
                emoji="📅",
                style=discord.ButtonStyle.success,
            )
        )
        self.poll_id = poll_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ScheduleButton:
        return cls(int(match["poll"]))

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        bot = interaction.client
        await check_organiser(bot.store, interaction)
        assert interaction.guild_id is not None
        winner = await bot.store.together.winner(self.poll_id)
        if winner is None:
            raise UserError(_("That vote has no winner to schedule."))
        show = await _catalog_show(bot, winner)
        if show is None:
            await _add_to_catalog(interaction, winner)
            return
        if show.id != winner.show_id:
            await bot.store.together.set_show(interaction.guild_id, winner.show_key, show.id)
        episode = await next_together(bot.store, interaction.guild_id, show)
        if episode is None:
            raise UserError(
                _("This server has watched every episode of {show} I know of.").format(
                    show=escape(show.title)
                )
            )
        await interaction.response.send_modal(plan_form(show, episode))


async def _add_to_catalog(interaction: discord.Interaction[Watchparty], winner: Suggestion) -> None:
    """A winner found on TVmaze joins the catalog, added by a member who may add shows."""
    perms = interaction.permissions
    if not (perms.manage_guild or perms.administrator) or winner.tvmaze_id is None:
        raise UserError(
            _(
                "**{show}** is not in the catalog yet: someone with Manage Server can click this "
                "button to add it, then anyone who organises can schedule it."
            ).format(show=escape(winner.title))
        )
    bot = interaction.client
    assert interaction.guild_id is not None
    # Fetching the show takes a few TVmaze requests: answer Discord within 3 s first. A modal
    # can only be the first answer, so the form comes with the next click.
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        synced = await sync_show(bot.tvmaze, bot.store, bot.settings.data_dir, winner.tvmaze_id)
    except TvmazeError as error:
        raise UserError(escape(str(error))) from error
    show = await bot.store.catalog.find_show(synced.slug)
    if show is None:
        raise UserError(_("TVmaze's data for that show could not be added; nothing changed."))
    await bot.store.together.set_show(interaction.guild_id, winner.show_key, show.id)
    bot.dispatch("catalog_updated")
    # The button as the announcement labels it: in the server's language.
    with i18n.public():
        button = _(render.SCHEDULE)
    await interaction.followup.send(
        ngettext(
            "Added **{show}** to the catalog ({count} episode). Click **{button}** again to "
            "pick the time.",
            "Added **{show}** to the catalog ({count} episodes). Click **{button}** again to "
            "pick the time.",
            synced.episodes,
        ).format(show=escape(show.title), count=synced.episodes, button=button),
        ephemeral=True,
    )


def schedule_view(poll_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ScheduleButton(poll_id))
    return view


def plan_form(show: Show, episode: Episode) -> discord.ui.Modal:
    """The schedule form, its episode pre-filled."""
    inputs: list[discord.ui.TextInput[Any]] = [
        discord.ui.TextInput(
            label=_("Episode"),
            custom_id="episode",
            default=episode.code,
            max_length=limits.CHOICE_NAME,
        ),
        discord.ui.TextInput(
            label=_("Start"),
            custom_id="start",
            placeholder=_("friday 8pm, tomorrow 20:00, in 2h or 20:30 Europe/Paris"),
            max_length=100,
        ),
        discord.ui.TextInput(
            label=_("Length (optional)"),
            custom_id="length",
            placeholder=_("e.g. 1h; empty: the episode's runtime"),
            max_length=40,
            required=False,
        ),
    ]
    title = one_line(_("Watch party · {show}").format(show=show.title), limits.MODAL_TITLE)
    return modal(title, f"wp:planform:{show.id}", inputs)


async def submit_plan(
    interaction: discord.Interaction[Watchparty], match: re.Match[str], values: dict[str, str]
) -> None:
    """Schedule the party the form describes, in the channel it was opened from."""
    bot = interaction.client
    show = await bot.store.catalog.show_by_id(int(match["show"]))
    if show is None:
        raise UserError(_("That show is no longer in my catalog: nothing was scheduled."))
    episode = await resolve_episode(bot.store, show, None, values.get("episode", ""))
    start = values.get("start", "")
    if is_blank(start):
        raise UserError(_("Say when the party starts, e.g. `friday 8pm`: nothing was scheduled."))
    length = values.get("length", "")
    if bot.planner is None:
        raise UserError(_("Watch parties are switched off on this bot right now."))
    await bot.planner.plan(interaction, show, episode, start, None if is_blank(length) else length)


PLAN_FORM = PersistentModal(FORM, submit_plan)
