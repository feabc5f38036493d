"""After a save: the editor's private answer, the spoiler-term check, the content log."""

from __future__ import annotations

import io
import logging

import discord

from bot import i18n
from bot.app import Watchparty
from bot.i18n import _
from bot.models import ContentField, Episode, Revision, SaveOutcome, SaveResult, Show
from bot.render.authoring import log_line, where
from bot.render.text import escape
from bot.spoiler_terms import find_term

log = logging.getLogger(__name__)


async def give_back(
    interaction: discord.Interaction[Watchparty], text: str, field: ContentField, typed: list[str]
) -> None:
    """Answer privately, with what the member typed attached (exactly as typed, however long),
    so a refused save loses nothing."""
    written = "\n\n".join(part.strip() for part in typed if part.strip())
    if not written:
        await interaction.response.send_message(text, ephemeral=True)
        return
    attached = discord.File(io.BytesIO(written.encode("utf-8")), filename=f"{field.value}.txt")
    await interaction.response.send_message(
        _("{problem} Your text is attached, so nothing is lost.").format(problem=text),
        file=attached,
        ephemeral=True,
    )


async def answer(
    interaction: discord.Interaction[Watchparty],
    show: Show,
    episode: Episode,
    field: ContentField,
    result: SaveResult,
    typed: list[str] | None = None,
) -> None:
    """Tell the editor what became of the save; announce a saved one in the content log."""
    what, revision = where(show, episode, field), result.revision
    if result.outcome is SaveOutcome.CONFLICT:
        by = (
            _(" (revision #{revision})").format(revision=revision.id)
            if revision and revision.author_id
            else ""
        )
        text = _(
            "Someone changed {what} after you opened it{by}, so nothing was saved: open it "
            "again with `/episode edit` to see the new text."
        ).format(what=what, by=by)
        await give_back(interaction, text, field, typed or [])
        return
    if result.outcome is SaveOutcome.UNCHANGED or revision is None:
        text = _("Nothing to save: {what} already says that.").format(what=what)
    elif result.outcome is SaveOutcome.DUPLICATE:
        text = _("Already saved: {what} is revision #{revision}.").format(
            what=what, revision=revision.id
        )
    else:
        text = _("Saved {what} as revision #{revision}.").format(what=what, revision=revision.id)
        text += await _term_warning(interaction, episode, field)
    await interaction.response.send_message(text, ephemeral=True)
    if result.outcome is SaveOutcome.SAVED and revision is not None:
        await announce(interaction, show, episode, revision)


async def _term_warning(
    interaction: discord.Interaction[Watchparty], episode: Episode, field: ContentField
) -> str:
    """The synopsis shows on safe cards to members who have not watched: warn its editor when
    it names one of the episode's spoiler terms."""
    if field not in (ContentField.SYNOPSIS, ContentField.SPOILER_TERMS):
        return ""
    store = interaction.client.store
    terms = tuple(await store.catalog.spoiler_terms(episode.id))
    synopsis = await store.content.value(episode.id, ContentField.SYNOPSIS)
    found = find_term(str(synopsis), terms)
    if found is None:
        return ""
    return "\n" + _(
        "⚠️ The synopsis names “{term}”, one of this episode's spoiler terms, and it shows to "
        "members who haven't watched yet: edit it if that gives too much away."
    ).format(term=escape(found))


async def announce(
    interaction: discord.Interaction[Watchparty], show: Show, episode: Episode, revision: Revision
) -> None:
    """Name the editor, the episode and the field in the server's content log, if it has one."""
    if interaction.guild_id is None:
        return
    settings = await interaction.client.store.servers.settings(interaction.guild_id)
    channel = interaction.client.get_channel(settings.content_log_channel_id or 0)
    if not isinstance(channel, discord.abc.Messageable):
        return
    try:
        # The content log is read by the server's team: the server's language.
        with i18n.public():
            line = log_line(interaction.user.id, show, episode, revision)
        await channel.send(line)
    except discord.HTTPException as error:
        log.warning("Could not announce a content edit in %s: %s", channel, error)
