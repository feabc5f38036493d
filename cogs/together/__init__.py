"""Choosing together: suggestions and the vote among them (`suggest.py`), the winner and its
"Schedule a watch party" form (`winner.py`), /watched (`watched.py`), /catchup
(`catchup.py`) and progress that follows the party (`follow.py`)."""

from __future__ import annotations

from bot.app import Watchparty

from .catchup import Catchup
from .follow import PartyProgress
from .suggest import Suggestions
from .watched import Together


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Suggestions(bot))
    await bot.add_cog(Together(bot))
    await bot.add_cog(Catchup(bot))
    await bot.add_cog(PartyProgress(bot))
