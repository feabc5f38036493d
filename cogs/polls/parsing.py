"""Reading what a member typed into /poll create."""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import _
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
            _(
                "Your question is too long: a poll question holds up to {limit} characters and "
                "yours has {length} (an accent or an emoji can count as more than one). "
                "Shorten it and try again."
            ).format(limit=POLL_QUESTION_MAX, length=len(question))
        )
    return question


def check_poll_text(question: str, options: tuple[str, ...]) -> None:
    """Refuse, before anything is written, a poll the store's constraints would refuse."""
    parse_question(question)
    if not question.strip():
        raise UserError(_("The question is empty: type something people can read."))
    low, high = POLL_OPTIONS
    if not low <= len(options) <= high:
        raise UserError(
            _("A poll needs {low} to {high} options (this one has {count}).").format(
                low=low, high=high, count=len(options)
            )
        )
    for option in options:
        if not option.strip() or len(option) > POLL_OPTION_MAX:
            raise UserError(
                _(
                    "“{option}” can't be a poll option: options hold 1 to {limit} characters."
                ).format(option=escape(one_line(option, 40)), limit=POLL_OPTION_MAX)
            )


def parse_options(text: str) -> tuple[str, ...]:
    """Options separated by `;` or `|` (or commas when neither is used): 2 to 10, distinct."""
    separator = ";" if ";" in text else "|" if "|" in text else ","
    options = [" ".join(part.split()) for part in text.split(separator)]
    low, high = POLL_OPTIONS
    if any(is_blank(option) for option in options):
        raise UserError(
            _(
                "One of the options is empty. Separate options with `{separator}`, "
                "like `Yes; No; Not sure`."
            ).format(separator=separator)
        )
    if not low <= len(options) <= high:
        raise UserError(
            _("A poll needs {low} to {high} options, separated by `;` (you gave {count}).").format(
                low=low, high=high, count=len(options)
            )
        )
    for option in options:
        if len(option) > POLL_OPTION_MAX:
            raise UserError(
                _("“{option}” is too long: options hold up to {limit} characters.").format(
                    option=escape(one_line(option, 40)), limit=POLL_OPTION_MAX
                )
            )
    seen: set[str] = set()
    for option in options:
        if option.casefold() in seen:
            raise UserError(
                _("“{option}” is listed twice: each option must be different.").format(
                    option=escape(option)
                )
            )
        seen.add(option.casefold())
    return tuple(options)


def parse_duration(text: str | None) -> int:
    """Seconds from "90m", "2h", "1h30m", "3d", "45s" or a bare number of minutes."""
    if text is None or not text.strip():
        return DEFAULT_SECONDS
    total = parse_span(text)
    if total is None:
        raise UserError(
            _("I can't read “{text}” as a duration: try `30m`, `2h` or `1d`.").format(
                text=escape(one_line(text, 30))
            )
        )
    if total < MIN_SECONDS:
        raise UserError(
            _("A poll needs to stay open for at least {seconds} seconds.").format(
                seconds=MIN_SECONDS
            )
        )
    if total > MAX_SECONDS:
        raise UserError(_("A poll can stay open for 7 days at most."))
    return total
