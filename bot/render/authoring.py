"""What /episode edit, history and revert show: the revision list, previews, and log lines.

Text members wrote is escaped everywhere; a recap, ending, spoiler terms or polls preview is
also behind spoiler tags, so even a private list never shows a spoiler at a glance.
"""

from __future__ import annotations

import discord

from .. import limits
from ..i18n import N_, _, ngettext
from ..models import ContentField, Episode, FieldValue, PresetPoll, Revision, Show
from .text import Spoiler, escape, one_line

# The spoiler-free synopsis may show as it is; everything else gives the story away.
SAFE_FIELDS = frozenset({ContentField.SYNOPSIS})

# Each field's name, and the phrases that name one episode's field: whole phrases, since
# French and German give each field its own article, gender and number.
FIELD_NAMES = {
    ContentField.SYNOPSIS: N_("synopsis"),
    ContentField.RECAP: N_("recap"),
    ContentField.ENDING: N_("ending"),
    ContentField.SPOILER_TERMS: N_("spoiler terms"),
    ContentField.POLLS: N_("polls"),
}
_FIELD_OF = {
    ContentField.SYNOPSIS: N_("the synopsis of {show} {episode}"),
    ContentField.RECAP: N_("the recap of {show} {episode}"),
    ContentField.ENDING: N_("the ending of {show} {episode}"),
    ContentField.SPOILER_TERMS: N_("the spoiler terms of {show} {episode}"),
    ContentField.POLLS: N_("the polls of {show} {episode}"),
}
_THE_FIELD = {
    ContentField.SYNOPSIS: N_("the **synopsis**"),
    ContentField.RECAP: N_("the **recap**"),
    ContentField.ENDING: N_("the **ending**"),
    ContentField.SPOILER_TERMS: N_("the **spoiler terms**"),
    ContentField.POLLS: N_("the **polls**"),
}


def field_name(field: ContentField) -> str:
    """ "recap", in the current language."""
    return _(FIELD_NAMES[field])


def capitalised(text: str) -> str:
    """`text` with its first letter upper-case and the rest as it was (titles keep theirs)."""
    return text[:1].upper() + text[1:]


def plain(field: ContentField, value: FieldValue) -> str:
    """A value as one line of text, before escaping."""
    if field is ContentField.POLLS:
        polls = [p for p in value if isinstance(p, PresetPoll)]
        return "; ".join(
            ngettext(
                "{question} ({count} option)", "{question} ({count} options)", len(p.options)
            ).format(question=p.question, count=len(p.options))
            for p in polls
        )
    if field is ContentField.SPOILER_TERMS:
        return ", ".join(t for t in value if isinstance(t, str))
    return str(value)


def preview(field: ContentField, value: FieldValue) -> str:
    """A short, escaped preview; spoilers hidden behind tags."""
    text = one_line(plain(field, value), limits.PREVIEW)
    if not text:
        return _("*(empty)*")
    return escape(text) if field in SAFE_FIELDS else str(Spoiler(text))


def _author(revision: Revision) -> str:
    if revision.author_id is None:
        return _("the data file")
    # 0: its author asked for their data to be deleted (bot/store/privacy.py).
    return f"<@{revision.author_id}>" if revision.author_id else _("a former member")


def history_embed(
    show: Show, episode: Episode, field: ContentField, revisions: list[Revision], live: int | None
) -> discord.Embed:
    """The latest revisions of a field, newest first, with who, when and a preview."""
    embed = discord.Embed(
        title=one_line(f"{show.title} {episode.label} — {field_name(field)}", limits.EMBED_TITLE),
        colour=discord.Colour.blurple(),
    )
    if not revisions:
        embed.description = _("Never edited in Discord: the text is the data file's.")
    for revision in revisions[: limits.HISTORY]:
        name = f"#{revision.id}" + (_(" · live") if revision.id == live else "")
        when = f"<t:{int(revision.created_at)}:f>"
        restored = (
            _(" · restores #{revision}").format(revision=revision.reverted_from)
            if revision.reverted_from
            else ""
        )
        value = f"{_author(revision)} · {when}{restored}\n{preview(field, revision.value)}"
        embed.add_field(name=name, value=value[: limits.FIELD_VALUE], inline=False)
    while limits.embed_total(embed) > limits.EMBED_TOTAL:
        embed.remove_field(len(embed.fields) - 1)
    embed.set_footer(text=_("Restore one with /episode revert (it becomes a new revision)."))
    return limits.check_embed(embed)


def log_line(user_id: int, show: Show, episode: Episode, revision: Revision) -> str:
    """The content-log announcement: who changed what, never the text itself."""
    values = {
        "user": f"<@{user_id}>",
        "field": _(_THE_FIELD[revision.field]),
        "show": escape(show.title),
        "episode": escape(episode.label),
        "revision": revision.id,
    }
    if revision.reverted_from:
        return _(
            "↩️ {user} restored {field} of **{show} {episode}** to revision #{restored}"
            " (now revision #{revision})."
        ).format(**values, restored=revision.reverted_from)
    return _("📝 {user} edited {field} of **{show} {episode}** (revision #{revision}).").format(
        **values
    )


def where(show: Show, episode: Episode, field: ContentField) -> str:
    """ "the recap of For All Mankind S4E6 · Leningrad", escaped."""
    return _(_FIELD_OF[field]).format(show=escape(show.title), episode=escape(episode.label))
