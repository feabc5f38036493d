"""Watch parties: `/watchparty schedule|list|cancel` (`cog.py`; what a schedule makes on
Discord, `_making.py`) and each party's timeline of reminders, thread and poll
(`_timeline.py`)."""

from __future__ import annotations

from bot.app import Watchparty

from .cog import WatchParties


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(WatchParties(bot))
