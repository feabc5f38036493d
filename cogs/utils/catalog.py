"""Show, season and episode options: resolved into models by transformers, with autocomplete.

A command declares `show: ShowArg, season: SeasonArg, episode: EpisodeArg` and receives a
`Show`, an `int` and an `Episode`; a name nobody knows becomes one private sentence naming the
closest matches.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import discord
from discord import app_commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _
from bot.models import Episode, EpisodeRef, Show, episode_code
from bot.render.text import escape, one_line
from bot.store import Store

from .text import clean, is_blank

# "6", "E6", "S4E6", "s04e06", "4x06": what members type for an episode.
_CODE = re.compile(
    r"^\s*(?:s(?P<s>\d{1,4})\s*)?e?(?P<e>\d{1,5})\s*$|^\s*(?P<s2>\d{1,4})x(?P<e2>\d{1,5})\s*$", re.I
)


async def resolve_show(store: Store, key: str) -> Show:
    """The show a member named, or a UserError naming the closest matches."""
    show = await store.catalog.find_show(key)
    if show is not None:
        return show
    titles = await store.catalog.show_titles()
    close = difflib.get_close_matches(key.strip(), titles, n=3, cutoff=0.4)
    close += [t for t in titles if key.strip().casefold() in t.casefold() and t not in close][:3]
    name = escape(one_line(key, 80))
    if close:
        raise UserError(
            _("I don't know a show called “{name}”. Did you mean {titles}?").format(
                name=name, titles=_or(close)
            )
        )
    if titles:
        raise UserError(
            _("I don't know a show called “{name}”. Try one of: {titles}.").format(
                name=name, titles=_or(titles[:5])
            )
        )
    raise UserError(_("No shows are loaded yet: ask an admin to add a data file."))


async def resolve_episode(store: Store, show: Show, season: int | None, episode: str) -> Episode:
    """The episode a member named ("6", "S4E6", "Leningrad"), or a UserError with suggestions."""
    if is_blank(episode):
        raise UserError(_("Pick an episode: its number, a code like S4E6, or its title."))
    match = _CODE.match(episode)
    if match:
        s = match.group("s") or match.group("s2")
        number = int(match.group("e") or match.group("e2"))
        season = int(s) if s is not None else season
        if season is None:
            # "6" is clear enough when the show has a single season.
            seasons = await store.catalog.seasons(show.id)
            season = seasons[0] if len(seasons) == 1 else None
        if season is not None:
            found = await store.catalog.episode(show.id, season, number)
            if found:
                return found
    else:
        titled = await store.catalog.search_episodes(
            show.id, season, episode.strip(), None, limit=2
        )
        exact = [e for e in titled if e.title.casefold() == episode.strip().casefold()]
        if exact or len(titled) == 1:
            return (exact or titled)[0]
    return await _no_episode(store, show, season, episode)


async def _no_episode(store: Store, show: Show, season: int | None, episode: str) -> Episode:
    episodes = await store.catalog.episodes(show.id)
    wanted = escape(one_line(episode, 40))
    title = escape(show.title)
    if not episodes:
        raise UserError(_("I have no episodes of {show} yet.").format(show=title))
    labels = [e.label for e in episodes]
    close = difflib.get_close_matches(
        episode_code(season, episode) if season is not None else episode, labels, n=3, cutoff=0.3
    )
    close = (
        close
        or [e.label for e in episodes if season is None or e.season == season][:3]
        or labels[:3]
    )
    closest = _or([escape(c) for c in close])
    if season is not None:
        raise UserError(
            _(
                "I can't find episode “{episode}” in season {season} of {show}. Closest: {closest}."
            ).format(episode=wanted, season=season, show=title, closest=closest)
        )
    raise UserError(
        _("I can't find episode “{episode}” in {show}. Closest: {closest}.").format(
            episode=wanted, show=title, closest=closest
        )
    )


def _or(items: list[str]) -> str:
    items = [f"**{i}**" for i in items]
    if len(items) == 1:
        return items[0]
    # Translators: the end of a list of choices, "A, B or C".
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


# --- autocomplete: each must answer within Discord's 3 s, so one indexed query each -----------


async def show_choices(store: Store, current: str) -> list[app_commands.Choice[str]]:
    shows = await store.catalog.search_shows(current.strip(), limit=limits.AUTOCOMPLETE_CHOICES)
    return [
        app_commands.Choice(name=one_line(s.title, limits.CHOICE_NAME), value=s.slug) for s in shows
    ]


async def season_choices(
    store: Store, show_key: str | None, current: str
) -> list[app_commands.Choice[int]]:
    show = await store.catalog.find_show(show_key or "")
    if show is None:
        return []
    seasons = [s for s in await store.catalog.seasons(show.id) if current.strip() in str(s)]
    return [
        app_commands.Choice(name=_("Season {season}").format(season=s), value=s)
        for s in seasons[: limits.AUTOCOMPLETE_CHOICES]
    ]


async def episode_choices(
    store: Store,
    show_key: str | None,
    season: int | None,
    current: str,
    *,
    member: tuple[int, int] | None = None,
    up_to: bool = False,
) -> list[app_commands.Choice[str]]:
    """Episodes matching what was typed. With nothing typed, a member's list starts at the
    next episode they have not watched; `up_to` labels choices "Up to S4E5 · …" (for
    /progress set, where the choice says how far they have watched)."""
    show = await store.catalog.find_show(show_key or "")
    if show is None:
        return []
    match = _CODE.match(current)
    number, text = None, current.strip()
    if match:
        number, text = int(match.group("e") or match.group("e2")), ""
        code_season = match.group("s") or match.group("s2")
        season = int(code_season) if code_season is not None else season
    most = limits.AUTOCOMPLETE_CHOICES
    episodes: list[EpisodeRef] = []
    if member is not None and not text and number is None:
        watched = await store.progress.watched(*member, show.id)
        episodes = await store.catalog.choose_episodes(
            show.id, season, "", None, limit=most, after=watched
        )
    if not episodes:
        episodes = await store.catalog.choose_episodes(show.id, season, text, number, limit=most)
    if not episodes:
        # Nothing matches what was typed: offer the season's episodes rather than an empty list.
        episodes = await store.catalog.choose_episodes(show.id, season, "", None, limit=most)
    return [
        app_commands.Choice(
            name=one_line(
                _("Up to {episode}").format(episode=e.label) if up_to else e.label,
                limits.CHOICE_NAME,
            ),
            value=e.code,
        )
        for e in episodes
    ]


# --- transformers: what commands declare ----------------------------------------------------

# Where the show option's transformer leaves the show, so the episode option's (which runs
# after it: discord.py transforms options in order) does not look it up again.
_SHOW_KEY = "watchparty.show"


def _store(interaction: discord.Interaction) -> Store:
    # discord.py types a transformer's interaction with the base Client.
    assert isinstance(interaction.client, Watchparty)
    return interaction.client.store


class ShowOption(app_commands.Transformer):
    """A show, by slug or title, with autocomplete over the catalog."""

    async def transform(self, interaction: discord.Interaction, value: Any) -> Show:
        show = await resolve_show(_store(interaction), clean(str(value)))
        interaction.extras[_SHOW_KEY] = show
        return show

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str
    ) -> list[app_commands.Choice[Any]]:
        return await show_choices(_store(interaction), clean(str(value)))


class SeasonOption(app_commands.Transformer):
    """A season number of the show chosen in the same command, with autocomplete."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.integer

    @property
    def min_value(self) -> int:
        return 0

    @property
    def max_value(self) -> int:
        return 9999

    async def transform(self, interaction: discord.Interaction, value: Any) -> int:
        return int(value)

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str
    ) -> list[app_commands.Choice[Any]]:
        show = getattr(interaction.namespace, "show", None)
        return await season_choices(_store(interaction), clean(str(show or "")), clean(str(value)))


class EpisodeOption(app_commands.Transformer):
    """An episode of the show chosen in the same command ("6", "S4E6" or a title)."""

    # Choices read "Up to S4E5 · …": the episode is how far the member has watched.
    up_to = False

    async def transform(self, interaction: discord.Interaction, value: Any) -> Episode:
        store = _store(interaction)
        show = interaction.extras.get(_SHOW_KEY)
        if not isinstance(show, Show):
            given = getattr(interaction.namespace, "show", None)
            if given is None:
                raise UserError(_("Pick the show too: an episode belongs to a show."))
            show = await resolve_show(store, str(given))
        season = getattr(interaction.namespace, "season", None)
        return await resolve_episode(store, show, season, clean(str(value)))

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str
    ) -> list[app_commands.Choice[Any]]:
        namespace = interaction.namespace
        season = getattr(namespace, "season", None)
        show = getattr(namespace, "show", None)
        show = clean(str(show)) if show is not None else None
        member = (interaction.guild_id, interaction.user.id) if interaction.guild_id else None
        return await episode_choices(
            _store(interaction), show, season, clean(str(value)), member=member, up_to=self.up_to
        )


class WatchedEpisodeOption(EpisodeOption):
    """The last episode a member has watched (/progress set)."""

    up_to = True


ShowArg = app_commands.Transform[Show, ShowOption]
SeasonArg = app_commands.Transform[int, SeasonOption]
EpisodeArg = app_commands.Transform[Episode, EpisodeOption]
WatchedEpisodeArg = app_commands.Transform[Episode, WatchedEpisodeOption]
