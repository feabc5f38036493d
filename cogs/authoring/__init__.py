"""/episode edit|history|revert: members write episode content in modals, with revisions."""

from __future__ import annotations

from bot.app import Watchparty

from ._modals import EDIT_MODAL
from .cog import Authoring

__all__ = ["EDIT_MODAL", "Authoring", "setup"]


async def setup(bot: Watchparty) -> None:
    await bot.add_cog(Authoring(bot))
