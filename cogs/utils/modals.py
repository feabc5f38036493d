"""Modals that keep working after a restart, and after the opening interaction expired.

discord.py finds a submitted modal by the `Modal` object it kept in memory, so a modal opened
before a restart would be dropped; and a `DynamicItem` cannot be a modal. Here a modal is only
its custom_id: everything its handler needs is in it ("wp:edit:12:recap:7:3fa2c1d0"), and one
`on_interaction` listener (registered by cogs/components.py) routes each submission to the
`PersistentModal` whose template matches. The submission is its own interaction with a fresh
token, so it is answered however long the modal stayed open.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot import limits, metrics
from bot.app import Watchparty
from bot.errors import report

from .text import clean

log = logging.getLogger(__name__)

Handler = Callable[
    [discord.Interaction[Watchparty], re.Match[str], dict[str, str]], Awaitable[None]
]


@dataclass(frozen=True)
class PersistentModal:
    """A kind of modal: its custom_id template and what handles a submission."""

    template: re.Pattern[str]
    handle: Handler


def modal(title: str, custom_id: str, inputs: list[discord.ui.TextInput[Any]]) -> discord.ui.Modal:
    """A modal to send; discord.py does not keep it (the listener answers its submission)."""
    if len(custom_id) > limits.CUSTOM_ID or len(inputs) > limits.MODAL_INPUTS:
        raise ValueError(f"modal over Discord's limits: {custom_id!r}, {len(inputs)} inputs")
    shown = discord.ui.Modal(title=title[: limits.MODAL_TITLE], custom_id=custom_id, timeout=None)
    for item in inputs:
        shown.add_item(item)
    # A finished modal is not stored by send_modal: nothing in memory answers it but the listener.
    shown.stop()
    return shown


def submitted_values(data: dict[str, Any]) -> dict[str, str]:
    """Each text input's value by custom_id, cleaned like every option, in either layout Discord
    uses (action rows, or labels)."""
    values: dict[str, str] = {}
    for row in data.get("components") or []:
        for item in [*(row.get("components") or []), row.get("component") or {}]:
            if item.get("type") == discord.ComponentType.text_input.value:
                values[str(item.get("custom_id"))] = clean(str(item.get("value") or ""))
    return values


async def dispatch(
    interaction: discord.Interaction[Watchparty], modals: tuple[PersistentModal, ...]
) -> None:
    """Route one modal submission to its handler; one error path, as for commands."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    for kind in modals:
        match = kind.template.fullmatch(custom_id)
        if match is None:
            continue
        try:
            await kind.handle(interaction, match, submitted_values(data))
        except Exception as error:  # every failure gets the member a sentence
            await report(interaction, error)
        else:
            metrics.finished(interaction)
        return
    log.debug("A modal nobody handles: %s", custom_id)
