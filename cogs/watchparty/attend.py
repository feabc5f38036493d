"""The "I'm watching" button on a party's announcement and start reminder.

A click while the party runs (from its start to its end) counts the member as taking part:
/watched shows the count, and members who asked for it (`/progress follow-parties on`) have
their progress moved to the party's episode when it ends. The party id lives in the custom_id,
so the button works after a restart.
"""

from __future__ import annotations

import re
import time
from typing import Any

import discord

from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import N_, _, public

from ..utils.buttons import ButtonBase, persistent_button
from ..utils.dms import remember_locale

# The button sits on public messages: its label is in the server's language.
LABEL = N_("I'm watching")


class AttendButton(
    ButtonBase,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wp:attend:(?P<party>[0-9]{1,18})",
):
    def __init__(self, party_id: int) -> None:
        super().__init__(
            persistent_button(
                f"wp:attend:{party_id}",
                label=_(LABEL),
                emoji="🍿",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.party_id = party_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AttendButton:
        return cls(int(match["party"]))

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        store = interaction.client.store
        party = await store.parties.get(self.party_id)
        if party is None or party.guild_id != interaction.guild_id or party.cancelled_at:
            raise UserError(_("That watch party was cancelled."))
        now = time.time()
        if now < party.starts_at:
            # The member's language, naming the button as the server's language labels it.
            with public():
                label = _(LABEL)
            raise UserError(
                _(
                    "The party starts {when}: click **{button}** once it has started to be counted."
                ).format(when=f"<t:{int(party.starts_at)}:R>", button=label)
            )
        if party.ended_at is not None or now >= party.ends_at:
            raise UserError(_("That watch party is over: taking part counts only while it runs."))
        new = await store.together.attend(party.id, interaction.user.id)
        if new:
            await remember_locale(interaction)  # for the DM if the party moves their progress
        text = (
            _("You're watching along: enjoy! You count as taking part in this party.")
            if new
            else _("You're already counted as watching this party.")
        )
        await interaction.response.send_message(text, ephemeral=True)


def attend_view(party_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AttendButton(party_id))
    return view
