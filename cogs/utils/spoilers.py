"""Nothing reveals more than a member has watched, unless they ask.

A member's progress for a show says which episodes they have seen. Anything past it (a recap,
an ending, poll results, a discussion) first comes as a private warning that shows only the
safe card; "Show anyway" reveals it to that member alone.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.app import Watchparty
from bot.i18n import _
from bot.models import Episode, Show, UnsetProgress, Viewer
from bot.render.episodes import safe_card
from bot.render.text import escape
from bot.store import Store

from .buttons import ButtonBase, persistent_button
from .paging import send_pages


async def behind(store: Store, guild_id: int | None, user_id: int, episode: Episode) -> bool:
    """True when showing `episode` would go past what this member has watched."""
    if guild_id is None:
        return False  # in DMs the member only spoils themselves
    seen = await store.progress.watched(guild_id, user_id, episode.show_id)
    if seen is None:
        settings = await store.servers.settings(guild_id)
        return settings.unset_progress is UnsetProgress.WARN
    return not seen.covers(episode)


async def viewer(store: Store, guild_id: int | None, user_id: int) -> Viewer:
    """The same rule as `behind`, for a query over many episodes: the store applies it to the
    member's progress in SQL (bot/store/search.py), so it can count what it must not show."""
    if guild_id is None:
        return Viewer(None, user_id, unset_is_behind=False)
    settings = await store.servers.settings(guild_id)
    return Viewer(guild_id, user_id, settings.unset_progress is UnsetProgress.WARN)


class RevealButton(
    ButtonBase,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:reveal:(?P<kind>[a-z]+):(?P<ref>[0-9a-z.-]+)",
):
    """Shows what was held back, to the member who clicks and nobody else."""

    def __init__(self, kind: str, ref: str) -> None:
        super().__init__(
            persistent_button(
                f"wp:reveal:{kind}:{ref}", label=_("Show anyway"), style=discord.ButtonStyle.danger
            )
        )
        self.kind, self.ref = kind, ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RevealButton:
        return cls(match["kind"], match["ref"])

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        await send_pages(interaction, self.kind, self.ref, private=True)


async def send_gated(
    interaction: discord.Interaction[Watchparty],
    kind: str,
    ref: str,
    *,
    show: Show,
    covers: list[Episode],
    what: str,
) -> None:
    """Send page 1 of `kind`/`ref` publicly, or, if one of the episodes it `covers` is past the
    member's progress, a private warning with the safe card and a "Show anyway" button."""
    store = interaction.client.store
    user_id = interaction.user.id
    ahead = [e for e in covers if await behind(store, interaction.guild_id, user_id, e)]
    if not ahead:
        await send_pages(interaction, kind, ref)
        return
    seen = await store.progress.watched(interaction.guild_id or 0, user_id, show.id)
    first = ahead[0]
    where = (
        _("you've told me you watched up to **{code}**").format(code=seen.code)
        if seen
        else _("you haven't told me how far you've watched")
    )
    following = await store.catalog.next_episode(show.id, seen)
    nudge = (
        _(" The next one for you is **{episode}**.").format(episode=escape(following.label))
        if following is not None and following.id != first.id
        else ""
    )
    text = _(
        "⚠️ This {what} covers **{episode}** of {show}, and {where}.{nudge} Set your progress "
        "with `/progress set`, or show it anyway: only you will see it."
    ).format(
        what=_(what), episode=escape(first.label), show=escape(show.title), where=where, nudge=nudge
    )
    view = discord.ui.View(timeout=None)
    view.add_item(RevealButton(kind, ref))
    await interaction.response.send_message(
        text, embed=safe_card(show, first), view=view, ephemeral=True
    )
