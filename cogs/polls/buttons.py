"""Vote buttons: the poll id and option live in the custom_id, so they outlive restarts."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _
from bot.models import Poll
from bot.render.polls import button_label

from ..utils.buttons import ButtonBase, persistent_button


class VoteButton(
    ButtonBase,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:vote:(?P<poll>\d+):(?P<option>\d)",
):
    def __init__(
        self, poll_id: int, position: int, *, label: str = "", disabled: bool = False
    ) -> None:
        super().__init__(
            persistent_button(
                f"wp:vote:{poll_id}:{position}",
                label=label or _("Vote"),
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

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        polls = interaction.client.polls
        if polls is None:
            raise UserError(_("Polls are switched off on this bot right now."))
        await polls.record_vote(interaction, self.poll_id, self.position)


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
