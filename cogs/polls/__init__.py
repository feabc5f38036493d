"""Episode polls: button polls (live or blind) and Discord native polls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._paging import PageButton
from .._spoilers import RevealButton
from ._buttons import VoteButton
from .cog import Polls

if TYPE_CHECKING:
    from bot.app import Watchparty


async def setup(bot: Watchparty) -> None:
    # Results pages are gated by progress too, so their reveal button is registered here as well.
    bot.add_dynamic_items(VoteButton, PageButton, RevealButton)
    await bot.add_cog(Polls(bot))
