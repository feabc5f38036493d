"""Every persistent button and modal, registered once.

A `DynamicItem` is found by its custom_id's template, so a button posted before a restart
still reaches its code; a modal cannot be a DynamicItem, so one `on_interaction` listener
routes modal submissions by the same kind of template (cogs/utils/modals.py). Registering
them here, in one place, keeps two extensions from registering the same item.
"""

from __future__ import annotations

import discord

from bot.app import Watchparty

from .authoring import EDIT_MODAL
from .catalog_remove import CatalogRemoval
from .polls.buttons import VoteButton
from .together.follow import UndoMove
from .together.winner import PLAN_FORM, ScheduleButton
from .utils.modals import dispatch
from .utils.paging import PageButton
from .utils.spoilers import RevealButton
from .watchparty.attend import AttendButton

PERSISTENT_ITEMS = (
    PageButton,
    RevealButton,
    VoteButton,
    CatalogRemoval,
    ScheduleButton,
    AttendButton,
    UndoMove,
)
PERSISTENT_MODALS = (EDIT_MODAL, PLAN_FORM)


async def on_modal_submit(interaction: discord.Interaction[Watchparty]) -> None:
    await dispatch(interaction, PERSISTENT_MODALS)


async def setup(bot: Watchparty) -> None:
    bot.add_dynamic_items(*PERSISTENT_ITEMS)
    bot.add_listener(on_modal_submit, "on_interaction")


async def teardown(bot: Watchparty) -> None:
    bot.remove_dynamic_items(*PERSISTENT_ITEMS)
    bot.remove_listener(on_modal_submit, "on_interaction")
