"""Each kind of value a data file holds, checked: text, whole numbers, dates, spoiler terms ...

A check takes the value and its Key (bot/catalog/dataformat.py) and returns what the reader
keeps, or raises Problem with the sentence the error shows. It does not know where the value
is: the reader (datafiles.py) adds that only when a check fails, so reading a 20,000-episode
file does not spell out the place of each of its million values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from .. import limits
from ..spoiler_terms import normal_term
from .dataformat import DATE, TIME, Key, term_problem


class Problem(Exception):
    """What is wrong with a value; `item` is the list entry it is about ("options[1]")."""

    def __init__(self, text: str, item: int | None = None) -> None:
        super().__init__(text)
        self.text, self.item = text, item

    def at(self, where: str) -> str:
        return where if self.item is None else f"{where}[{self.item}]"


def text(value: Any, spec: Key) -> str:
    if not isinstance(value, str) or not (value := value.strip()):
        raise Problem("is missing or empty (expected text)")
    if len(value) > spec.limit:
        raise Problem(f"is {len(value)} characters long (at most {spec.limit})")
    if spec.pattern and not spec.pattern.match(value):
        raise Problem(spec.shape)
    return value


def url(value: Any, spec: Key) -> str:
    address = text(value, spec)
    parsed = urlparse(address)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise Problem("must be an http(s) address")
    return address


def whole(value: Any, spec: Key) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < spec.low:
        raise Problem(f"must be a whole number, at least {spec.low}")
    return value


def date(value: Any, spec: Key) -> str:
    # TOML dates arrive as dates (the parser refuses impossible ones); quoted ones as text.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if not isinstance(value, str) or not DATE.match(value):
        raise Problem("must be a date like 2023-12-15")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise Problem(f"{value} is not a real date") from None


def time(value: Any, spec: Key) -> str:
    if not isinstance(value, str) or not TIME.match(value):
        raise Problem('must be a time of day like "21:00" (24 h)')
    return value


def instant(value: Any, spec: Key) -> float:
    # An offset date-time arrives as an aware datetime; quoted, as text. Without an offset
    # the moment is ambiguous (which zone?), so it is refused rather than guessed.
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise Problem("must be a date-time with its offset like 2026-01-05T02:00:00Z")
    return value.timestamp()


def names(value: Any, spec: Key) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise Problem("must be a list of names")
    return tuple(v.strip() for v in value)


def digests(value: Any, spec: Key) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Problem('must be a table of text values, like { episode = "..." }')
    return value


def terms(value: Any, spec: Key) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise Problem("must be a list of words or phrases")
    found: set[str] = set()
    for i, term in enumerate(value):
        normal = normal_term(term)
        problem = term_problem(normal)
        if problem:
            raise Problem(f"“{term.strip()}” {problem}", i)
        found.add(normal)  # spellings that normalise alike are one term
    return tuple(sorted(found))


def options(value: Any, spec: Key) -> tuple[str, ...]:
    low, high = limits.POLL_OPTIONS
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise Problem(f"must list {low} to {high} options")
    cleaned: list[str] = []
    folded: set[str] = set()
    for i, option in enumerate(value):
        if not isinstance(option, str) or not option.strip():
            raise Problem("is empty", i)
        option = option.strip()
        if len(option) > spec.limit:
            raise Problem(f"is longer than {spec.limit} characters", i)
        if option.casefold() in folded:
            raise Problem("repeats an earlier option", i)
        cleaned.append(option)
        folded.add(option.casefold())
    return tuple(cleaned)


# Each kind of value's check (Key.kind), but tables: their keys are the reader's to check.
CHECKS: dict[str, Callable[[Any, Key], Any]] = {
    "text": text,
    "url": url,
    "whole": whole,
    "date": date,
    "time": time,
    "instant": instant,
    "names": names,
    "digests": digests,
    "terms": terms,
    "options": options,
}
