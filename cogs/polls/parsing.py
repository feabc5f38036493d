"""Reading what a member typed into /poll create."""

from __future__ import annotations

from bot.errors import UserError
from bot.limits import POLL_OPTION_MAX, POLL_OPTIONS, POLL_SECONDS
from bot.render.text import escape, one_line

from ..utils.text import is_blank
from ..utils.times import parse_span

DEFAULT_SECONDS = 24 * 3600
MIN_SECONDS, MAX_SECONDS = POLL_SECONDS


def parse_options(text: str) -> tuple[str, ...]:
    """Options separated by `;` or `|` (or commas when neither is used): 2 to 10, distinct."""
    separator = ";" if ";" in text else "|" if "|" in text else ","
    options = [" ".join(part.split()) for part in text.split(separator)]
    low, high = POLL_OPTIONS
    if any(is_blank(option) for option in options):
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
    """Seconds from "90m", "2h", "1h30m", "3d", "45s" or a bare number of minutes."""
    if text is None or not text.strip():
        return DEFAULT_SECONDS
    total = parse_span(text)
    if total is None:
        raise UserError(
            f"I can't read “{escape(one_line(text, 30))}” as a duration: try `30m`, `2h` or `1d`."
        )
    if total < MIN_SECONDS:
        raise UserError(f"A poll needs to stay open for at least {MIN_SECONDS} seconds.")
    if total > MAX_SECONDS:
        raise UserError("A poll can stay open for 7 days at most.")
    return total
