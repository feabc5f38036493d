"""Nothing reveals more than a member has watched, unless they ask.

A member's progress for a show says which episodes they have seen. Anything past it (a recap,
an ending, poll results, a discussion) first comes as a private warning that shows only the
safe card; "Show anyway" reveals it to that member alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import UserError, report
from bot.models import Episode, Show
from bot.render import limits
from bot.render.text import escape, one_line

from ._paging import PAGERS, page_view

if TYPE_CHECKING:
    from bot.store import Store


async def behind(store: Store, guild_id: int | None, user_id: int, episode: Episode) -> bool:
    """True when showing `episode` would go past what this member has watched."""
    if guild_id is None:
        return False  # in DMs the member only spoils themselves
    seen = await store.guilds.progress(guild_id, user_id, episode.show_id)
    if seen is None:
        return (await store.guilds.settings(guild_id)).unset_progress == "warn"
    return (episode.season, episode.number) > seen


def safe_card(show: Show, episode: Episode) -> discord.Embed:
    """What is always fine to show: title, number, air date and the spoiler-free synopsis."""
    embed = discord.Embed(
        title=one_line(episode.label, limits.EMBED_TITLE),
        description=escape(one_line(episode.synopsis, 1000)),
        colour=discord.Colour.light_grey(),
    )
    embed.set_author(name=one_line(show.title, limits.AUTHOR))
    if episode.air_date:
        embed.add_field(name="First aired", value=episode.air_date)
    return limits.check_embed(embed)


class RevealButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:reveal:(?P<kind>[a-z]+):(?P<ref>[0-9a-z.-]+)",
):
    """Shows what was held back, to the member who clicks and nobody else."""

    def __init__(self, kind: str, ref: str) -> None:
        custom_id = f"wp:reveal:{kind}:{ref}"
        # custom_ids can only be up to 100 characters long.
        assert len(custom_id) <= limits.CUSTOM_ID
        super().__init__(
            discord.ui.Button(
                label="Show anyway", style=discord.ButtonStyle.danger, custom_id=custom_id
            )
        )
        self.kind, self.ref = kind, ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RevealButton:
        return cls(match["kind"], match["ref"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            draw = PAGERS.get(self.kind)
            if draw is None:
                raise UserError("This button belongs to something I no longer show.")
            store: Store = interaction.client.store  # type: ignore[attr-defined]
            page, links = await draw(store, self.ref, 1)
            await interaction.response.send_message(
                embed=page.embed, view=page_view(self.kind, self.ref, page, links), ephemeral=True
            )
        except Exception as error:
            await report(interaction, error)


async def send_gated(
    store: Store,
    interaction: discord.Interaction,
    kind: str,
    ref: str,
    show: Show,
    episodes: list[Episode],
    what: str,
) -> None:
    """Send page 1 of `kind`/`ref` publicly, or, if it goes past the member's progress,
    a private warning with the safe card and a "Show anyway" button."""
    ahead = [
        e for e in episodes if await behind(store, interaction.guild_id, interaction.user.id, e)
    ]
    if not ahead:
        page, links = await PAGERS[kind](store, ref, 1)
        await interaction.response.send_message(
            embed=page.embed, view=page_view(kind, ref, page, links)
        )
        return
    seen = await store.guilds.progress(interaction.guild_id or 0, interaction.user.id, show.id)
    first = ahead[0]
    where = (
        f"you've told me you watched up to **S{seen[0]}E{seen[1]}**"
        if seen
        else "you haven't told me how far you've watched"
    )
    text = (
        f"⚠️ This {what} covers **{escape(first.label)}** of {escape(show.title)}, and {where}. "
        "Set your progress with `/progress set`, or show it anyway: only you will see it."
    )
    view = discord.ui.View(timeout=None)
    view.add_item(RevealButton(kind, ref))
    await interaction.response.send_message(
        text, embed=safe_card(show, first), view=view, ephemeral=True
    )
