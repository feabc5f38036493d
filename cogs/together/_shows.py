"""Which show a suggestion names: a catalog show, or one found on TVmaze (the same search as
/catalog add), without writing anything: a TVmaze show joins the catalog only when it wins."""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass

from discord import app_commands

from bot import limits
from bot.app import Watchparty
from bot.catalog.sources.tvmaze import TvmazeError
from bot.errors import UserError
from bot.models import Show, Suggestion
from bot.render.text import escape, one_line
from bot.store import Store

from ..utils.catalog import show_choices
from ..utils.text import clean

# Autocomplete answers within Discord's 3 s: a slower TVmaze search gives way to the catalog.
SEARCH_BUDGET = 2.0
TVMAZE_VALUE = "tvmaze:"


@dataclass(frozen=True)
class Named:
    """A show as a suggestion names it."""

    key: str
    title: str
    show_id: int | None
    tvmaze_id: int | None


def key_of(show_id: int | None, tvmaze_id: int | None) -> str:
    """One key per show, whether it came from the catalog or TVmaze."""
    return f"tvmaze:{tvmaze_id}" if tvmaze_id is not None else f"show:{show_id}"


def from_catalog(show: Show) -> Named:
    return Named(key_of(show.id, show.tvmaze_id), show.title, show.id, show.tvmaze_id)


async def in_catalog(bot: Watchparty, tvmaze_id: int) -> Show | None:
    """The catalog's show with this TVmaze id, if it has one."""
    for show, _, _ in await bot.store.catalog.listing():
        if show.tvmaze_id == tvmaze_id:
            return show
    return None


async def resolve(bot: Watchparty, text: str) -> Named:
    """The show `text` names: a catalog show first, else TVmaze's answer."""
    if not text.startswith(TVMAZE_VALUE):
        show = await bot.store.catalog.find_show(text)
        if show is not None:
            return from_catalog(show)
    try:
        if text.startswith(TVMAZE_VALUE) and text[len(TVMAZE_VALUE) :].isdigit():
            found = await bot.tvmaze.show(int(text[len(TVMAZE_VALUE) :]))
        else:
            found = await bot.tvmaze.resolve(text)
    except TvmazeError as error:
        # The sentence may quote what the member typed: shown as typed, inertly.
        raise UserError(escape(str(error))) from error
    known = await in_catalog(bot, found.tvmaze_id)
    if known is not None:
        return from_catalog(known)
    title = one_line(found.name, limits.TITLE_MAX)
    return Named(key_of(None, found.tvmaze_id), title, None, found.tvmaze_id)


async def choices(bot: Watchparty, current: str) -> list[app_commands.Choice[str]]:
    """Catalog shows, then TVmaze's hits that are not in the catalog."""
    text = clean(current).strip()
    offered = await show_choices(bot.store, text)
    if len(text) < 2 or len(offered) >= limits.AUTOCOMPLETE_CHOICES:
        return offered
    try:
        hits = await asyncio.wait_for(bot.tvmaze.search(text), SEARCH_BUDGET)
    except (TvmazeError, TimeoutError):
        return offered
    known = {c.name.casefold() for c in offered}
    for hit in hits:
        if len(offered) >= limits.AUTOCOMPLETE_CHOICES:
            break
        if hit.name.casefold() in known:
            continue
        year = f" ({hit.premiered.year})" if hit.premiered else ""
        name = one_line(f"{hit.name}{year} · TVmaze", limits.CHOICE_NAME)
        offered.append(app_commands.Choice(name=name, value=f"{TVMAZE_VALUE}{hit.tvmaze_id}"))
    return offered


async def linked(store: Store, guild_id: int, suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions, with TVmaze ones that joined the catalog since (a moderator's
    /catalog add, or an earlier win) linked to their catalog show."""
    waiting = [s for s in suggestions if s.show_id is None and s.tvmaze_id is not None]
    if not waiting:
        return suggestions
    by_tvmaze = {
        show.tvmaze_id: show.id
        for show, _, _ in await store.catalog.listing()
        if show.tvmaze_id is not None
    }
    out = []
    for suggestion in suggestions:
        show_id = None
        if suggestion.show_id is None and suggestion.tvmaze_id is not None:
            show_id = by_tvmaze.get(suggestion.tvmaze_id)
        if show_id is not None:
            await store.together.set_show(guild_id, suggestion.show_key, show_id)
            suggestion = dataclasses.replace(suggestion, show_id=show_id)
        out.append(suggestion)
    return out
