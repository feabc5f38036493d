"""Episode content as a modal's text inputs show it, and what members type read back.

Pure: no Discord, no store. The rules are the data format's (bot/catalog/dataformat.py), so
whatever a member saves in Discord exports to a file the strict reader accepts.
"""

from __future__ import annotations

from . import limits
from .catalog.dataformat import term_problem
from .errors import UserError
from .i18n import _
from .models import ContentField, FieldValue, PresetPoll
from .render.authoring import FIELD_NAMES
from .render.text import escape, split_pages
from .spoiler_terms import normal_term

# Parts of a long recap or ending are joined with a blank line between them.
PART_JOINER = "\n\n"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n")]


def _text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def inputs_for(field: ContentField, value: FieldValue) -> list[str]:
    """The text inputs' prefilled values for `field` holding `value` (one per input)."""
    if field is ContentField.POLLS:
        polls = [p for p in value if isinstance(p, PresetPoll)]
        if len(polls) > limits.EDITED_POLLS:
            raise UserError(
                _(
                    "This episode has {count} preset polls and the editor holds {most}: edit "
                    "them in its data file."
                ).format(count=len(polls), most=limits.EDITED_POLLS)
            )
        return ["\n".join((p.question, *p.options)) for p in polls]
    if field is ContentField.SPOILER_TERMS:
        text = "\n".join(t for t in value if isinstance(t, str))
        if len(text) > limits.INPUT_TEXT:
            raise UserError(
                _("This episode's spoiler terms are too many to edit here: use its file.")
            )
        return [text] if text else []
    assert isinstance(value, str)
    if not value:
        return []
    if field is ContentField.SYNOPSIS:
        return [value]
    parts = split_pages(value, limits.INPUT_TEXT)
    if len(parts) > limits.TEXT_PARTS:
        # Paragraph breaks left some parts short: fill each input to the brim instead.
        flat = value.replace("\n\n", "\n")
        parts = [flat[i : i + limits.INPUT_TEXT] for i in range(0, len(flat), limits.INPUT_TEXT)]
    return parts[: limits.TEXT_PARTS]


def parse(field: ContentField, inputs: list[str]) -> FieldValue:
    """What the member typed, as the field's value; a UserError says what to fix."""
    if field is ContentField.POLLS:
        return tuple(_poll(n, text) for n, text in enumerate(inputs, 1) if _text(text))
    if field is ContentField.SPOILER_TERMS:
        return _terms("\n".join(inputs))
    text = PART_JOINER.join(part for part in map(_text, inputs) if part)
    most = limits.SYNOPSIS if field is ContentField.SYNOPSIS else limits.TEXT
    if len(text) > most:
        raise UserError(
            _("The {field} is {length} characters long: at most {most} fit.").format(
                field=_(FIELD_NAMES[field]), length=f"{len(text):,}", most=f"{most:,}"
            )
        )
    return text


def _terms(text: str) -> tuple[str, ...]:
    terms: set[str] = set()
    for n, line in enumerate(_lines(text), 1):
        if not line:
            continue
        term = normal_term(line)
        problem = term_problem(term)
        if problem:
            raise UserError(
                _("Line {n}: “{line}” {problem}.").format(
                    n=n, line=escape(line[:100]), problem=problem
                )
            )
        terms.add(term)  # spellings that normalise alike are one term, as in a data file
    return tuple(sorted(terms))


def _poll(n: int, text: str) -> PresetPoll:
    question, *options = [line for line in _lines(text) if line]
    low, high = limits.POLL_OPTIONS
    if len(question) > limits.POLL_QUESTION_MAX:
        raise UserError(
            _("Poll {n}: the question holds at most {limit} characters.").format(
                n=n, limit=limits.POLL_QUESTION_MAX
            )
        )
    if not low <= len(options) <= high:
        raise UserError(
            _(
                "Poll {n}: put the question on the first line, then {low} to {high} options, "
                "one per line."
            ).format(n=n, low=low, high=high)
        )
    seen: set[str] = set()
    for option in options:
        if len(option) > limits.POLL_OPTION_MAX:
            raise UserError(
                _("Poll {n}: “{option}” is longer than {limit} characters.").format(
                    n=n, option=escape(option[:60]), limit=limits.POLL_OPTION_MAX
                )
            )
        if option.casefold() in seen:
            raise UserError(
                _("Poll {n}: “{option}” is there twice.").format(n=n, option=escape(option[:60]))
            )
        seen.add(option.casefold())
    return PresetPoll(question, tuple(options))
