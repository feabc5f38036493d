"""Episode polls: button polls (live or blind) and Discord native polls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._paging import PageButton
from ._buttons import VoteButton
from .cog import Polls

if TYPE_CHECKING:
    from bot.app import Watchparty


async def setup(bot: Watchparty) -> None:
    bot.add_dynamic_items(VoteButton, PageButton)
    await bot.add_cog(Polls(bot))
