"""What /search shows: safe cards for everyone, matched passages for the member alone.

Only a card's title, code, air date and spoiler-free synopsis are ever public. Passages from a
recap or an ending go to the member privately, and only for episodes they have watched (the
store decides which); an ending's passage stays inside spoiler tags even then.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord

from .. import limits
from ..i18n import _, ngettext
from ..models import MATCH_END, MATCH_START, DeepMatch, Episode, Show
from .credits import recap_credit
from .episodes import COLOUR, safe_card
from .text import Spoiler, escape, one_line


def marked(snippet: str, *, hidden: bool = False) -> str:
    """A snippet escaped, its matched words in bold; inside spoiler tags when `hidden`."""
    text = one_line(snippet, limits.SNIPPET_CHARS)
    # Cutting may have parted a match from its end: then no bold at all, rather than a
    # stray `**` that would embolden the rest of the field.
    if text.count(MATCH_START) != text.count(MATCH_END):
        text = text.replace(MATCH_START, "").replace(MATCH_END, "")
    shown = str(Spoiler(text)) if hidden else escape(text)
    # The markers are control characters, which escaping leaves alone.
    return shown.replace(MATCH_START, "**").replace(MATCH_END, "**")


def fit(embeds: Iterable[discord.Embed]) -> list[discord.Embed]:
    """As many embeds as one message takes: ten, and 6,000 characters over all of them."""
    kept: list[discord.Embed] = []
    total = 0
    for embed in embeds:
        size = limits.embed_total(embed)
        if len(kept) == limits.EMBEDS_PER_MESSAGE or total + size > limits.EMBED_TOTAL:
            break
        kept.append(embed)
        total += size
    return kept


def public_answer(
    shows: dict[int, Show], found: tuple[Episode, ...], total: int, text: str
) -> tuple[str, list[discord.Embed]]:
    """The public reply: the safe cards of episodes whose title or synopsis match."""
    cards = fit(safe_card(shows[e.show_id], e) for e in found)
    what = escape(one_line(text, limits.SEARCH_TEXT))
    episodes = ngettext("{count} episode", "{count} episodes", total).format(count=f"{total:,}")
    line = _("🔎 **{episodes}** with “{text}” in the title or synopsis").format(
        episodes=episodes, text=what
    )
    if len(cards) < total:
        line += _(" (the best {count} below)").format(count=len(cards))
    return line + ".", cards


def deep_card(show: Show, match: DeepMatch) -> discord.Embed:
    """One watched episode found in its recap or ending, with the passages that matched."""
    embed = discord.Embed(title=one_line(match.episode.label, limits.EMBED_TITLE), colour=COLOUR)
    embed.set_author(name=one_line(show.title, limits.AUTHOR))
    if match.recap:
        embed.add_field(name=_("Recap"), value=marked(match.recap), inline=False)
        if source := recap_credit(match.episode.recap_source):
            embed.add_field(name=source[0], value=source[1], inline=False)
    if match.ending:
        embed.add_field(name=_("Ending"), value=marked(match.ending, hidden=True), inline=False)
    return limits.check_embed(embed)


def private_answer(
    shows: dict[int, Show],
    found: tuple[DeepMatch, ...],
    total: int,
    unwatched: int,
    *,
    public_sent: bool,
) -> tuple[str, list[discord.Embed]]:
    """The member's own reply: passages from episodes they have watched, and a count of the
    matches in episodes they have not (never their text)."""
    cards = fit(deep_card(shows[m.episode.show_id], m) for m in found)
    lines = []
    if cards:
        more = _(" (the best {count} below)").format(count=len(cards)) if len(cards) < total else ""
        matches = ngettext("{count} match", "{count} matches", total).format(count=f"{total:,}")
        lines.append(
            _(
                "🔒 Only you can see this: {matches} in the recaps and"
                " endings of episodes you have watched{more}."
            ).format(matches=matches, more=more)
        )
    elif not public_sent and unwatched:
        lines.append(_("🔎 Nothing in the episodes you have watched matches that."))
    elif not public_sent:
        lines.append(_("🔎 Nothing in the titles, synopses, recaps or endings matches that."))
    if unwatched:
        more_matches = ngettext("{count} more match", "{count} more matches", unwatched)
        lines.append(
            _(
                "🙈 {matches} in episodes you have not"
                " watched: set your progress with `/progress set` to see them."
            ).format(matches=more_matches.format(count=f"{unwatched:,}"))
        )
    return "\n".join(lines), cards
