"""The edit modal: one field of one episode, pre-filled, and what its submission does.

Its custom_id carries the episode, the field, the revision it opened on and a fingerprint of
the value it showed ("wp:edit:12:recap:7:3fa2c1d0"), so a submission after a restart is
understood, and one that comes after someone else's change is refused rather than saved over
it. The submission is routed by cogs/utils/modals.py (registered in cogs/components.py).
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import limits
from bot.app import Watchparty
from bot.authoring import inputs_for, parse
from bot.errors import UserError
from bot.i18n import N_, _
from bot.models import ContentField, Episode, FieldValue
from bot.render.authoring import capitalised, field_name
from bot.render.text import one_line
from bot.store.edits import value_token

from ..utils.modals import PersistentModal, modal
from ..utils.permissions import check_editor
from ._saving import answer, give_back

TEMPLATE = re.compile(
    r"wp:edit:(?P<episode>[0-9]{1,18}):(?P<field>[a-z-]{1,20}):(?P<revision>[0-9]{1,18})"
    r":(?P<token>[0-9a-f]{8})"
)
INPUT_IDS = tuple(f"part{n}" for n in range(1, limits.MODAL_INPUTS + 1))

# Per field: the inputs' labels (msgids, translated as the modal is made; "{n}" and "{total}"
# number the parts), each one's most characters, and the first one's placeholder (Discord:
# labels at most 45 characters, placeholders 100, in every language: tests/test_i18n.py).
_SHAPES: dict[ContentField, tuple[tuple[str, int], int, str]] = {
    ContentField.SYNOPSIS: (
        (N_("Synopsis (spoiler-free)"), 1),
        limits.SYNOPSIS,
        N_("What someone knows before watching: no spoilers."),
    ),
    ContentField.RECAP: (
        (N_("Part {n} of {total}"), limits.TEXT_PARTS),
        limits.INPUT_TEXT,
        N_("Parts are joined with a blank line between them; leave the ones you need not empty."),
    ),
    ContentField.SPOILER_TERMS: (
        (N_("Spoiler terms, one per line"), 1),
        limits.INPUT_TEXT,
        N_("One word or phrase per line; end one with * for its forms (unmask* finds unmasked)."),
    ),
    ContentField.POLLS: (
        (N_("Poll {n}"), limits.EDITED_POLLS),
        limits.INPUT_TEXT,
        N_("The question on the first line, then 2 to 10 options, one per line. Empty: no poll."),
    ),
}
_SHAPES[ContentField.ENDING] = _SHAPES[ContentField.RECAP]


def input_labels(field: ContentField) -> list[str]:
    """Each input's label for `field`, in the current language."""
    (label, count), _most, _placeholder = _SHAPES[field]
    return [_(label).format(n=n, total=count) for n in range(1, count + 1)]


def input_placeholder(field: ContentField) -> str:
    """The first input's placeholder for `field`, in the current language."""
    return _(_SHAPES[field][2])


def edit_modal(episode: Episode, field: ContentField, value: FieldValue, revision: int) -> Any:
    """The modal for `field` of `episode`, pre-filled with its current `value`."""
    most = _SHAPES[field][1]
    labels, placeholder = input_labels(field), input_placeholder(field)
    prefill = inputs_for(field, value)
    inputs: list[discord.ui.TextInput[Any]] = []
    for n, label in enumerate(labels):
        inputs.append(
            discord.ui.TextInput(
                label=label[: limits.INPUT_LABEL],
                custom_id=INPUT_IDS[n],
                style=discord.TextStyle.paragraph,
                default=prefill[n] if n < len(prefill) else None,
                placeholder=placeholder[: limits.INPUT_PLACEHOLDER] if n == 0 else None,
                max_length=most,
                required=False,
            )
        )
    custom_id = f"wp:edit:{episode.id}:{field.value}:{revision}:{value_token(field, value)}"
    title = one_line(f"{capitalised(field_name(field))} · {episode.label}", limits.MODAL_TITLE)
    return modal(title, custom_id, inputs)


async def submit_edit(
    interaction: discord.Interaction[Watchparty], match: re.Match[str], values: dict[str, str]
) -> None:
    """Save what the editor typed, once, unless the field changed since the modal opened."""
    store = interaction.client.store
    await check_editor(store, interaction)
    episode = await store.catalog.episode_by_id(int(match["episode"]))
    show = await store.catalog.show_by_id(episode.show_id) if episode else None
    if episode is None or show is None:
        raise UserError(_("That episode is no longer in my catalog: nothing was saved."))
    field = ContentField(match["field"])
    typed = [values.get(custom_id, "") for custom_id in INPUT_IDS]
    try:
        value = parse(field, typed)
    except UserError as error:
        text = _("{problem} Nothing was saved.").format(problem=error)
        await give_back(interaction, text, field, typed)
        return
    result = await store.content.save(
        episode.id,
        field,
        value,
        author_id=interaction.user.id,
        guild_id=interaction.guild_id,
        base=match["token"],
        interaction_id=interaction.id,
    )
    await answer(interaction, show, episode, field, result, typed)


EDIT_MODAL = PersistentModal(TEMPLATE, submit_edit)
