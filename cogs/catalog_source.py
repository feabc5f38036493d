"""Recaps from Wikipedia in /catalog (helpers of cogs/catalog.py): after add and refresh,
and /catalog source, which names the article a show's recaps come from.

The choice is a show-level key of the data file (`wikipedia = "List of … episodes"`), so the
CLI (`python -m bot wikipedia SLUG --article TITLE`) and the bot read and write the same thing
and it travels with the file (exports keep it).
"""

from __future__ import annotations

import asyncio
import logging

from discord import app_commands

from bot import limits
from bot.app import Watchparty
from bot.catalog.datafiles import DataFileError
from bot.catalog.sync import (
    Progress,
    ShowRemoved,
    Synced,
    WikipediaError,
    forget_article,
    sync_recaps,
)
from bot.errors import UserError
from bot.i18n import _
from bot.models import Show
from bot.render.catalog import recaps_text
from bot.render.text import escape, one_line

log = logging.getLogger(__name__)

# The autocomplete answers within Discord's 3 s, or offers nothing.
SEARCH_BUDGET = 2.0


async def recaps_after(bot: Watchparty, synced: Synced, progress: Progress) -> str:
    """Recaps from Wikipedia after the episodes from TVmaze: the reply's second part.

    A Wikipedia failure is one line: the TVmaze import is already committed and stays."""
    if bot.wikipedia is None:
        return _(
            "Recaps from Wikipedia are off: set WIKIPEDIA_CONTACT (an email address or a URL "
            "Wikipedia can reach the operator at) in .env to take them."
        )
    added = len(synced.report.added)
    await progress(
        _("Episodes from TVmaze: {count} added. Looking for recaps on Wikipedia…").format(
            count=added
        )
    )
    try:
        outcome = await sync_recaps(
            bot.wikipedia, bot.store, bot.settings.data_dir, synced.slug, lock=bot.catalog_writing
        )
    except (WikipediaError, DataFileError, ShowRemoved) as error:
        log.warning("Wikipedia recaps of %s not taken: %s", synced.slug, error)
        # The source speaks to the shell; in Discord the article is named with a command.
        said = str(error).replace("--article TITLE", "/catalog source")
        return _("⚠️ No recaps from Wikipedia: {problem} The episodes from TVmaze are in.").format(
            problem=escape(one_line(said, 400))
        )
    return recaps_text(outcome.article, outcome.revision, outcome.filled, outcome.mismatched)


async def choose(bot: Watchparty, show: Show, article: str | None, clear: bool) -> str:
    """Record (and read) the named article, or forget the choice; the reply."""
    data_dir = bot.settings.data_dir
    if clear:
        forgotten = await forget_article(bot.store, data_dir, show.slug, lock=bot.catalog_writing)
        title = escape(show.title)
        if not forgotten:
            return _("{title} had no article named: the search picks it already.").format(
                title=title
            )
        return _("Done: the search picks the Wikipedia article of {title} again.").format(
            title=title
        )
    if not article:
        raise UserError(_("Name the article (`article:`), or pick `clear:True` to forget it."))
    if bot.wikipedia is None:
        raise UserError(
            _(
                "Recaps from Wikipedia are off: set WIKIPEDIA_CONTACT (an email address or a URL "
                "Wikipedia can reach the operator at) in .env first."
            )
        )
    try:
        outcome = await sync_recaps(
            bot.wikipedia, bot.store, data_dir, show.slug, article=article, lock=bot.catalog_writing
        )
    except (WikipediaError, DataFileError, ShowRemoved) as error:
        raise UserError(
            _("{problem} Nothing was saved; the show is as it was.").format(
                problem=escape(one_line(str(error), 400))
            )
        ) from error
    head = _("Saved: recaps of {title} now come from {article}.").format(
        title=escape(show.title), article=escape(outcome.article)
    )
    return (
        head
        + "\n"
        + recaps_text(outcome.article, outcome.revision, outcome.filled, outcome.mismatched)
    )


async def article_choices(bot: Watchparty, title: str) -> list[app_commands.Choice[str]]:
    """What Wikipedia's search finds for the show's episode list; nothing if it is slow."""
    if bot.wikipedia is None:
        return []
    try:
        hits = await asyncio.wait_for(bot.wikipedia.search(f'"{title}" episodes'), SEARCH_BUDGET)
    except (WikipediaError, TimeoutError):
        return []
    # A title over 100 characters cannot be a choice's value whole: leave it to typing.
    return [
        app_commands.Choice(name=hit, value=hit) for hit in hits if len(hit) <= limits.CHOICE_NAME
    ][: limits.AUTOCOMPLETE_CHOICES]
