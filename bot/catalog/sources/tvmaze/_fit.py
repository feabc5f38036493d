"""TVmaze's values cut to what the data format accepts (bot/catalog/dataformat.py, bot/limits.py).

TVmaze's fields have no length limits and some odd values (a runtime of 0, an airtime of
"9pm", an image address without a scheme); the data file's reader refuses those. What does
not fit is clipped (text) or dropped (a value that cannot be cut), so a file written from
TVmaze always passes `python -m bot check`. The writer checks the result again before it
replaces a file: this module keeps that check from ever failing on ordinary upstream data.
"""

from __future__ import annotations

from urllib.parse import urlparse

from .... import limits
from ...dataformat import IMDB_ID, TIME


def clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" \n,;:-") + "…"


def text(value: str | None, limit: int) -> str | None:
    return clip(value, limit) if value else None


def url(value: str | None) -> str | None:
    """An http(s) address the format accepts, or None: an address cut short would be wrong."""
    if not value or len(value) > limits.URL_MAX or any(c.isspace() for c in value):
        return None
    parsed = urlparse(value)
    return value if parsed.scheme in {"http", "https"} and parsed.netloc else None


def time_of_day(value: str | None) -> str | None:
    return value if value and TIME.match(value) else None


def imdb(value: str | None) -> str | None:
    return value if value and len(value) <= limits.IMDB_ID_MAX and IMDB_ID.match(value) else None


def positive(value: int | None) -> int | None:
    """A runtime: TVmaze writes an unknown one as null, and now and then as 0."""
    return value if value is not None and value >= 1 else None
