"""Vote buttons: the poll id and option live in the custom_id, so they outlive restarts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import report
from bot.render import limits
from bot.render.polls import button_label
from bot.store.polls import Poll, VoteOutcome

if TYPE_CHECKING:
    from .cog import Polls


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:vote:(?P<poll>\d+):(?P<option>\d)",
):
    def __init__(
        self, poll_id: int, position: int, *, label: str = "", disabled: bool = False
    ) -> None:
        custom_id = f"wp:vote:{poll_id}:{position}"
        # custom_ids can only be up to 100 characters long.
        assert len(custom_id) <= limits.CUSTOM_ID
        super().__init__(
            discord.ui.Button(
                label=label or "Vote",
                custom_id=custom_id,
                style=discord.ButtonStyle.primary,
                disabled=disabled,
                row=position // limits.BUTTONS_PER_ROW,
            )
        )
        self.poll_id, self.position = poll_id, position

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["poll"]), int(match["option"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog: Polls | None = interaction.client.get_cog("Polls")  # type: ignore[attr-defined]
        try:
            assert cog is not None, "the polls cog is not loaded"
            await cog.record_vote(interaction, self.poll_id, self.position)
        except Exception as error:
            await report(interaction, error)


def vote_view(poll: Poll) -> discord.ui.View:
    """One button per option (up to ten, five to a row); disabled once the poll has closed."""
    view = discord.ui.View(timeout=None)
    for position, option in enumerate(poll.options):
        view.add_item(
            VoteButton(
                poll.id, position, label=button_label(position, option), disabled=not poll.is_open
            )
        )
    return view


COUNTED = (VoteOutcome.RECORDED, VoteOutcome.CHANGED, VoteOutcome.WITHDRAWN)
