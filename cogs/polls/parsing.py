"""Reading what a member typed into /poll create."""

from __future__ import annotations

from bot.errors import UserError
from bot.limits import POLL_OPTION_MAX, POLL_OPTIONS, POLL_QUESTION_MAX, POLL_SECONDS
from bot.render.text import escape, one_line

from ..utils.text import is_blank
from ..utils.times import parse_span

DEFAULT_SECONDS = 24 * 3600
MIN_SECONDS, MAX_SECONDS = POLL_SECONDS


def parse_question(text: str) -> str:
    """The question with its whitespace folded, refused when over the limit.

    Discord checks an option's `max_length` in its own way (and a client can be made to skip
    it); the store's CHECK counts characters as Python does, so the bot counts for itself.
    """
    question = " ".join(text.split())
    if len(question) > POLL_QUESTION_MAX:
        raise UserError(
            f"Your question is too long: a poll question holds up to {POLL_QUESTION_MAX} "
            f"characters and yours has {len(question)} (an accent or an emoji can count as "
            "more than one). Shorten it and try again."
        )
    return question


def check_poll_text(question: str, options: tuple[str, ...]) -> None:
    """Refuse, before anything is written, a poll the store's constraints would refuse."""
    parse_question(question)
    if not question.strip():
        raise UserError("The question is empty: type something people can read.")
    low, high = POLL_OPTIONS
    if not low <= len(options) <= high:
        raise UserError(f"A poll needs {low} to {high} options (this one has {len(options)}).")
    for option in options:
        if not option.strip() or len(option) > POLL_OPTION_MAX:
            raise UserError(
                f"“{escape(one_line(option, 40))}” can't be a poll option: options hold 1 to "
                f"{POLL_OPTION_MAX} characters."
            )


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
