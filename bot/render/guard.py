"""The spoiler guard's pure parts: finding spoiler terms in a message, and what it posts."""

from __future__ import annotations

import re

from .. import limits
from ..i18n import _
from ..models import Episode, Show
from .text import Spoiler, escape, one_line, split_pages

# Webhook names are 1-80 characters and Discord refuses any containing "clyde" or "discord".
_RESERVED = re.compile(r"clyde|discord", re.IGNORECASE)
_LOOKALIKES = str.maketrans("oOlL", "0011")


def _readable(term: str) -> str:
    """ "unmask*" as a member reads it: "unmask…"."""
    return f"{term.removesuffix('*')}…" if term.endswith("*") else term


def what_it_spoils(show: Show, episode: Episode) -> str:
    """ "For All Mankind S4E6 · Leningrad", as plain text for a label or a sentence."""
    return one_line(f"{show.title} {episode.label}", 200)


def repost_pages(text: str, show: Show, episode: Episode) -> list[str]:
    """The webhook messages that replace a spoiling message: a visible label, then the text
    inside spoiler tags, over as many messages as it takes so nothing is cut."""
    label = one_line(
        _("🔇 Hidden: spoilers for {what}").format(what=escape(what_it_spoils(show, episode))),
        limits.REPOST_LABEL,
    )
    spoilers = [str(page) for page in Spoiler.pages(text, limits.CONTENT - len(label) - 1)]
    if not spoilers:
        return [label]
    return [f"{label}\n{spoilers[0]}", *spoilers[1:]]


def webhook_username(display_name: str) -> str:
    """The author's name as a webhook may carry it."""
    name = one_line(display_name, limits.WEBHOOK_NAME) or _("Member")
    # A lookalike keeps the name readable where Discord reserves the word.
    return _RESERVED.sub(lambda m: m.group(0).translate(_LOOKALIKES), name)


def explanation_pages(
    text: str, term: str, show: Show, episode: Episode, hours: int, where: str
) -> list[str]:
    """The private note to the author: why their message was hidden, and what they wrote.

    `where` is a link to the repost (or a channel mention); the author's own text comes back
    escaped, so it reads exactly as typed.
    """
    intro = _(
        "🔇 I hid your message in {where} and reposted it inside spoiler tags under your name: "
        "it mentions “{term}”, a spoiler for **{what}**, whose watch party started less than "
        "{hours} h ago. Here is what you wrote, so nothing is lost:"
    ).format(
        where=where,
        term=escape(one_line(_readable(term), 100)),
        what=escape(what_it_spoils(show, episode)),
        hours=hours,
    )
    return split_pages(f"{intro}\n\n{escape(text)}", limits.CONTENT)
