"""The one seam between SQLite's SQL, which the query classes are written in, and PostgreSQL's.

Most statements run on both as written: `translate` turns `?` and `:name` into `$n` and LIKE
into ILIKE (SQLite's ignores the case of ASCII letters), and
PostgreSQL's schema defines what else SQLite has built in (a `nocase` collation, `instr`, a
two-argument `max`, `json_each` over a JSON list of ids). Where a statement must differ, its
module writes both next to each other with `both(sqlite=..., postgresql=...)`: the SQLite text
is what the code passes, and PostgreSQL runs the other one in its place.
"""

from __future__ import annotations

import functools
import re

# SQLite text -> PostgreSQL text, filled by `both` at import time of each query module.
_ALTERNATIVES: dict[str, str] = {}

# A string literal, a quoted name, or a placeholder: literals are skipped whole so a '?'
# inside one is never taken for a parameter.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|(?<!:):([A-Za-z_]\w*)")
_OR_IGNORE = re.compile(r"\bINSERT OR IGNORE INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\sRETURNING\s", re.IGNORECASE)
# SQLite's json_each(?) over a JSON list of ids: PostgreSQL's schema has json_ids(text).
_JSON_EACH = re.compile(r"\bjson_each\(\?\)")


# SQLite's `x IS ?` compares NULL-safely; PostgreSQL's IS takes only NULL, TRUE and FALSE.
_IS_NOT_PARAM = re.compile(r"\bIS NOT (\?|:\w+)")
_IS_PARAM = re.compile(r"\bIS (\?|:\w+)")


# SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's does not, its ILIKE does.
_LIKE = re.compile(r"\bLIKE\b")


# `? IS NULL` alone gives PostgreSQL no type for the parameter; every such test in the query
# classes is of an integer (a season, a show id). Test text with a named parameter that is
# also compared with a column, which gives it its type.
_NULL_TEST = re.compile(r"(?<![\w)])\? IS NULL")


def both(*, sqlite: str, postgresql: str) -> str:
    """The SQLite statement, with `postgresql` registered to run in its place there."""
    _ALTERNATIVES[sqlite] = postgresql
    return sqlite


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> tuple[str, tuple[str, ...] | None]:
    """PostgreSQL's text for a statement, and the parameter names in `$n` order when it uses
    `:name` placeholders (None: positional `?`). Cached: the same few hundred strings recur."""
    sql = _ALTERNATIVES.get(sql, sql)
    sql = _JSON_EACH.sub("json_ids(?)", sql)
    sql = _NULL_TEST.sub("CAST(? AS BIGINT) IS NULL", sql)
    sql = _IS_NOT_PARAM.sub(r"IS DISTINCT FROM \1", sql)
    sql = _IS_PARAM.sub(r"IS NOT DISTINCT FROM \1", sql)
    sql = _LIKE.sub("ILIKE", sql)
    if _OR_IGNORE.search(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql)
        returning = _RETURNING.search(sql)
        at = returning.start() if returning else len(sql.rstrip().rstrip(";"))
        sql = f"{sql[:at]} ON CONFLICT DO NOTHING{sql[at:]}"
    names: list[str] = []
    counter = 0

    def number(match: re.Match[str]) -> str:
        nonlocal counter
        token = match.group(0)
        if token == "?":
            counter += 1
            return f"${counter}"
        name = match.group(1)
        if name is None:
            return token  # a literal or a quoted name
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    sql = _TOKENS.sub(number, sql)
    return sql, (tuple(names) if names else None)


def arguments(names: tuple[str, ...] | None, params: tuple | list | dict) -> list:
    """The bound values in `$n` order."""
    if names is None:
        if isinstance(params, dict):
            raise TypeError("named parameters given to a statement with '?' placeholders")
        values = list(params)
    elif not isinstance(params, dict):
        raise TypeError("a statement with :name placeholders needs a dict of parameters")
    else:
        values = [params[name] for name in names]
    return [_text(value) for value in values]


def _text(value: object) -> object:
    # PostgreSQL's text cannot hold NUL, which SQLite's can (a pasted control character in a
    # recap): it becomes U+FFFD, the replacement character, rather than a failed save.
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value
