"""The spoiler guard's pure parts: finding spoiler terms in a message, and what it posts."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import limits
from ..models import Episode, Show
from .text import Spoiler, escape, one_line, split_pages

# Members type curly or straight apostrophes ("Jung-gil’s wife"); data files use straight ones.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})

# Webhook names are 1-80 characters and Discord refuses any containing "clyde" or "discord".
_RESERVED = re.compile(r"clyde|discord", re.IGNORECASE)
_LOOKALIKES = str.maketrans("oOlL", "0011")

# The label line stays short so the spoiler pages keep most of the 2,000 characters.
LABEL_LIMIT = 300


def _normal(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for all terms: whole words or phrases, any case, any spacing between words.

    Longest terms first, so "lunar orbit" wins over a shorter term it contains.
    """
    parts = []
    for term in sorted({_normal(t) for t in terms if t.strip()}, key=len, reverse=True):
        parts.append(r"\s+".join(re.escape(word) for word in term.split()))
    if not parts:
        return None
    # Lookarounds instead of \b: a term may start or end with punctuation ("M-7.").
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)", re.IGNORECASE)


def find_term(text: str, terms: tuple[str, ...]) -> str | None:
    """The first of `terms` that `text` mentions as a whole word or phrase, as the data file
    spells it; None when it mentions none. "unmask" matches "Unmask!", not "unmasked"."""
    pattern = _pattern(terms)
    if pattern is None:
        return None
    match = pattern.search(text.translate(_APOSTROPHES))
    if match is None:
        return None
    found = _normal(match.group(0))
    return next((t for t in terms if _normal(t) == found), found)


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
    name = one_line(display_name, limits.WEBHOOK_NAME) or "Member"
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
        f"it mentions “{escape(one_line(term, 100))}”, a spoiler for "
        f"**{escape(what_it_spoils(show, episode))}**, whose watch party started less than "
        f"{hours} h ago. Here is what you wrote, so nothing is lost:"
    )
    return split_pages(f"{intro}\n\n{escape(text)}", limits.CONTENT)
