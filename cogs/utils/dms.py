"""Which language a DM is written in: no interaction comes with it to say.

The member's own Discord language when the bot has it (recorded by the commands that lead to
DMs: /follow show, /reminders dm, the "I'm watching" button), else the server's, the language
the rest of what they read from that server is in.
"""

from __future__ import annotations

import discord

from bot.app import Watchparty
from bot.store import Store


async def dm_locale(store: Store, user_id: int, guild: discord.Guild | None) -> str | None:
    """The locale to write a DM to `user_id` about `guild` in (None: English)."""
    own = await store.members.locale(user_id)
    if own is not None:
        return own
    return str(guild.preferred_locale.value) if guild is not None else None


async def remember_locale(interaction: discord.Interaction[Watchparty]) -> None:
    """Keep the member's Discord language for the DMs this interaction asks for."""
    locale = str(interaction.locale.value)
    store = interaction.client.store
    if await store.members.locale(interaction.user.id) != locale:
        await store.members.set_locale(interaction.user.id, locale)
