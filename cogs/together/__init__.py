"""Choosing together: suggestions and the vote among them (`suggest.py`), the winner and its
"Schedule a watch party" form (`winner.py`), and /watched (`watched.py`)."""

from __future__ import annotations

from bot.app import Watchparty

from .suggest import Suggestions
from .watched import Together


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Suggestions(bot))
    await bot.add_cog(Together(bot))
