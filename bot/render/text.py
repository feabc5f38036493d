"""Text helpers that hold Discord's rules: escaping, spoilers, and splitting into pages."""

from __future__ import annotations

import re
from collections.abc import Callable

# Discord drops a backslash before any ASCII punctuation and shows the character as typed, so
# escaping every markdown-active character is safe to read and leaves nothing to interpret:
# `||` cannot close a spoiler, backticks cannot open code, `<@id>` and `@everyone` stay text.
_ACTIVE = re.compile(r"([\\*_~|`>#\-\[\]()<@:])")


def escape(text: str) -> str:
    """`text` shown literally: no markdown, no spoiler breakouts, no mentions."""
    return _ACTIVE.sub(r"\\\1", text)


def one_line(text: str, limit: int) -> str:
    """Whitespace folded to single spaces, cut at a word boundary to `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


class Spoiler:
    """Text that must stay hidden until clicked.

    Spoiler tags render in message content, embed descriptions and field values only: never
    put one in a title, author, footer or code block, where `||` shows as two bars. The text
    is escaped first, so nothing inside can close the tag early, and each line is wrapped on
    its own so no tag has to span a line break.
    """

    __slots__ = ("_escaped",)

    def __init__(self, text: str) -> None:
        self._escaped = escape(text)

    @classmethod
    def pages(cls, text: str, limit: int) -> list[Spoiler]:
        """`text` as spoilers of at most `limit` characters each, tags included."""
        pages = []
        for chunk in split_pages(escape(text), limit, measure=_tagged_length):
            page = cls("")
            page._escaped = chunk
            pages.append(page)
        return pages

    def __str__(self) -> str:
        lines = (line.strip() for line in self._escaped.splitlines())
        return "\n".join(f"||{line}||" if line else "" for line in lines)


def _tagged_length(escaped: str) -> int:
    # Each non-empty line gains an opening and a closing `||`.
    return len(escaped) + 4 * sum(1 for line in escaped.splitlines() if line.strip())


# From the widest break to the narrowest: paragraph, line, sentence, word.
_BREAKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\n\s*\n"), "\n\n"),
    (re.compile(r"\n"), "\n"),
    (re.compile(r"(?<=[.!?…])\s+"), " "),
    (re.compile(r"\s+"), " "),
)


def split_pages(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Split `text` into pages with measure(page) <= limit.

    Pages break between paragraphs where they can, else between lines, sentences or words;
    a single word longer than a page (hostile input) is the only thing ever cut.
    """
    text = text.strip()
    if not text:
        return []
    if measure(text) <= limit:
        return [text]
    return _split(text, limit, measure, 0)


def _split(text: str, limit: int, measure: Callable[[str], int], level: int) -> list[str]:
    if level == len(_BREAKS):
        return _cut(text, limit, measure)
    pattern, joiner = _BREAKS[level]
    pages: list[str] = []
    current = ""
    for part in (p.strip() for p in pattern.split(text)):
        if not part:
            continue
        candidate = f"{current}{joiner}{part}" if current else part
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            pages.append(current)
        if measure(part) <= limit:
            current = part
        else:
            pieces = _split(part, limit, measure, level + 1)
            pages.extend(pieces[:-1])
            current = pieces[-1]
    if current:
        pages.append(current)
    return pages


def _cut(word: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    pieces = []
    while word:
        # The longest prefix that fits, by bisection: measure may not be linear (escaping).
        low, high = 1, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if measure(word[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        # Never part a backslash from the character it escapes.
        trailing = len(word[:low]) - len(word[:low].rstrip("\\"))
        if trailing % 2 and low > 1:
            low -= 1
        pieces.append(word[:low])
        word = word[low:]
    return pieces
