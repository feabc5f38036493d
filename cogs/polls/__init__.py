"""Episode polls: button polls (live or blind) and Discord native polls."""

from __future__ import annotations

from bot.app import Watchparty

from .cog import Polls


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Polls(bot))
