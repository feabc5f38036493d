"""Every persistent button, registered once.

A `DynamicItem` is found by its custom_id's template, so a button posted before a restart
still reaches its code; registering them here, in one place, keeps two extensions from
registering the same item.
"""

from __future__ import annotations

from bot.app import Watchparty

from .polls.buttons import VoteButton
from .utils.paging import PageButton
from .utils.spoilers import RevealButton

PERSISTENT_ITEMS = (PageButton, RevealButton, VoteButton)


async def setup(bot: Watchparty) -> None:
    bot.add_dynamic_items(*PERSISTENT_ITEMS)


async def teardown(bot: Watchparty) -> None:
    bot.remove_dynamic_items(*PERSISTENT_ITEMS)
