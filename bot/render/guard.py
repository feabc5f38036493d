"""The spoiler guard's pure parts: finding spoiler terms in a message, and what it posts."""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Episode, Show
from . import limits
from .text import Spoiler, escape, one_line, split_pages

# Members type curly or straight apostrophes ("Jung-gil’s wife"); data files use straight ones.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})

# Webhook names are 1-80 characters and Discord refuses any containing "clyde" or "discord".
WEBHOOK_NAME_LIMIT = 80
_RESERVED = re.compile(r"clyde|discord", re.IGNORECASE)
_LOOKALIKES = str.maketrans("oOlL", "0011")

# The label line stays short so the spoiler pages keep most of the 2,000 characters.
LABEL_LIMIT = 300


def normal_term(text: str) -> str:
    """A term or message as the guard compares them: any case, any spacing, straight quotes."""
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...]) -> tuple[re.Pattern[str], list[str]] | None:
    """One regex for all terms, with one named group per term, and the terms in group order.

    A term matches as a whole word or phrase, any case, any spacing between words; a term
    ending in `*` also matches any longer form of its last word ("unmask*": "unmasked").
    Longest terms first, so "lunar orbit" wins over a shorter term it contains.
    """
    spelled: dict[str, str] = {}
    for term in terms:
        if term.strip():
            spelled.setdefault(normal_term(term), term)
    order = sorted(spelled, key=len, reverse=True)
    if not order:
        return None
    parts = []
    for i, term in enumerate(order):
        stem = term.removesuffix("*")
        words = r"\s+".join(re.escape(word) for word in stem.split())
        rest = r"\w*" if stem != term else ""
        parts.append(f"(?P<t{i}>{words}{rest})")
    # Lookarounds instead of \b: a term may start or end with punctuation ("M-7.").
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)", re.IGNORECASE)
    return pattern, [spelled[term] for term in order]


def find_term(text: str, terms: tuple[str, ...]) -> str | None:
    """The first of `terms` that `text` mentions, as the data file spells it; None when it
    mentions none. "unmask" matches "Unmask!", not "unmasked"; "unmask*" matches both."""
    compiled = _pattern(terms)
    if compiled is None:
        return None
    pattern, spelled = compiled
    match = pattern.search(text.translate(_APOSTROPHES))
    if match is None or match.lastgroup is None:
        return None
    return spelled[int(match.lastgroup[1:])]


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
        f"🔇 Hidden: spoilers for {escape(what_it_spoils(show, episode))}", LABEL_LIMIT
    )
    spoilers = [str(page) for page in Spoiler.pages(text, limits.CONTENT - len(label) - 1)]
    if not spoilers:
        return [label]
    return [f"{label}\n{spoilers[0]}", *spoilers[1:]]


def webhook_username(display_name: str) -> str:
    """The author's name as a webhook may carry it."""
    name = one_line(display_name, WEBHOOK_NAME_LIMIT) or "Member"
    # A lookalike keeps the name readable where Discord reserves the word.
    return _RESERVED.sub(lambda m: m.group(0).translate(_LOOKALIKES), name)


def explanation_pages(
    text: str, term: str, show: Show, episode: Episode, hours: int, where: str
) -> list[str]:
    """The private note to the author: why their message was hidden, and what they wrote.

    `where` is a link to the repost (or a channel mention); the author's own text comes back
    escaped, so it reads exactly as typed.
    """
    intro = (
        f"🔇 I hid your message in {where} and reposted it inside spoiler tags under your name: "
        f"it mentions “{escape(one_line(_readable(term), 100))}”, a spoiler for "
        f"**{escape(what_it_spoils(show, episode))}**, whose watch party started less than "
        f"{hours} h ago. Here is what you wrote, so nothing is lost:"
    )
    return split_pages(f"{intro}\n\n{escape(text)}", limits.CONTENT)
