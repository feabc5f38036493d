"""Lists drawn as pages: whole blocks packed under a page's budget, numbered in the footer.

/catchup, /suggest list and /poll results draw their pages here, and cogs/utils/paging.py
shows any of them with the same ◀ ▶ buttons, so a long list is paged, never cut short.
"""

from __future__ import annotations

import discord

from .. import limits
from ..i18n import _
from .text import one_line


def pack(blocks: list[str], *, head: str = "", sep: str = "\n\n") -> list[str]:
    """The blocks in order, as many whole ones to a page as fit its budget; every page opens
    with `head`. No blocks: one page holding `head` alone."""
    pages: list[str] = []
    current, filled = head, False
    for block in blocks:
        joined = f"{current}{sep}{block}" if current else block
        if filled and len(joined) > limits.PAGE_BUDGET:
            pages.append(current)
            joined = f"{head}{sep}{block}" if head else block
        current, filled = joined, True
    pages.append(current)
    return pages


def footer(text: str, number: int, total: int) -> str:
    """`text` with "Page 2 of 5" after it when there is more than one page."""
    if total <= 1:
        return one_line(text, limits.FOOTER)
    page = _("Page {page} of {total}").format(page=number, total=total)
    return one_line(f"{text} · {page}" if text else page, limits.FOOTER)


def embeds(
    pages: list[str], *, title: str, colour: discord.Colour, footer_text: str = ""
) -> list[discord.Embed]:
    """One embed per page, each within Discord's limits, numbered when there are several."""
    out = []
    for number, text in enumerate(pages, 1):
        embed = discord.Embed(
            title=one_line(title, limits.EMBED_TITLE), description=text, colour=colour
        )
        shown = footer(footer_text, number, len(pages))
        if shown:
            embed.set_footer(text=shown)
        out.append(limits.check_embed(embed))
    return out
