"""Discord's message limits, and a check that an embed holds them."""

from __future__ import annotations

import discord

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
CUSTOM_ID = 100
BUTTON_LABEL = 80
BUTTONS_PER_ROW = 5
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100

# What a page's description may use, leaving room for a heading line above it.
PAGE_BUDGET = EMBED_DESCRIPTION - 200


def embed_total(embed: discord.Embed) -> int:
    """The characters Discord counts towards the 6,000 total of an embed."""
    total = len(embed.title or "") + len(embed.description or "")
    total += len(embed.footer.text or "") + len(embed.author.name or "")
    return total + sum(len(f.name or "") + len(f.value or "") for f in embed.fields)


def check_embed(embed: discord.Embed) -> discord.Embed:
    """Return `embed`, or raise if it breaks a limit: a bug in a renderer, never user input."""
    problems = [
        name
        for name, size, limit in (
            ("title", len(embed.title or ""), EMBED_TITLE),
            ("description", len(embed.description or ""), EMBED_DESCRIPTION),
            ("footer", len(embed.footer.text or ""), FOOTER),
            ("author", len(embed.author.name or ""), AUTHOR),
            ("fields", len(embed.fields), EMBED_FIELDS),
            ("total", embed_total(embed), EMBED_TOTAL),
        )
        if size > limit
    ]
    problems += [f"field {f.name!r}" for f in embed.fields if len(f.value or "") > FIELD_VALUE]
    if problems:
        raise ValueError(f"embed over Discord's limits: {', '.join(problems)}")
    return embed
