"""/poll results: the closed polls of an episode or a season, and a score table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.errors import UserError
from bot.models import Link, Show
from bot.render.episodes import Page
from bot.render.polls import EpisodeScore, results_embeds
from bot.render.text import escape

from .._catalog import resolve_episode, resolve_show
from .._paging import pager
from .._spoilers import send_gated

if TYPE_CHECKING:
    from bot.store import Store


def _ref(guild_id: int, show_id: int, season: int | None, number: int | None) -> str:
    return ".".join(
        "-" if part is None else str(part) for part in (guild_id, show_id, season, number)
    )


async def _scores(store: Store, ref: str) -> tuple[Show, str, list[EpisodeScore]]:
    guild_id, show_id, season, number = (None if p == "-" else int(p) for p in ref.split("."))
    show = await store.catalog.show_by_id(show_id or 0)
    if show is None or guild_id is None:
        raise UserError("That show is no longer in my catalog.")
    episodes = await store.catalog.episodes(show.id, season)
    if number is not None:
        episodes = [e for e in episodes if e.number == number]
    scope = (
        episodes[0].label
        if number is not None and episodes
        else f"Season {season}"
        if season is not None
        else "All seasons"
    )
    tallies = await store.polls.closed_for_episodes(guild_id, [e.id for e in episodes])
    scores = [
        EpisodeScore(e, tuple(t for t in tallies if t.poll.episode_id == e.id))
        for e in episodes
        if any(t.poll.episode_id == e.id for t in tallies)
    ]
    if not scores:
        raise UserError(
            f"No closed polls yet for {escape(show.title)} · {escape(scope)} in this server."
        )
    return show, scope, scores


@pager("results")
async def draw_results(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    show, scope, scores = await _scores(store, ref)
    embeds = results_embeds(show, scope, scores)
    page = min(max(page, 1), len(embeds))
    return Page(embeds[page - 1], page, len(embeds)), ()


async def send_results(
    store: Store,
    interaction: discord.Interaction,
    show: str,
    season: int | None,
    episode: str | None,
) -> None:
    if interaction.guild_id is None:
        raise UserError("Poll results are kept per server: ask inside one.")
    found = await resolve_show(store, show)
    number = None
    if episode is not None:
        chosen = await resolve_episode(store, found, season, episode)
        season, number = chosen.season, chosen.number
    ref = _ref(interaction.guild_id, found.id, season, number)
    _, _, scores = await _scores(store, ref)
    episodes = [score.episode for score in scores]
    await send_gated(store, interaction, "results", ref, found, episodes, "poll result")
