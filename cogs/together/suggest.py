"""/suggest add|list|remove|vote: shows members would like to watch, and a vote among them."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import N_, _, public
from bot.models import Link, Mode, Suggestion
from bot.render import together as render
from bot.render.episodes import Page
from bot.render.text import escape, one_line
from bot.store import Store

from ..polls.parsing import parse_duration
from ..utils.paging import pick, send_pages
from ..utils.permissions import check_organiser, is_moderator
from ..utils.text import TextOption, clean, parse_ref
from . import _shows

ShowText = app_commands.Transform[str, TextOption("show", max_length=200)]
Note = app_commands.Transform[str, TextOption("note", max_length=limits.SUGGESTION_NOTE)]
Duration = app_commands.Transform[str, TextOption("duration", max_length=40)]
SuggestionRef = app_commands.Transform[str, TextOption("suggestion", max_length=limits.CHOICE_NAME)]
# The vote's question, written by the bot: in the server's language, like the poll around it.
VOTE_QUESTION = N_("What should we watch next?")


async def draw_suggestions(store: Store, ref: str, page: int) -> tuple[Page, tuple[Link, ...]]:
    """A page of the server's suggestion list (`bot.pagers["suggestions"]`), as it is now."""
    suggestions = await _shows.linked(store, int(ref), await store.together.open_in(int(ref)))
    return pick(render.suggestion_pages(suggestions), page), ()


@app_commands.guild_only()
class Suggestions(
    commands.GroupCog, group_name="suggest", group_description="Suggest shows and vote on them"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    async def cog_load(self) -> None:
        self.bot.pagers["suggestions"] = draw_suggestions

    async def cog_unload(self) -> None:
        self.bot.pagers.pop("suggestions", None)

    @app_commands.command(
        name="add", extras={"example": "/suggest add show:Severance note:Short seasons"}
    )
    @app_commands.describe(
        show="A show in the catalog, or any show on TVmaze (start typing its title)",
        note="Why (optional, shown on the list)",
    )
    async def add(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowText,
        note: Note | None = None,
    ) -> None:
        """Suggest a show for the server to watch together."""
        assert interaction.guild_id is not None
        # A TVmaze search can take a moment: answer Discord within 3 s first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        named = await _shows.resolve(self.bot, show)
        existing = await self.store.together.by_key(interaction.guild_id, named.key)
        if existing is not None:
            raise UserError(
                _(
                    "**{show}** is on the list already (suggested by {member}): "
                    "`/suggest vote` puts the list to a vote."
                ).format(show=escape(existing.title), member=f"<@{existing.suggested_by}>")
            )
        added = await self.store.together.suggest(
            guild_id=interaction.guild_id,
            show_key=named.key,
            title=named.title,
            user_id=interaction.user.id,
            show_id=named.show_id,
            tvmaze_id=named.tvmaze_id,
            note=" ".join(note.split()) if note else None,
            most=limits.SUGGESTIONS,
        )
        if added is None:
            raise UserError(
                _(
                    "This server has {count} suggestions or **{show}** was just suggested: "
                    "vote on the list first, or withdraw one."
                ).format(count=limits.SUGGESTIONS, show=escape(named.title))
            )
        done = (
            _("Suggested **{show}**. `/suggest list` shows the list.")
            if named.show_id
            else _(
                "Suggested **{show}** (from TVmaze: it joins the catalog if it wins). "
                "`/suggest list` shows the list."
            )
        )
        await interaction.followup.send(done.format(show=escape(named.title)), ephemeral=True)

    @app_commands.command(name="list", extras={"example": "/suggest list"})
    async def list_(self, interaction: discord.Interaction[Watchparty]) -> None:
        """The shows suggested in this server, most support first."""
        assert interaction.guild_id is not None
        await send_pages(interaction, "suggestions", str(interaction.guild_id), private=True)

    @app_commands.command(name="remove", extras={"example": "/suggest remove suggestion:Severance"})
    @app_commands.describe(suggestion="The suggestion to withdraw (start typing its title)")
    async def remove(
        self, interaction: discord.Interaction[Watchparty], suggestion: SuggestionRef
    ) -> None:
        """Withdraw your suggestion (moderators: any suggestion)."""
        found = await self._find(interaction, suggestion)
        if found.suggested_by != interaction.user.id and not is_moderator(interaction):
            raise UserError(
                _("You can withdraw your own suggestions; a moderator can withdraw any.")
            )
        if not await self.store.together.withdraw(found.id):
            raise UserError(_("That suggestion is no longer on the list."))
        await interaction.response.send_message(
            _("Withdrew **{show}** from the suggestions.").format(show=escape(found.title)),
            ephemeral=True,
        )

    async def _find(self, interaction: discord.Interaction[Watchparty], text: str) -> Suggestion:
        number = parse_ref(text)
        found = await self.store.together.get(number) if number is not None else None
        if found is None or found.guild_id != interaction.guild_id:
            for candidate in await self.store.together.open_in(interaction.guild_id or 0):
                if candidate.title.casefold() == text.strip().casefold():
                    return candidate
            raise UserError(
                _("That suggestion is not on this server's list: pick one from the list.")
            )
        return found

    @app_commands.command(name="vote", extras={"example": "/suggest vote duration:2d mode:blind"})
    @app_commands.describe(
        duration="How long the vote stays open: 30m, 2h, 1d (default 1d, at most 7d)",
        mode="live: counts as votes come in; blind: hidden until it closes; native: a Discord poll",
    )
    async def vote(
        self,
        interaction: discord.Interaction[Watchparty],
        duration: Duration | None = None,
        mode: Literal["live", "blind", "native"] = "live",
    ) -> None:
        """Put the suggestions to a vote; the winner is announced when it closes."""
        await check_organiser(self.store, interaction)
        assert interaction.guild_id is not None
        polls = self.bot.polls
        if polls is None:
            raise UserError(_("Polls are switched off on this bot right now."))
        seconds = parse_duration(duration)
        suggestions = await self.store.together.open_in(interaction.guild_id)
        suggestions = await _shows.linked(self.store, interaction.guild_id, suggestions)
        if len(suggestions) < limits.POLL_OPTIONS[0]:
            raise UserError(
                _("A vote needs at least two suggestions: `/suggest add` puts shows on the list.")
            )
        most = limits.POLL_OPTIONS[1]
        chosen, left_out = suggestions[:most], suggestions[most:]
        options = _distinct([render.option_label(s) for s in chosen])
        with public():
            question = _(VOTE_QUESTION)
        poll = await polls.post(interaction, question, options, Mode(mode), seconds)
        await self.store.together.link_poll(poll.id, interaction.guild_id, chosen)
        await interaction.followup.send(render.vote_opened(poll.id, left_out), ephemeral=True)

    @remove.autocomplete("suggestion")
    async def _suggestion_autocomplete(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = clean(current).strip().casefold()
        found = await self.store.together.open_in(interaction.guild_id or 0)
        return [
            app_commands.Choice(name=one_line(s.title, limits.CHOICE_NAME), value=str(s.id))
            for s in found
            if wanted in s.title.casefold()
        ][: limits.AUTOCOMPLETE_CHOICES]

    @add.autocomplete("show")
    async def _show_autocomplete(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        return await _shows.choices(self.bot, current)


def _distinct(labels: list[str]) -> tuple[str, ...]:
    """Poll options must differ: two shows of one title get their position added."""
    seen: set[str] = set()
    out = []
    for n, label in enumerate(labels, 1):
        if label.casefold() in seen:
            label = one_line(f"{label[: limits.POLL_OPTION_MAX - 5]} ({n})", limits.POLL_OPTION_MAX)
        seen.add(label.casefold())
        out.append(label)
    return tuple(out)
