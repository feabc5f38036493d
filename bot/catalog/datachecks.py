"""Each kind of value a data file holds, checked: text, whole numbers, dates, spoiler terms ...

A check takes the value and its Key (bot/catalog/dataformat.py) and returns what the reader
keeps, or raises Problem with the sentence the error shows. It does not know where the value
is: the reader (datafiles.py) adds that only when a check fails, so reading a 20,000-episode
file does not spell out the place of each of its million values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from .. import limits
from ..spoiler_terms import normal_term
from .dataformat import DATE, STOP_WORDS, TIME, Key, term_problem


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


# An address urlparse surely finds http(s) with a host: ASCII (no host to normalise), no
# bracket (no IPv6 host to check) nor tab or line break (which urlparse would remove first).
_PLAIN_URL = re.compile(r"https?://[^/?#\[\]\t\r\n]+(?:[/?#][^\t\r\n]*)?")


def url(value: Any, spec: Key) -> str:
    address = text(value, spec)
    if address.isascii() and _PLAIN_URL.fullmatch(address):
        return address  # a file's every link: a regex, not urlparse's many steps
    try:
        parsed = urlparse(address)
    except ValueError:  # a bracketed host that is no IPv6 address: "https://[::1/"
        raise Problem("must be an http(s) address") from None
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
    if not _all_text(value):
        raise Problem("must be a list of names")
    return tuple(v.strip() for v in value)


def digests(value: Any, spec: Key) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Problem('must be a table of text values, like { episode = "..." }')
    return value


def _all_text(value: Any) -> bool:
    """A list of strings none of them blank. (str.strip in C for each: a term list is long
    and one file has thousands; it refuses a value that is not a str with a TypeError.)"""
    try:
        return isinstance(value, list) and all(map(str.strip, value))
    except TypeError:
        return False


def terms(value: Any, spec: Key) -> tuple[str, ...]:
    if not _all_text(value):
        raise Problem("must be a list of words or phrases")
    normals = _plain_terms(value)
    if normals is None:
        normals = _each_term(value)
    return tuple(sorted(set(normals)))  # spellings that normalise alike are one term


def _each_term(value: list[str]) -> list[str]:
    """The terms normalised, one by one; raises the first one's problem."""
    found: list[str] = []
    for i, normal in enumerate(map(normal_term, value)):
        problem = term_problem(normal)
        if problem:
            raise Problem(f"“{value[i].strip()}” {problem}", i)
        found.append(normal)
    return found


# A term term_problem surely finds fine, normalised: words of letters and digits (maybe joined
# by single hyphens or apostrophes, as in names) one space apart, with at least TERM_MIN of
# those letters and digits, and a `*` only right after STEM_MIN of them.
_ALNUM = r"[^\W_]"  # \w is exactly str.isalnum() and the underscore (the re module's docs)
_PLAIN_WORD = rf"{_ALNUM}+(?:['\-]{_ALNUM}+)*"
_PLAIN_TERM = (
    rf"(?=(?:{_ALNUM}[ '\-]?){{{limits.TERM_MIN}}})"
    rf"{_PLAIN_WORD}(?: {_PLAIN_WORD})*"
    rf"(?:(?<={_ALNUM}{{{limits.STEM_MIN}}})\*)?"
)
_PLAIN_TERMS = re.compile(rf"{_PLAIN_TERM}(?:\x00{_PLAIN_TERM})*")


def _plain_terms(value: list[str]) -> list[str] | None:
    """The terms normalised when each is plainly fine, or None: then `_each_term` decides.

    A large import checks ~600,000 terms; one by one, that was a third of its parsing. Here a
    list takes a few C calls: normalised together (NUL-separated: no term may hold one, so the
    count of pieces proves it), matched by one regex, and term_problem's common words looked
    for in all its words at once (a term holding none is not only common words).
    """
    joined = normal_term("\x00".join(value))
    if joined.count("\x00") != len(value) - 1 or not _PLAIN_TERMS.fullmatch(joined):
        return None
    normals = joined.split("\x00")
    if not STOP_WORDS.isdisjoint(_words(joined)) and any(
        STOP_WORDS.issuperset(_words(normal)) for normal in normals
    ):
        return None
    return normals


def _words(plain: str) -> list[str]:
    r"""term_problem's words (the regex [\w']+) of plain terms: what spaces and hyphens part."""
    return plain.replace("*", "").replace("-", " ").replace("\x00", " ").split(" ")


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
