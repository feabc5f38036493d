"""What /catalog add and refresh answer: counts first, then each episode that needs a word."""

from __future__ import annotations

from .. import limits
from ..catalog.sources.tvmaze.datafile import WriteReport
from .text import escape, one_line

# Named in the reply, one line each: what an admin may want to act on.
NAMED = (
    ("retired", "Retired, no longer on TVmaze"),
    ("gone_upstream", "No longer on TVmaze, kept: people wrote for it"),
    ("conflicts", "⚠️ Numbered twice on TVmaze"),
)


def counts(report: WriteReport) -> str:
    parts = [f"{len(report.added)} new"] if report.added else []
    if report.updated:
        parts.append(f"{len(report.updated)} updated from TVmaze")
    if report.kept_human_edits:
        parts.append(f"{len(report.kept_human_edits)} edits by people kept")
    if report.retired:
        parts.append(f"{len(report.retired)} retired (no longer on TVmaze)")
    if report.gone_upstream:
        parts.append(f"{len(report.gone_upstream)} no longer on TVmaze (kept)")
    if report.conflicts:
        parts.append(f"{len(report.conflicts)} numbered twice on TVmaze")
    return "; ".join(parts) or "nothing changed"


def synced_text(report: WriteReport, title: str, episodes: int, limit: int = limits.CONTENT) -> str:
    """The reply to an add or refresh, within one message's 2,000 characters."""
    head = (
        f"✅ **{escape(title)}**: {episodes} episodes ({counts(report)}). "
        f"Data file: {escape(report.path.name)}. Show data: TVmaze (CC BY-SA)."
    )
    lines = [
        f"{label}: {escape(one_line(item, 200))}"
        for attribute, label in NAMED
        for item in getattr(report, attribute)
    ]
    return fit_lines(head, lines, limit)


# The Wikipedia part of an add or refresh reply gets at most this much of the 2,000.
RECAPS_BUDGET = 700


def recaps_text(article: str, revision: int, filled: int, mismatched: list[str]) -> str:
    """ "Recaps from Wikipedia (List of X episodes, revision N): 38 filled, 2 mismatched"."""
    head = (
        f"📖 Recaps from Wikipedia ({escape(one_line(article, 200))}, revision {revision}): "
        f"{filled} filled, {len(mismatched)} mismatched (left empty)."
    )
    lines = [f"Mismatched: {escape(one_line(item, 200))}" for item in mismatched]
    return fit_lines(head, lines, RECAPS_BUDGET)


def fit_lines(head: str, lines: list[str], limit: int) -> str:
    """`head` and as many of `lines` as fit in `limit`, then how many were left out."""
    text = head
    for index, line in enumerate(lines):
        more = f"\n… and {len(lines) - index} more (the bot's log lists them all)."
        rest = len(lines) - index - 1
        if len(text) + 1 + len(line) + (len(more) if rest else 0) > limit:
            return text + more
        text += "\n" + line
    return text
