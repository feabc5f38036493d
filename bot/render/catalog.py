"""What /catalog add and refresh answer: counts first, then each episode that needs a word."""

from __future__ import annotations

from .. import limits
from ..catalog.sources.tvmaze.datafile import WriteReport
from ..i18n import N_, _, ngettext
from ..models import ShowDependents
from .text import escape, one_line

# Named in the reply, one line each: what an admin may want to act on.
NAMED = (
    ("retired", N_("Retired, no longer on TVmaze")),
    ("gone_upstream", N_("No longer on TVmaze, kept: people wrote for it")),
    ("conflicts", N_("⚠️ Numbered twice on TVmaze")),
)


def counts(report: WriteReport) -> str:
    # Plural forms although English needs none: French and German agree with the count.
    kinds = (
        (report.added, ngettext("{count} new", "{count} new", len(report.added))),
        (
            report.updated,
            ngettext(
                "{count} updated from TVmaze", "{count} updated from TVmaze", len(report.updated)
            ),
        ),
        (
            report.kept_human_edits,
            ngettext(
                "{count} edits by people kept",
                "{count} edits by people kept",
                len(report.kept_human_edits),
            ),
        ),
        (
            report.retired,
            ngettext(
                "{count} retired (no longer on TVmaze)",
                "{count} retired (no longer on TVmaze)",
                len(report.retired),
            ),
        ),
        (
            report.gone_upstream,
            ngettext(
                "{count} no longer on TVmaze (kept)",
                "{count} no longer on TVmaze (kept)",
                len(report.gone_upstream),
            ),
        ),
        (
            report.conflicts,
            ngettext(
                "{count} numbered twice on TVmaze",
                "{count} numbered twice on TVmaze",
                len(report.conflicts),
            ),
        ),
    )
    parts = [text.format(count=len(items)) for items, text in kinds if items]
    return "; ".join(parts) or _("nothing changed")


def synced_text(report: WriteReport, title: str, episodes: int, limit: int = limits.CONTENT) -> str:
    """The reply to an add or refresh, within one message's 2,000 characters."""
    head = _(
        "✅ **{title}**: {episodes} ({counts}). Data file: {file}. Show data: TVmaze (CC BY-SA)."
    ).format(
        title=escape(title),
        episodes=ngettext("{count} episode", "{count} episodes", episodes).format(count=episodes),
        counts=counts(report),
        file=escape(report.path.name),
    )
    lines = [
        _("{label}: {item}").format(label=_(label), item=escape(one_line(item, 200)))
        for attribute, label in NAMED
        for item in getattr(report, attribute)
    ]
    return fit_lines(head, lines, limit)


# The Wikipedia part of an add or refresh reply gets at most this much of the 2,000.
RECAPS_BUDGET = 700


def recaps_text(article: str, revision: int, filled: int, mismatched: list[str]) -> str:
    """ "Recaps from Wikipedia (List of X episodes, revision N): 38 filled, 2 mismatched"."""
    head = _(
        "📖 Recaps from Wikipedia ({article}, revision {revision}): {filled} filled, "
        "{mismatched} mismatched (left empty)."
    ).format(
        article=escape(one_line(article, 200)),
        revision=revision,
        filled=filled,
        mismatched=len(mismatched),
    )
    lines = [
        _("Mismatched: {item}").format(item=escape(one_line(item, 200))) for item in mismatched
    ]
    return fit_lines(head, lines, RECAPS_BUDGET)


def dependents_text(dependents: ShowDependents) -> str:
    """ "2 polls, 1 watch party": what members made for a show."""
    parts = (
        ngettext("{count} poll", "{count} polls", dependents.polls),
        ngettext("{count} watch party", "{count} watch parties", dependents.parties),
        ngettext("{count} discussion thread", "{count} discussion threads", dependents.threads),
        ngettext("{count} member's progress", "{count} members' progress", dependents.progress),
    )
    counts = (dependents.polls, dependents.parties, dependents.threads, dependents.progress)
    return ", ".join(part.format(count=n) for part, n in zip(parts, counts, strict=True) if n)


def removed_text(title: str, hidden: bool, dependents: ShowDependents, moved_to: str | None) -> str:
    """What /catalog remove did, in one line: deleted or hidden, and where its file went."""
    values = {"title": escape(title), "dependents": escape(dependents_text(dependents))}
    if moved_to is None:
        if hidden:
            return _("**{title}**: hidden from every command; its {dependents} stay.").format(
                **values
            )
        return _("**{title}**: removed.").format(**values)
    values["file"] = escape(moved_to)
    if hidden:
        return _(
            "**{title}**: hidden from every command; its {dependents} stay; its data file is "
            "now {file}."
        ).format(**values)
    return _("**{title}**: removed; its data file is now {file}.").format(**values)


def fit_lines(head: str, lines: list[str], limit: int) -> str:
    """`head` and as many of `lines` as fit in `limit`, then how many were left out."""
    text = head
    for index, line in enumerate(lines):
        left = len(lines) - index
        more = "\n" + ngettext(
            "… and {count} more (the bot's log lists them all).",
            "… and {count} more (the bot's log lists them all).",
            left,
        ).format(count=left)
        rest = len(lines) - index - 1
        if len(text) + 1 + len(line) + (len(more) if rest else 0) > limit:
            return text + more
        text += "\n" + line
    return text
