"""The opt-in spoiler guard (being built)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Watchparty


async def setup(bot: Watchparty) -> None:
    return None
