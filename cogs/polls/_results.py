"""/poll results: the closed polls of an episode or a season, and a score table."""

from __future__ import annotations

import discord

from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import N_, _
from bot.models import Episode, EpisodeScore, Link, Show
from bot.render.episodes import Page
from bot.render.polls import results_embeds
from bot.render.text import escape
from bot.store import Store

from ..utils.paging import pick
from ..utils.spoilers import send_gated


def _ref(guild_id: int, show_id: int, season: int | None, number: int | None) -> str:
    return ".".join(
        "-" if part is None else str(part) for part in (guild_id, show_id, season, number)
    )


async def _scores(store: Store, ref: str) -> tuple[Show, str, list[EpisodeScore]]:
    guild_id, show_id, season, number = (None if p == "-" else int(p) for p in ref.split("."))
    show = await store.catalog.show_by_id(show_id or 0)
    if show is None or guild_id is None:
        raise UserError(_("That show is no longer in my catalog."))
    episodes = await store.catalog.episodes(show.id, season)
    if number is not None:
        episodes = [e for e in episodes if e.number == number]
    scope = (
        episodes[0].label
        if number is not None and episodes
        else _("Season {season}").format(season=season)
        if season is not None
        else _("All seasons")
    )
    tallies = await store.polls.closed_for_episodes(guild_id, [e.id for e in episodes])
    scores = [
        EpisodeScore(e, tuple(t for t in tallies if t.poll.episode_id == e.id))
        for e in episodes
        if any(t.poll.episode_id == e.id for t in tallies)
    ]
    if not scores:
        raise UserError(
            _("No closed polls yet for {show} · {scope} in this server.").format(
                show=escape(show.title), scope=escape(scope)
            )
        )
    return show, scope, scores


async def draw_results(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show, scope, scores = await _scores(store, ref)
    return pick(results_embeds(show, scope, scores), page), ()


async def send_results(
    interaction: discord.Interaction[Watchparty],
    show: Show,
    season: int | None,
    episode: Episode | None,
) -> None:
    if interaction.guild_id is None:
        raise UserError(_("Poll results are kept per server: ask inside one."))
    number = None
    if episode is not None:
        season, number = episode.season, episode.number
    ref = _ref(interaction.guild_id, show.id, season, number)
    scores = (await _scores(interaction.client.store, ref))[2]
    covers = [score.episode for score in scores]
    await send_gated(interaction, "results", ref, show=show, covers=covers, what=N_("poll result"))
