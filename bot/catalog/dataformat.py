"""The data-file format as one table of keys: what the reader accepts, and data/schema.json.

The reader (bot/catalog/datafiles.py) checks every table against these key sets, so a typo is an
error rather than a silently ignored key, and json_schema() publishes the same sets for
editors (Taplo / Even Better TOML). A test keeps data/schema.json equal to json_schema().
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from ..i18n import _
from ..limits import (
    ACTOR,
    BUTTON_LABEL,
    IMDB_ID_MAX,
    NETWORK,
    POLL_OPTION_MAX,
    POLL_OPTIONS,
    POLL_QUESTION_MAX,
    SLUG_MAX,
    STATUS,
    STEM_MIN,
    SYNOPSIS,
    TERM_MIN,
    TITLE_MAX,
    URL_MAX,
)
from ..limits import ARTICLE as ARTICLE_MAX
from ..limits import LINKS as LINKS_MAX
from ..limits import TEXT as TEXT_MAX

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMDB_ID = re.compile(r"^tt\d+$")
URL = re.compile(r"^https?://\S+$")
TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODE = re.compile(r"^S(\d{1,4})E(\d{1,4})$")


@dataclass(frozen=True)
class Key:
    """One key of a table. `kind` picks the reader's check and the schema's shape."""

    # text, whole, date, time, instant (a moment with its offset), url, names, terms, options,
    # digests, table, tables
    kind: str
    about: str
    required: bool = False
    limit: int = TEXT_MAX  # characters, for text
    low: int = 0  # smallest value, for whole
    pattern: re.Pattern[str] | None = None  # for text
    shape: str = ""  # what the pattern asks for, in words
    table: str = ""  # the TABLES entry, for table and tables
    most: int | None = None  # most items, for tables


def _url(about: str, *, required: bool = False) -> Key:
    return Key("url", about, required=required, limit=URL_MAX)


_UPSTREAM = Key("digests", "Digests the importer keeps to spot upstream changes (opaque).")
_TVMAZE = Key("whole", "The TVmaze id.", low=1)

TABLES: dict[str, dict[str, Key]] = {
    "document": {
        "show": Key("table", "The show.", required=True, table="show"),
        "cast": Key("tables", "Show-wide cast, in billing order.", table="credit"),
        "episodes": Key("tables", "The episodes.", table="episode"),
        "specials": Key("tables", "Specials outside the season numbering.", table="special"),
    },
    "show": {
        "slug": Key(
            "text",
            "The show's stable id.",
            required=True,
            limit=SLUG_MAX,
            pattern=SLUG,
            shape="must be lowercase letters, digits and single dashes",
        ),
        "title": Key("text", "The show's title.", required=True, limit=TITLE_MAX),
        "genres": Key("names", "Genre names."),
        "runtime": Key("table", "Episode length in minutes.", table="runtime"),
        "links": Key("tables", "Link buttons.", table="link", most=LINKS_MAX),
        "tvmaze_id": _TVMAZE,
        "imdb_id": Key(
            "text",
            "The IMDb id.",
            limit=IMDB_ID_MAX,
            pattern=IMDB_ID,
            shape="must look like tt0123456",
        ),
        "network": Key("text", "The network or streaming service.", limit=NETWORK),
        "official_site": _url("The show's official site."),
        "image": _url("A poster image."),
        "status": Key("text", "Running, Ended, ...", limit=STATUS),
        "wikipedia": Key(
            "text",
            "The Wikipedia article listing the episodes, when the search finds the wrong one.",
            limit=ARTICLE_MAX,
        ),
        "upstream": _UPSTREAM,
    },
    "runtime": {
        "min": Key("whole", "Shortest episode, minutes.", low=1),
        "max": Key("whole", "Longest episode, minutes.", low=1),
    },
    "link": {
        # A link button's label holds at most 80 characters.
        "label": Key("text", "The button's label.", required=True, limit=BUTTON_LABEL),
        "url": _url("Where the button leads.", required=True),
    },
    "credit": {
        "actor": Key("text", "The actor.", required=True, limit=ACTOR),
        "character": Key("text", "The character they play.", limit=ACTOR),
    },
    "episode": {
        "season": Key("whole", "Season number.", required=True),
        "number": Key("whole", "Episode number in the season.", required=True),
        "title": Key("text", "The episode's title.", required=True, limit=TITLE_MAX),
        "synopsis": Key("text", "Spoiler-free set-up (absent: not written yet).", limit=SYNOPSIS),
        "recap": Key("text", "What happens; absent until written."),
        "ending": Key("text", "How it ends; absent until written."),
        "runtime": Key("whole", "Length in minutes.", low=1),
        "air_date": Key("date", "First aired, YYYY-MM-DD."),
        "air_time": Key("time", "First aired, HH:MM (24 h)."),
        "airs_at": Key(
            "instant",
            "The moment it first airs, with its offset (TVmaze's airstamp):"
            " 2026-01-05T02:00:00Z. Air-time threads open then.",
        ),
        "tvmaze_id": _TVMAZE,
        "was": Key(
            "text",
            "The episode's code before it was renumbered by hand (S1E3): it keeps its polls,"
            " threads and members' progress.",
            limit=11,
            pattern=CODE,
            shape='must be an episode code like "S1E3"',
        ),
        "image": _url("A still image."),
        "upstream": _UPSTREAM,
        "recap_source": Key(
            "table", "Where the recap's text came from, for its credit.", table="recap_source"
        ),
        "spoiler_terms": Key("terms", "Words that spoil this episode; `word*` for word forms."),
        "links": Key("tables", "Link buttons.", table="link", most=LINKS_MAX),
        "cast": Key("tables", "This episode's cast, in billing order.", table="credit"),
        "polls": Key("tables", "Preset discussion polls.", table="poll"),
    },
    "recap_source": {
        "site": Key(
            "text",
            "The site the recap was taken from.",
            required=True,
            limit=20,
            pattern=re.compile(r"^wikipedia$"),
            shape='must be "wikipedia" (the only source of recaps so far)',
        ),
        "article": Key("text", "The article's title.", required=True, limit=ARTICLE_MAX),
        "revision": Key("whole", "The article's revision id.", required=True, low=1),
    },
    "poll": {
        "question": Key("text", "The question.", required=True, limit=POLL_QUESTION_MAX),
        "options": Key("options", "2-10 answers.", required=True, limit=POLL_OPTION_MAX),
    },
    "special": {
        "title": Key("text", "The special's title.", required=True, limit=TITLE_MAX),
        "tvmaze_id": _TVMAZE,
        "air_date": Key("date", "First aired, YYYY-MM-DD."),
        "air_time": Key("time", "First aired, HH:MM (24 h)."),
        "runtime": Key("whole", "Length in minutes.", low=1),
        "synopsis": Key("text", "Spoiler-free set-up.", limit=SYNOPSIS),
        "image": _url("A still image."),
        "upstream": _UPSTREAM,
    },
}


def _headers() -> dict[str, Key]:
    """Every table's dotted path as a TOML header writes it ("episodes.polls"), with its key."""
    out: dict[str, Key] = {}

    def walk(name: str, path: str) -> None:
        for key, spec in TABLES[name].items():
            if spec.kind in {"table", "tables"}:
                child = f"{path}.{key}" if path else key
                out[child] = spec
                walk(spec.table, child)

    walk("document", "")
    return out


HEADERS = _headers()


def _spelled(path: str, key: str, spec: Key) -> str:
    """How a key is written: arrays of tables and top-level tables as their header."""
    full = f"{path}.{key}" if path else key
    if spec.kind == "tables":
        return f"[[{full}]]"
    if spec.kind == "table" and not path:
        return f"[{full}]"
    return f"`{key}`"


def suggestion(table: str, path: str, key: str) -> str:
    """ "; did you mean `air_date`?" for an unknown key: a near miss in the same table, or the
    place a misplaced table belongs ([[show.cast]] is [[cast]]). Empty when nothing fits."""
    known = TABLES[table]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
    if close:
        return f"; did you mean {_spelled(path, close[0], known[close[0]])}?"
    here = f"{path}.{key}" if path else key
    elsewhere = sorted((p for p in HEADERS if p.rsplit(".", 1)[-1] == key and p != here), key=len)
    if elsewhere:
        parent, _, name = elsewhere[0].rpartition(".")
        return f"; did you mean {_spelled(parent, name, HEADERS[elsewhere[0]])}?"
    return ""


def json_schema() -> dict[str, Any]:
    """The format as a JSON Schema (draft 2020-12) of the TOML document, dates as strings."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Watchparty show data file",
        "description": "One TOML file per show under data/; see data/README.md.",
        **_object("document"),
        "$defs": {name: _object(name) for name in TABLES if name != "document"},
    }


def _object(name: str) -> dict[str, Any]:
    keys = TABLES[name]
    out: dict[str, Any] = {
        "type": "object",
        "properties": {key: _property(spec) for key, spec in keys.items()},
        "additionalProperties": False,
    }
    required = [key for key, spec in keys.items() if spec.required]
    if required:
        out["required"] = required
    return out


def _property(spec: Key) -> dict[str, Any]:
    text = {"type": "string", "minLength": 1, "maxLength": spec.limit}
    shapes: dict[str, dict[str, Any]] = {
        "text": {**text, "pattern": spec.pattern.pattern if spec.pattern else r"\S"},
        "whole": {"type": "integer", "minimum": spec.low},
        "date": {"type": "string", "format": "date", "pattern": DATE.pattern},
        "time": {"type": "string", "pattern": TIME.pattern},
        # A TOML offset date-time; Taplo checks it as an RFC 3339 string.
        "instant": {"type": "string", "format": "date-time"},
        "url": {**text, "format": "uri", "pattern": URL.pattern},
        "names": {"type": "array", "items": {"type": "string", "pattern": r"\S"}},
        "terms": {"type": "array", "items": {"type": "string", "pattern": r"^[^*]*\w[^*]*\*?$"}},
        "options": {
            "type": "array",
            "items": {**text, "pattern": r"\S"},
            "minItems": POLL_OPTIONS[0],
            "maxItems": POLL_OPTIONS[1],
        },
        "digests": {"type": "object", "additionalProperties": {"type": "string"}},
        "table": {"$ref": f"#/$defs/{spec.table}"},
        "tables": {"type": "array", "items": {"$ref": f"#/$defs/{spec.table}"}},
    }
    out = {"description": spec.about, **shapes[spec.kind]}
    if spec.most is not None:
        out["maxItems"] = spec.most
    return out


# Terms made only of these would hide ordinary messages. A short list of the most common
# English function words, not a full stop-word corpus: names and plot words stay allowed.
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    even ever every few for from further had has have having he her here hers herself him
    himself his how i if in into is it its itself just let me more most my myself no nor
    not now of off on once one only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they
    this those through to too under until up us very was we were what when where which
    while who whom why will with would you your yours yourself yourselves yes yeah ok okay
    oh get got go going gone like really still well much many make made know
    see seen say said think thing things way back new old good bad big little right left
    time day week episode season show watch watched
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


_WORDS = re.compile(r"[\w']+")
# Not a letter or digit: \w is exactly str.isalnum() and the underscore (the re module's docs).
_NOT_ALNUM = re.compile(r"[\W_]+")

# A large import checks ~600,000 terms: each test below takes a C call or two for the usual
# term (a word, a name, a stem, a short phrase), and the general way only for the rest.


def _letters(text: str) -> int:
    """How many of `text`'s characters are letters or digits (str.isalnum)."""
    bare = text.replace(" ", "")
    return len(bare) if bare.isalnum() else len(_NOT_ALNUM.sub("", bare))


def _common_words_only(stem: str) -> bool:
    # Letters and digits between single spaces and apostrophes: the regex's words are the
    # space-separated ones.
    plain = stem.replace(" ", "").replace("'", "").isalnum()
    words = stem.split() if plain else _WORDS.findall(stem)
    if "'" in stem:
        words = [word.strip("'") for word in words]
    return STOP_WORDS.issuperset(words)


def term_problem(term: str) -> str | None:
    """Why a normalised spoiler term would misfire, or None when it is fine."""
    stem = term.removesuffix("*")
    # Each reads after the term ("“x” is too short …"): a file's error, or an editor's reply.
    if "*" in stem:
        return _("may have a `*` only at its very end")
    if _letters(stem) < TERM_MIN:
        return _("is too short (at least {count} letters)").format(count=TERM_MIN)
    if _common_words_only(stem):
        return _("is only common words, so it would hide ordinary messages")
    if term.endswith("*"):
        last = "" if stem != stem.rstrip() else stem.split()[-1]
        if _letters(last) < STEM_MIN:
            return _("needs at least {count} letters before its `*`").format(count=STEM_MIN)
    return None
