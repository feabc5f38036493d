"""Choosing together: the suggestion list, the vote's reply, the winner, what was watched.

Titles and notes are member or TVmaze text: always escaped, and sent with no mentions.
"""

from __future__ import annotations

import discord

from .. import limits
from ..i18n import N_, _, ngettext
from ..models import Episode, Show, Suggestion, Tally, Watched, WatchedTogether
from . import pages
from .text import escape, one_line

COLOUR = discord.Colour.teal()
# Buttons named in text: the winner's (cogs/together/winner.py), and a party's "I'm watching"
# (cogs/watchparty/attend.py), named as the server's language labels it on the public post.
SCHEDULE = N_("Schedule a watch party")
ATTEND = N_("I'm watching")


def suggestion_line(suggestion: Suggestion) -> str:
    """ "• **Severance** · suggested by @alice <t:…:R> · not in the catalog yet: “note”" """
    parts = [
        f"• **{escape(one_line(suggestion.title, limits.TITLE))}**",
        _("suggested by {member} {when}").format(
            member=f"<@{suggestion.suggested_by}>", when=f"<t:{int(suggestion.suggested_at)}:R>"
        ),
    ]
    if suggestion.show_id is None:
        parts.append(_("from TVmaze, not in the catalog yet"))
    line = " · ".join(parts)
    if suggestion.note:
        line += f": “{escape(one_line(suggestion.note, limits.SUGGESTION_NOTE))}”"
    return line


def suggestion_pages(suggestions: list[Suggestion]) -> list[discord.Embed]:
    """The open suggestions, most support first, in pages."""
    lines = [suggestion_line(s) for s in suggestions]
    empty = _("Nothing suggested yet: `/suggest add` puts a show on the list.")
    return pages.embeds(
        pages.pack(lines, sep="\n") if lines else [empty],
        title=_("Suggestions"),
        colour=COLOUR,
        footer_text=_("/suggest vote puts them to a vote · the winner leaves the list"),
    )


def option_label(suggestion: Suggestion) -> str:
    """A poll option: the show's title, within a poll answer's 55 characters."""
    return one_line(suggestion.title, limits.POLL_OPTION_MAX)


def vote_opened(poll_id: int, left_out: list[Suggestion]) -> str:
    """The organiser's private line once the vote is posted."""
    text = _("The vote is open (poll #{id}): the winner is announced when it closes.").format(
        id=poll_id
    )
    if left_out:
        names = ", ".join(f"**{escape(one_line(s.title, 60))}**" for s in left_out)
        text += "\n" + _(
            "A poll holds {count} options, so these wait for the next vote: {names}"
        ).format(count=limits.POLL_OPTIONS[1], names=names)
    return one_line_cut(text)


def one_line_cut(text: str) -> str:
    """Text within one message, cut at a comma when too long."""
    if len(text) <= limits.CONTENT:
        return text
    more = _(", and more.")
    cut = text[: limits.CONTENT - len(more) - 1].rsplit(", ", 1)[0]
    return f"{cut}{more}"


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
            title=_("No winner"),
            description=_("Nobody voted, so every suggestion stays on the list."),
            colour=discord.Colour.dark_grey(),
        )
        embed.set_footer(text=_("Poll #{id}").format(id=tally.poll.id))
        return limits.check_embed(embed)
    chosen = options[winner]
    votes = tally.counts[winner]
    lines = [
        ngettext(
            "The server chose **{show}** with {votes} vote of {total}.",
            "The server chose **{show}** with {votes} votes of {total}.",
            votes,
        ).format(show=escape(one_line(chosen.title, limits.TITLE)), votes=votes, total=tally.total),
        _("Organisers: **{button}** below picks the next episode for this server.").format(
            button=_(SCHEDULE)
        ),
    ]
    if chosen.show_id is None:
        lines.append(
            _("It is not in the catalog yet: someone with Manage Server adds it with the button.")
        )
    embed = discord.Embed(
        title=_("🏆 We have a winner"), description="\n\n".join(lines), colour=COLOUR
    )
    embed.set_footer(text=_("Poll #{id} · it leaves the suggestion list").format(id=tally.poll.id))
    return limits.check_embed(embed)


def watched_line(item: WatchedTogether, button: str) -> str:
    people = (
        ngettext("{count} took part", "{count} took part", item.attendance).format(
            count=item.attendance
        )
        if item.attendance
        else _("no one clicked {button}").format(button=button)
    )
    return (
        f"• <t:{int(item.party.starts_at)}:d> · **{escape(one_line(item.show.title, 60))}** "
        f"{escape(one_line(item.episode.label, 80))} · {people}"
    )


def watched_pages(items: list[WatchedTogether], button: str) -> list[discord.Embed]:
    """What the server watched together, newest first, in pages; `button`: the "I'm watching"
    button's label as the parties' posts show it."""
    lines = [watched_line(item, button) for item in items]
    empty = _("No watch party has run to its end here yet: `/watchparty schedule` starts one.")
    return pages.embeds(
        pages.pack(lines, sep="\n") if lines else [empty],
        title=_("Watched together"),
        colour=COLOUR,
        footer_text=_(
            "Taking part: clicking {button} on a party's announcement or reminder"
        ).format(button=button),
    )


def catchup_entry(episode: Episode) -> str:
    """One watched episode in a catch-up: its title, then its recap (or its synopsis) cut short.
    Never its ending: a catch-up reminds, it does not explain."""
    text = episode.recap.strip() or episode.synopsis.strip() or _("No recap was written for it.")
    return f"**{escape(episode.label)}**\n{escape(one_line(text, limits.CATCHUP_ENTRY))}"


def catchup_pages(show: Show, before: str, watched: list[Episode]) -> list[discord.Embed]:
    """ "Previously on…": the watched episodes before `before`, newest first, in pages."""
    head = _("Before **{episode}**, newest first: only episodes you have watched.").format(
        episode=escape(before)
    )
    entries = [catchup_entry(e) for e in reversed(watched)]
    return pages.embeds(
        pages.pack(entries, head=head),
        title=_("Previously on {show}…").format(show=show.title),
        colour=COLOUR,
        footer_text=_("Only for you · from your /progress"),
    )


def moved_note(show: Show, episode: Episode, before: Watched | None) -> str:
    """The DM to a member whose progress a party moved."""
    line = (
        _(
            "You watched **{show} · {episode}** at a watch party, so I moved your progress from "
            "{before} to it (you asked with `/progress follow-parties on`). Not right? **Undo** "
            "puts it back."
        )
        if before
        else _(
            "You watched **{show} · {episode}** at a watch party, so I moved your progress to it "
            "(you asked with `/progress follow-parties on`). Not right? **Undo** puts it back."
        )
    )
    return line.format(
        show=escape(show.title),
        episode=escape(episode.label),
        before=before.code if before else "",
    )
