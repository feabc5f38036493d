"""What an import works out from a parsed data file alone, before it reads the store.

A large import does this in its parsing processes (bot/catalog/parsers.py), beside the
parsing, so the process that writes only writes. The casts leave those processes as JSON
text, one list per cast, rather than as `Credit` models: a 20,000-episode catalog has about
450,000 cast lines, and unpickling them one object each held the writing process's GIL (and
so its database thread) for seconds. SQLite's json_each and PostgreSQL's
json_array_elements turn each list into rows (catalog_import.py).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from ..models import Credit, ShowFile
from .edits import entry_digest

_ACTOR_AND_CHARACTER = attrgetter("actor", "character")
# json.dumps builds an encoder per call; ensure_ascii=False keeps names as they are written.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))


@dataclass(frozen=True)
class Prepared:
    """What follows from one parsed file alone."""

    digests: tuple[str, ...]  # each episode entry's entry_digest, in the file's order
    # The file's credit names with their uses, grouped as catalog_names' UNIQUE groups them
    # (any ASCII case), one spelling of each group: what names_of_credits counts for a show
    # new to the store.
    names: tuple[tuple[str, int], ...]
    # Each episode entry's cast in the file's order, then the show-wide cast: a JSON list of
    # [actor, character] (character null when none), billing order = list order.
    casts: tuple[str, ...] = ()

    def cast_of(self, entry: int | None) -> str:
        """The JSON cast of episode entry `entry`, or the show-wide one (None)."""
        return self.casts[-1 if entry is None else entry]


def prepare(data: ShowFile) -> Prepared:
    # Each spelling counted first (in C: a show's names recur in most of its episodes), then
    # only the distinct ones folded, each group keeping its least spelling and its total. The
    # Counter keeps the first of equal spellings, the one min() kept.
    credits = chain.from_iterable((data.cast, *(item.cast for item in data.episodes)))
    uses = Counter(chain.from_iterable(map(_ACTOR_AND_CHARACTER, credits)))
    groups: dict[str, tuple[str, int]] = {}
    for name, count in uses.items():
        if name:
            folded = name.lower() if name.isascii() else _nocase(name)
            if folded in groups:
                spelled, total = groups[folded]
                count, name = count + total, min(spelled, name)
            groups[folded] = (name, count)
    casts = (*(item.cast for item in data.episodes), data.cast)
    return Prepared(
        tuple(entry_digest(item) for item in data.episodes),
        tuple(sorted(groups.values())),
        tuple(map(cast_json, casts)),
    )


def cast_json(cast: Iterable[Credit]) -> str:
    return _ENCODER.encode(list(map(_ACTOR_AND_CHARACTER, cast)))


def without_casts(data: ShowFile) -> ShowFile:
    """`data` with its casts left out, once `prepare` has them: what a parsing process sends."""
    return dataclasses.replace(
        data,
        cast=(),
        episodes=tuple(dataclasses.replace(item, cast=()) for item in data.episodes),
    )


def _nocase(name: str) -> str:
    """SQLite's NOCASE fold (the key catalog_names' UNIQUE compares names by) of a name not all
    ASCII: its ASCII letters lowered, the others kept. bytes.lower() lowers only those, which
    UTF-8 spells as their own bytes; str.translate did the same, looking up every character."""
    return name.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
