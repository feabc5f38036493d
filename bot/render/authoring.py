"""What /episode edit, history and revert show: the revision list, previews, and log lines.

Text members wrote is escaped everywhere; a recap, ending, spoiler terms or polls preview is
also behind spoiler tags, so even a private list never shows a spoiler at a glance.
"""

from __future__ import annotations

import discord

from .. import limits
from ..models import ContentField, Episode, FieldValue, PresetPoll, Revision, Show
from .text import Spoiler, escape, one_line

# The spoiler-free synopsis may show as it is; everything else gives the story away.
SAFE_FIELDS = frozenset({ContentField.SYNOPSIS})


def plain(field: ContentField, value: FieldValue) -> str:
    """A value as one line of text, before escaping."""
    if field is ContentField.POLLS:
        polls = [p for p in value if isinstance(p, PresetPoll)]
        return "; ".join(f"{p.question} ({len(p.options)} options)" for p in polls)
    if field is ContentField.SPOILER_TERMS:
        return ", ".join(t for t in value if isinstance(t, str))
    return str(value)


def preview(field: ContentField, value: FieldValue) -> str:
    """A short, escaped preview; spoilers hidden behind tags."""
    text = one_line(plain(field, value), limits.PREVIEW)
    if not text:
        return "*(empty)*"
    return escape(text) if field in SAFE_FIELDS else str(Spoiler(text))


def _author(revision: Revision) -> str:
    if revision.author_id is None:
        return "the data file"
    # 0: its author asked for their data to be deleted (bot/store/privacy.py).
    return f"<@{revision.author_id}>" if revision.author_id else "a former member"


def history_embed(
    show: Show, episode: Episode, field: ContentField, revisions: list[Revision], live: int | None
) -> discord.Embed:
    """The latest revisions of a field, newest first, with who, when and a preview."""
    embed = discord.Embed(
        title=one_line(f"{show.title} {episode.label} — {field.label}", limits.EMBED_TITLE),
        colour=discord.Colour.blurple(),
    )
    if not revisions:
        embed.description = "Never edited in Discord: the text is the data file's."
    for revision in revisions[: limits.HISTORY]:
        name = f"#{revision.id}" + (" · live" if revision.id == live else "")
        when = f"<t:{int(revision.created_at)}:f>"
        restored = f" · restores #{revision.reverted_from}" if revision.reverted_from else ""
        value = f"{_author(revision)} · {when}{restored}\n{preview(field, revision.value)}"
        embed.add_field(name=name, value=value[: limits.FIELD_VALUE], inline=False)
    while limits.embed_total(embed) > limits.EMBED_TOTAL:
        embed.remove_field(len(embed.fields) - 1)
    embed.set_footer(text="Restore one with /episode revert (it becomes a new revision).")
    return limits.check_embed(embed)


def log_line(user_id: int, show: Show, episode: Episode, revision: Revision) -> str:
    """The content-log announcement: who changed what, never the text itself."""
    what = f"the **{revision.field.label}** of **{escape(show.title)} {escape(episode.label)}**"
    if revision.reverted_from:
        return (
            f"↩️ <@{user_id}> restored {what} to revision #{revision.reverted_from}"
            f" (now revision #{revision.id})."
        )
    return f"📝 <@{user_id}> edited {what} (revision #{revision.id})."


def where(show: Show, episode: Episode, field: ContentField) -> str:
    """ "the recap of For All Mankind S4E6 · Leningrad", escaped."""
    return f"the {field.label} of {escape(show.title)} {escape(episode.label)}"
