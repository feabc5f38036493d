"""Choosing together: the suggestion list, the vote's reply, the winner, what was watched.

Titles and notes are member or TVmaze text: always escaped, and sent with no mentions.
"""

from __future__ import annotations

import discord

from .. import limits
from ..models import Episode, Show, Suggestion, Tally, Watched, WatchedTogether
from .text import escape, one_line

COLOUR = discord.Colour.teal()


def suggestion_line(suggestion: Suggestion) -> str:
    """ "• **Severance** · suggested by @alice <t:…:R> · not in the catalog yet: “note”" """
    parts = [
        f"• **{escape(one_line(suggestion.title, limits.TITLE))}**",
        f"suggested by <@{suggestion.suggested_by}> <t:{int(suggestion.suggested_at)}:R>",
    ]
    if suggestion.show_id is None:
        parts.append("from TVmaze, not in the catalog yet")
    line = " · ".join(parts)
    if suggestion.note:
        line += f": “{escape(one_line(suggestion.note, limits.SUGGESTION_NOTE))}”"
    return line


def suggestion_list(suggestions: list[Suggestion]) -> discord.Embed:
    """The open suggestions, most support first, cut to one embed."""
    text = fit_lines([suggestion_line(s) for s in suggestions])
    embed = discord.Embed(
        title="Suggestions",
        description=text or "Nothing suggested yet: `/suggest add` puts a show on the list.",
        colour=COLOUR,
    )
    embed.set_footer(text="/suggest vote puts them to a vote · the winner leaves the list")
    return limits.check_embed(embed)


def fit_lines(lines: list[str]) -> str:
    """Whole lines within one embed description, saying how many were left out."""
    text, shown = "", 0
    for line in lines:
        if len(text) + len(line) + 1 > limits.PAGE_BUDGET:
            break
        text, shown = f"{text}\n{line}" if text else line, shown + 1
    if shown < len(lines):
        text += f"\n… and {len(lines) - shown} more."
    return text


def option_label(suggestion: Suggestion) -> str:
    """A poll option: the show's title, within a poll answer's 55 characters."""
    return one_line(suggestion.title, limits.POLL_OPTION_MAX)


def vote_opened(poll_id: int, left_out: list[Suggestion]) -> str:
    """The organiser's private line once the vote is posted."""
    text = f"The vote is open (poll #{poll_id}): the winner is announced when it closes."
    if left_out:
        names = ", ".join(f"**{escape(one_line(s.title, 60))}**" for s in left_out)
        text += (
            f"\nA poll holds {limits.POLL_OPTIONS[1]} options, so these wait for the next vote: "
            + names
        )
    return one_line_cut(text)


def one_line_cut(text: str) -> str:
    """Text within one message, cut at a comma when too long."""
    if len(text) <= limits.CONTENT:
        return text
    cut = text[: limits.CONTENT - 12].rsplit(", ", 1)[0]
    return f"{cut}, and more."


def winner_index(tally: Tally) -> int | None:
    """The option with the most votes; a tie goes to the one listed first (the one with the
    most support, else the oldest suggestion); None when nobody voted."""
    if tally.total == 0:
        return None
    best = max(tally.counts)
    return tally.counts.index(best)


def winner_embed(tally: Tally, options: list[Suggestion], winner: int | None) -> discord.Embed:
    """The announcement of a closed vote among suggestions."""
    if winner is None:
        embed = discord.Embed(
            title="No winner",
            description="Nobody voted, so every suggestion stays on the list.",
            colour=discord.Colour.dark_grey(),
        )
        embed.set_footer(text=f"Poll #{tally.poll.id}")
        return limits.check_embed(embed)
    chosen = options[winner]
    votes = tally.counts[winner]
    lines = [
        f"The server chose **{escape(one_line(chosen.title, limits.TITLE))}** with "
        f"{votes} vote{'' if votes == 1 else 's'} of {tally.total}.",
        "Organisers: **Schedule a watch party** below picks the next episode for this server.",
    ]
    if chosen.show_id is None:
        lines.append(
            "It is not in the catalog yet: someone with Manage Server adds it with the button."
        )
    embed = discord.Embed(
        title="🏆 We have a winner", description="\n\n".join(lines), colour=COLOUR
    )
    embed.set_footer(text=f"Poll #{tally.poll.id} · it leaves the suggestion list")
    return limits.check_embed(embed)


def watched_line(item: WatchedTogether) -> str:
    people = f"{item.attendance} took part" if item.attendance else "no one clicked I'm watching"
    return (
        f"• <t:{int(item.party.starts_at)}:d> · **{escape(one_line(item.show.title, 60))}** "
        f"{escape(one_line(item.episode.label, 80))} · {people}"
    )


def watched_embed(items: list[WatchedTogether]) -> discord.Embed:
    """What the server watched together, newest first."""
    text = fit_lines([watched_line(item) for item in items])
    embed = discord.Embed(
        title="Watched together",
        description=text
        or "No watch party has run to its end here yet: `/watchparty schedule` starts one.",
        colour=COLOUR,
    )
    embed.set_footer(
        text="Taking part: clicking I'm watching on a party's announcement or reminder"
    )
    return limits.check_embed(embed)


def catchup_entry(episode: Episode) -> str:
    """One watched episode in a catch-up: its title, then its recap (or its synopsis) cut short.
    Never its ending: a catch-up reminds, it does not explain."""
    text = episode.recap.strip() or episode.synopsis.strip() or "No recap was written for it."
    return f"**{escape(episode.label)}**\n{escape(one_line(text, limits.CATCHUP_ENTRY))}"


def catchup_pages(show: Show, before: str, watched: list[Episode]) -> list[discord.Embed]:
    """ "Previously on…": the watched episodes before `before`, newest first, in pages."""
    head = f"Before **{escape(before)}**, newest first: only episodes you have watched."
    entries = [catchup_entry(e) for e in reversed(watched)]
    pages: list[str] = []
    current = head
    for entry in entries:
        if len(current) + len(entry) + 2 > limits.PAGE_BUDGET:
            pages.append(current)
            current = head
        current = f"{current}\n\n{entry}"
    pages.append(current)
    embeds = []
    for n, text in enumerate(pages, 1):
        embed = discord.Embed(
            title=one_line(f"Previously on {show.title}…", limits.EMBED_TITLE),
            description=text,
            colour=COLOUR,
        )
        footer = "Only for you · from your /progress"
        embed.set_footer(text=f"{footer} · Page {n} of {len(pages)}" if len(pages) > 1 else footer)
        embeds.append(limits.check_embed(embed))
    return embeds


def moved_note(show: Show, episode: Episode, before: Watched | None) -> str:
    """The DM to a member whose progress a party moved."""
    was = f"from {before.code} " if before else ""
    return (
        f"You watched **{escape(show.title)} · {escape(episode.label)}** at a watch party, so I "
        f"moved your progress {was}to it (you asked with `/progress follow-parties on`). "
        "Not right? **Undo** puts it back."
    )
