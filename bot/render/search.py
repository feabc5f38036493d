"""What /search shows: safe cards for everyone, matched passages for the member alone.

Only a card's title, code, air date and spoiler-free synopsis are ever public. Passages from a
recap or an ending go to the member privately, and only for episodes they have watched (the
store decides which); an ending's passage stays inside spoiler tags even then.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord

from .. import limits
from ..models import MATCH_END, MATCH_START, DeepMatch, Episode, Show
from .credits import recap_credit
from .episodes import COLOUR, safe_card
from .text import Spoiler, escape, one_line


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


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
    line = f"🔎 **{plural(total, 'episode', 'episodes')}** with “{what}” in the title or synopsis"
    if len(cards) < total:
        line += f" (the best {len(cards)} below)"
    return line + ".", cards


def deep_card(show: Show, match: DeepMatch) -> discord.Embed:
    """One watched episode found in its recap or ending, with the passages that matched."""
    embed = discord.Embed(title=one_line(match.episode.label, limits.EMBED_TITLE), colour=COLOUR)
    embed.set_author(name=one_line(show.title, limits.AUTHOR))
    if match.recap:
        embed.add_field(name="Recap", value=marked(match.recap), inline=False)
        if source := recap_credit(match.episode.recap_source):
            embed.add_field(name=source[0], value=source[1], inline=False)
    if match.ending:
        embed.add_field(name="Ending", value=marked(match.ending, hidden=True), inline=False)
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
        more = f" (the best {len(cards)} below)" if len(cards) < total else ""
        lines.append(
            f"🔒 Only you can see this: {plural(total, 'match', 'matches')} in the recaps and"
            f" endings of episodes you have watched{more}."
        )
    elif not public_sent and unwatched:
        lines.append("🔎 Nothing in the episodes you have watched matches that.")
    elif not public_sent:
        lines.append("🔎 Nothing in the titles, synopses, recaps or endings matches that.")
    if unwatched:
        lines.append(
            f"🙈 {plural(unwatched, 'more match', 'more matches')} in episodes you have not"
            " watched: set your progress with `/progress set` to see them."
        )
    return "\n".join(lines), cards
