"""What members type, made safe before anything reads it.

Discord delivers option values as JSON strings, and JSON can carry what no text should: lone
surrogates (which SQLite and the JSON encoder refuse), right-to-left overrides that turn the
bot's own reply around, and zero-width characters that make a blank look like text. Every
free-text option goes through `TextArg` (or a transformer that calls `clean`), and numbers
that name a poll or a party go through `parse_ref`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError
from bot.i18n import N_, _

# Embedding, override and isolate controls: they reorder the text around them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A poll or party number: "12" or "#12". ASCII digits only ("²³" is a digit to Python's
# isdigit, not to int), and short enough for SQLite's 64-bit integers.
_REF = re.compile(r"#?([0-9]{1,18})(?![0-9])")
# What a TextOption names in "The {what} is empty", marked here for translation: a new
# TextOption's `what` joins this list (tests/test_i18n_together.py checks every one is here).
WHATS: tuple[str, ...] = (N_("show"), N_("note"), N_("duration"), N_("suggestion"), N_("question"))
WHATS += (N_("list of options"), N_("poll"), N_("time zone"), N_("lead time"), N_("start time"))
WHATS += (N_("length"), N_("party"))


def clean(text: str) -> str:
    """`text` without lone surrogates (each becomes U+FFFD) or bidirectional controls."""
    return _BIDI_CONTROLS.sub("", _SURROGATE.sub("\ufffd", text))


def is_blank(text: str) -> bool:
    """True when nothing visible is left: only spaces, zero-width and format characters."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Cc") for ch in text)


def parse_ref(text: str) -> int | None:
    """The number in "12" or "#12 · …" (what autocomplete sends back), or None."""
    match = _REF.match(text.strip())
    return int(match.group(1)) if match else None


class TextOption(app_commands.Transformer):
    """A free-text option: cleaned, and refused with a sentence when nothing visible is left."""

    def __init__(self, what: str, *, max_length: int | None = None) -> None:
        self.what = what
        self._max_length = max_length

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_length(self) -> int | None:
        return self._max_length

    async def transform(self, interaction: discord.Interaction, value: Any) -> str:
        text = clean(str(value))
        if is_blank(text):
            raise UserError(
                _("The {what} is empty: type something people can read.").format(what=_(self.what))
            )
        return text
