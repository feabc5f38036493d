"""Reading what a member typed into /poll create."""

from __future__ import annotations

import re

from bot.datafiles import POLL_OPTION_MAX, POLL_OPTIONS
from bot.errors import UserError
from bot.render.text import escape, one_line

DEFAULT_MINUTES = 24 * 60
MAX_MINUTES = 7 * 24 * 60
_DURATION = re.compile(r"(\d+)\s*(d|h|m|min|mins|minutes?|hours?|days?)?", re.I)
_UNIT_MINUTES = {"d": 1440, "h": 60, "m": 1}


def parse_options(text: str) -> tuple[str, ...]:
    """Options separated by `;` or `|` (or commas when neither is used): 2 to 10, distinct."""
    separator = ";" if ";" in text else "|" if "|" in text else ","
    options = [" ".join(part.split()) for part in text.split(separator)]
    low, high = POLL_OPTIONS
    if any(not option for option in options):
        raise UserError(
            f"One of the options is empty. Separate options with `{separator}`, like `Yes; No; Not sure`."
        )
    if not low <= len(options) <= high:
        raise UserError(
            f"A poll needs {low} to {high} options, separated by `;` (you gave {len(options)})."
        )
    for option in options:
        if len(option) > POLL_OPTION_MAX:
            raise UserError(
                f"“{escape(one_line(option, 40))}” is too long: options hold up to {POLL_OPTION_MAX} characters."
            )
    seen: set[str] = set()
    for option in options:
        if option.casefold() in seen:
            raise UserError(f"“{escape(option)}” is listed twice: each option must be different.")
        seen.add(option.casefold())
    return tuple(options)


def parse_duration(text: str | None) -> int:
    """Minutes from "90m", "2h", "1h30m", "3d" or a bare number of minutes."""
    if text is None or not text.strip():
        return DEFAULT_MINUTES
    cleaned = text.strip().lower().replace(" ", "")
    total, end = 0, 0
    for match in _DURATION.finditer(cleaned):
        if match.start() != end:
            break
        unit = (match.group(2) or "m")[0]
        total += int(match.group(1)) * _UNIT_MINUTES[unit]
        end = match.end()
    if end != len(cleaned) or total <= 0:
        raise UserError(
            f"I can't read “{escape(one_line(text, 30))}” as a duration: try `30m`, `2h` or `1d`."
        )
    if total > MAX_MINUTES:
        raise UserError("A poll can stay open for 7 days at most.")
    return total
