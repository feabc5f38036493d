"""Spoiler terms: the words and phrases that spoil an episode, and finding them in text.

Used by the data-file reader (to refuse terms that would match ordinary talk) and by the
spoiler guard (to find them in members' messages), so both compare terms the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Members type curly or straight apostrophes ("Jung-gil’s wife"); data files use straight ones.
_APOSTROPHES = ("’", "‘", "ʼ")


def _straight(text: str) -> str:
    # isascii is a constant-time test, and the apostrophes to straighten are not ASCII; three
    # replaces rather than str.translate, which looks up every character of the text.
    if not text.isascii():
        for apostrophe in _APOSTROPHES:
            text = text.replace(apostrophe, "'")
    return text


def normal_term(text: str) -> str:
    """A term or message as the guard compares them: any case, any spacing, straight quotes."""
    return " ".join(_straight(text).casefold().split())


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
    match = pattern.search(_straight(text))
    if match is None or match.lastgroup is None:
        return None
    return spelled[int(match.lastgroup[1:])]
