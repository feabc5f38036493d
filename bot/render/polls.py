"""Poll messages: the question with its options, live or hidden counts, final results."""

from __future__ import annotations

import discord
from babel.numbers import get_decimal_symbol

from .. import limits
from ..i18n import _, current, ngettext
from ..models import Episode, EpisodeScore, Mode, Poll, Show, Tally, VoteOutcome
from . import pages
from .text import escape, one_line

LETTERS = "ABCDEFGHIJ"
BAR = 12
OPEN_COLOUR = discord.Colour.blurple()
CLOSED_COLOUR = discord.Colour.dark_grey()


def bar(share: float) -> str:
    filled = round(share * BAR)
    return "█" * filled + "░" * (BAR - filled)


def percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def button_label(position: int, option: str) -> str:
    return one_line(f"{LETTERS[position]} · {option}", limits.BUTTON_LABEL)


def _option_lines(tally: Tally, reveal: bool) -> list[str]:
    lines = []
    for i, (option, count) in enumerate(zip(tally.poll.options, tally.counts, strict=True)):
        line = f"**{LETTERS[i]}** · {escape(option)}"
        if reveal:
            share = count / tally.total if tally.total else 0.0
            line += f"\n`{bar(share)}` {percent(count, tally.total)}% · {count}"
        lines.append(line)
    return lines


def verdict(tally: Tally) -> str:
    """The winner, a tie, or no votes."""
    if not tally.total:
        return _("No votes were cast.")
    best = max(tally.counts)
    leaders = [tally.poll.options[i] for i, n in enumerate(tally.counts) if n == best]
    share = percent(best, tally.total)
    if len(leaders) == 1:
        return _("🏆 **{option}** wins with {share}%.").format(
            option=escape(leaders[0]), share=share
        )
    names = ", ".join(f"**{escape(name)}**" for name in leaders)
    return _("🤝 Tie between {names} ({share}% each).").format(names=names, share=share)


def _votes(n: int) -> str:
    return ngettext("{count} vote", "{count} votes", n).format(count=n)


def poll_embed(
    tally: Tally, episode: Episode | None = None, show: Show | None = None
) -> discord.Embed:
    """The poll as its message shows it: open (live or blind) or closed with results."""
    poll = tally.poll
    closed = not poll.is_open
    reveal = closed or poll.mode is Mode.LIVE
    parts = [f"**{escape(poll.question)}**", *_option_lines(tally, reveal)]
    if closed:
        parts.append(verdict(tally))
        parts.append(
            _("Closed {when} · {votes}.").format(
                when=f"<t:{int(poll.closed_at or poll.closes_at)}:R>", votes=_votes(tally.total)
            )
        )
    else:
        hidden = "" if reveal else _(" Counts stay hidden until it closes.")
        parts.append(
            _(
                "Closes {when} · {votes} so far.{hidden} "
                "Click an option to vote; click it again to take your vote back."
            ).format(when=f"<t:{int(poll.closes_at)}:R>", votes=_votes(tally.total), hidden=hidden)
        )
    if poll.voters_role_id is not None:
        parts.append(
            _("Only members with {role} can vote.").format(role=f"<@&{poll.voters_role_id}>")
        )
    title = (
        _("Poll results") if closed else (_("Blind poll") if poll.mode is Mode.BLIND else _("Poll"))
    )
    if episode is not None:
        title += f" · {episode.label}"
    embed = discord.Embed(
        title=one_line(title, limits.EMBED_TITLE),
        description="\n\n".join(parts),
        colour=CLOSED_COLOUR if closed else OPEN_COLOUR,
    )
    if show is not None:
        embed.set_author(name=one_line(show.title, limits.AUTHOR))
    embed.set_footer(text=_("Poll #{id} · one vote per member").format(id=poll.id))
    return limits.check_embed(embed)


def vote_reply(outcome: VoteOutcome, poll: Poll, position: int) -> str:
    """What a member alone reads after clicking an option."""
    option = escape(poll.options[position]) if 0 <= position < len(poll.options) else "?"
    blind = _(" Counts stay hidden until the poll closes.") if poll.mode is Mode.BLIND else ""
    return {
        VoteOutcome.RECORDED: _("Your vote: **{option}**. Click it again to take it back.{blind}"),
        VoteOutcome.CHANGED: _("Vote changed to **{option}**.{blind}"),
        VoteOutcome.WITHDRAWN: _(
            "Your vote for **{option}** is withdrawn. You can vote again while the poll is open."
        ),
        VoteOutcome.CLOSED: _("This poll has closed; the results are on the poll's message."),
        VoteOutcome.LATE: _(
            "Too late: this poll closed at its deadline, {when}, before "
            "your click. Your vote was not counted; the results will be on the poll's message."
        ),
        VoteOutcome.UNKNOWN: _("This poll no longer exists."),
    }[outcome].format(option=option, blind=blind, when=f"<t:{int(poll.closes_at)}:T>")


def role_refusal(poll: Poll) -> str:
    """What a member without the poll's role reads when they click (nothing is stored)."""
    return _(
        "Only members with the {role} role can vote in this poll, so your "
        "click was not counted. Ask a moderator if you think you should have it."
    ).format(role=f"<@&{poll.voters_role_id}>")


def native_role_note(role_id: int) -> str:
    """Above a native poll for a role: Discord's own polls take any member's vote."""
    return _(
        "This poll is for members with {role}. Discord's own polls cannot be limited "
        "to a role: anyone who can see this channel can vote, and the count includes them. "
        "Use a live or blind poll to count only the role's votes."
    ).format(role=f"<@&{role_id}>")


def rating(tally: Tally) -> float | None:
    """The average for a poll whose options are all numbers ("1".."5"), else None."""
    try:
        values = [float(option) for option in tally.poll.options]
    except ValueError:
        return None
    return (
        sum(v * n for v, n in zip(values, tally.counts, strict=True)) / tally.total
        if tally.total
        else None
    )


def _decimal(value: float) -> str:
    """One decimal, with the language's mark: "3.5" in English, "3,5" in French and German."""
    return f"{value:.1f}".replace(".", get_decimal_symbol(current() or "en"))


def score_line(score: EpisodeScore) -> str:
    count = len(score.tallies)
    # Translators: English keeps "poll(s)" for one poll too; use your language's plural forms.
    polls = ngettext("{count} poll(s)", "{count} poll(s)", count).format(count=count)
    head = f"**{escape(score.episode.label)}** · {polls} · {_votes(score.votes)}"
    ratings = [r for r in map(rating, score.tallies) if r is not None]
    if ratings:
        average = _("average rating **{rating}**").format(
            rating=_decimal(sum(ratings) / len(ratings))
        )
        return f"{head} · {average}"
    if score.tallies and score.tallies[0].total:
        top = score.tallies[0]
        best = max(range(len(top.counts)), key=top.counts.__getitem__)
        return f"{head} · “{escape(one_line(top.poll.question, 60))}” → {escape(top.poll.options[best])}"
    return head


def results_embeds(show: Show, scope: str, scores: list[EpisodeScore]) -> list[discord.Embed]:
    """A score table (one line per episode), then every closed poll's results, in pages."""
    table = "\n".join(score_line(s) for s in scores) or _("No closed polls yet.")
    heading = _("Score table")
    blocks = [f"__{heading}__\n{table}"]
    for score in scores:
        for tally in score.tallies:
            head = f"__{escape(score.episode.code)}__ · **{escape(tally.poll.question)}**"
            blocks.append("\n".join([head, *_option_lines(tally, True), verdict(tally)]))
    return pages.embeds(
        pages.pack(blocks),
        title=_("{show} · {scope} · poll results").format(show=show.title, scope=scope),
        colour=CLOSED_COLOUR,
    )
