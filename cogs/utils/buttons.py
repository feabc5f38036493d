"""What every persistent button of the bot shares: Discord's custom_id rule and one error path.

Buttons are `discord.ui.DynamicItem`s whose state lives in the custom_id, so they keep working
after a restart. They are registered once, in `cogs/components.py`.
"""

from __future__ import annotations

from typing import Any

import discord

from bot import limits, metrics
from bot.app import Watchparty
from bot.errors import report


def persistent_button(custom_id: str, **options: Any) -> discord.ui.Button[Any]:
    """A button whose custom_id must survive restarts, checked against Discord's rule."""
    # custom_ids can only be up to 100 characters long.
    if len(custom_id) > limits.CUSTOM_ID:
        raise ValueError(f"custom_id over {limits.CUSTOM_ID} characters: {custom_id!r}")
    return discord.ui.Button(custom_id=custom_id, **options)


class ButtonBase:
    """Mix into a DynamicItem before it: `run` does the work; any error reaches the member
    as one private sentence (or a reference code for a bug), like a failed slash command."""

    # Any: discord.py types the item's client loosely; `run` receives this bot's interactions.
    async def callback(self, interaction: discord.Interaction[Any]) -> Any:
        try:
            await self.run(interaction)
        except Exception as error:
            await report(interaction, error)
        else:
            metrics.finished(interaction)

    async def run(self, interaction: discord.Interaction[Watchparty]) -> None:
        raise NotImplementedError
