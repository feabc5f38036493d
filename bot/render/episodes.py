"""Recap, ending and cast pages."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from .. import limits
from ..i18n import N_, _
from ..models import Credit, Episode, Show
from .credits import recap_credit
from .text import Spoiler, escape, one_line, split_pages

COLOUR = discord.Colour(0x2B6CB0)
CAST_PER_PAGE = 20


@dataclass(frozen=True)
class Page:
    embed: discord.Embed
    number: int  # 1-based
    total: int


def _clamp(page: int, total: int) -> int:
    return min(max(page, 1), max(total, 1))


def _footer(parts: list[str | None], page: int, total: int) -> str:
    if total > 1:
        parts = [*parts, _("Page {page} of {total}").format(page=page, total=total)]
    return one_line(" · ".join(p for p in parts if p), limits.FOOTER)


# TVmaze's data is CC BY-SA: every card that shows it says where it comes from.
TVMAZE_CREDIT = N_("Show data: TVmaze (CC BY-SA)")
NO_SYNOPSIS = N_("No spoiler-free synopsis yet.")
NO_RECAP = N_("No recap has been written for this episode yet.")
NO_ENDING = N_("Nobody has explained how this episode ends yet.")


def credit(show: Show) -> str | None:
    """The attribution a card of this show carries, if its data came from TVmaze."""
    return _(TVMAZE_CREDIT) if show.tvmaze_id is not None else None


def tvmaze_url(show: Show) -> str | None:
    """The show's page on TVmaze, where its data comes from (CC BY-SA asks for a link)."""
    return f"https://www.tvmaze.com/shows/{show.tvmaze_id}" if show.tvmaze_id else None


def credit_link(show: Show) -> str | None:
    """The attribution as markdown with a link, for text where links work (not footers)."""
    url = tvmaze_url(show)
    return _("Show data: [TVmaze]({url}) (CC BY-SA)").format(url=url) if url else None


def synopsis(episode: Episode) -> str:
    """The spoiler-free synopsis as a card shows it (escaped), or a note that there is none."""
    if not episode.synopsis.strip():
        return f"_{_(NO_SYNOPSIS)}_"
    return escape(one_line(episode.synopsis, limits.SYNOPSIS))


def runtime(show: Show, episode: Episode) -> str | None:
    if episode.runtime_minutes:
        return _("{minutes} min").format(minutes=episode.runtime_minutes)
    return show.runtime


def recap_pages(episode: Episode) -> list[str]:
    """The recap's page texts, escaped; the first opens with the spoiler-free synopsis in
    italics."""
    opening = f"_{escape(one_line(episode.synopsis, limits.SYNOPSIS))}_\n\n"
    # Whoever wrote it (a data file or a member through /episode edit), the recap is text, not
    # markup: escaped, a `||` in it cannot open or close a spoiler tag, nor a fence hide the
    # rest of the page. Escaping keeps line breaks, so pages still break between paragraphs.
    recap = escape(episode.recap) if episode.recap.strip() else f"_{_(NO_RECAP)}_"
    return split_pages(f"{opening if episode.synopsis.strip() else ''}{recap}", limits.PAGE_BUDGET)


def recap_page(show: Show, episode: Episode, page: int) -> Page:
    pages = recap_pages(episode)
    page = _clamp(page, len(pages))
    embed = discord.Embed(
        title=one_line(_("{episode} — Recap").format(episode=episode.label), limits.EMBED_TITLE),
        description=pages[page - 1],
        colour=COLOUR,
    )
    embed.set_author(name=one_line(show.title, limits.AUTHOR))
    if page == 1:
        if value := runtime(show, episode):
            embed.add_field(name=_("Runtime"), value=value)
        if show.genres:
            embed.add_field(
                name=_("Genre"), value=escape(", ".join(show.genres))[: limits.FIELD_VALUE]
            )
        if episode.air_date:
            embed.add_field(name=_("First aired"), value=episode.air_date)
    if source := recap_credit(episode.recap_source):
        embed.add_field(name=source[0], value=source[1], inline=False)
    embed.set_footer(text=_footer([show.title, episode.code, credit(show)], page, len(pages)))
    return Page(limits.check_embed(embed), page, len(pages))


def ending_warning(episode: Episode) -> str:
    return _("⚠️ **Spoilers: how {code} · {title} ends.** Click the dark bars to reveal.").format(
        code=escape(episode.code), title=escape(episode.title)
    )


def ending_pages(episode: Episode) -> list[Spoiler]:
    """The ending as spoiler-tagged pages that fit under the warning."""
    budget = limits.PAGE_BUDGET - len(ending_warning(episode)) - 2
    return Spoiler.pages(episode.ending, budget)


def ending_page(show: Show, episode: Episode, page: int) -> Page:
    pages = ending_pages(episode)
    page = _clamp(page, len(pages))
    # The warning stays outside the tags; the text itself only ever goes inside them.
    description = (
        f"{ending_warning(episode)}\n\n{pages[page - 1]}" if pages else f"_{_(NO_ENDING)}_"
    )
    embed = discord.Embed(
        title=one_line(
            _("{episode} — Ending explained").format(episode=episode.label), limits.EMBED_TITLE
        ),
        description=description,
        colour=discord.Colour.dark_red(),
    )
    embed.set_author(name=one_line(show.title, limits.AUTHOR))
    embed.set_footer(text=_footer([show.title, episode.code, _("spoilers")], page, len(pages)))
    return Page(limits.check_embed(embed), page, len(pages))


def cast_scope(season: int | None, episode: Episode | None) -> str:
    if episode is not None:
        return episode.label
    if season is not None:
        return _("Season {season}").format(season=season)
    return _("All episodes")


def cast_line(position: int, credit: Credit) -> str:
    line = f"{position}. **{escape(one_line(credit.actor, 100))}**"
    if credit.character:
        line += _(" as {character}").format(character=escape(one_line(credit.character, 100)))
    return line


def cast_pages(credits: list[Credit]) -> list[list[str]]:
    """The cast's lines in pages of at most CAST_PER_PAGE lines and a page's worth of text:
    twenty of the longest names the format allows would not fit one embed."""
    pages: list[list[str]] = [[]]
    size = 0
    for position, credit in enumerate(credits, start=1):
        line = cast_line(position, credit)
        full = len(pages[-1]) == CAST_PER_PAGE or size + len(line) + 1 > limits.PAGE_BUDGET
        if pages[-1] and full:
            pages.append([])
            size = 0
        pages[-1].append(line)
        size += len(line) + 1
    return pages


def cast_page(show: Show, credits: list[Credit], scope: str, page: int) -> Page:
    pages = cast_pages(credits)
    total = len(pages)
    page = _clamp(page, total)
    lines = pages[page - 1]
    description = "\n".join(lines) or _("No cast is listed for this yet.")
    if link := credit_link(show):
        # Within the embed: cast_pages leaves PAGE_BUDGET's 200 spare characters.
        description += f"\n\n{link}"
    embed = discord.Embed(
        title=one_line(_("{show} — Cast").format(show=show.title), limits.EMBED_TITLE),
        description=description,
        colour=COLOUR,
    )
    embed.set_footer(
        text=_footer([scope, _("{count} credited").format(count=len(credits))], page, total)
    )
    return Page(limits.check_embed(embed), page, total)


def safe_card(show: Show, episode: Episode) -> discord.Embed:
    """What is always fine to show: title, number, air date and the spoiler-free synopsis."""
    embed = discord.Embed(
        title=one_line(episode.label, limits.EMBED_TITLE),
        description=synopsis(episode),
        colour=discord.Colour.light_grey(),
    )
    embed.set_author(name=one_line(show.title, limits.AUTHOR))
    if episode.air_date:
        embed.add_field(name=_("First aired"), value=episode.air_date)
    if text := credit(show):
        embed.set_footer(text=text)
    return limits.check_embed(embed)
