"""/help in the member's language: each command by the name Discord shows them, and each
example with its option names, choices and example words translated (show titles are data and
stay as they are).

Names come from the same catalogue entries the command Translator gives Discord
(`bot.i18n.translate_command_text`), so /help never names a command differently from the
member's own command list.
"""

from __future__ import annotations

import re

from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.i18n import N_, _

AppCommand = app_commands.Command[commands.Cog, ..., None]
Location = app_commands.TranslationContextLocation

# The example values that are words rather than data: questions, options, notes, channel and
# role names. Titles, codes, numbers, durations and times stay as written (the time and
# duration parsers read English words).
EXAMPLE_WORDS = frozenset(
    {
        N_("Is Ed sympathetic to the workers?"),
        N_("Yes; No; A bit of both"),
        N_("Short seasons"),
        N_("#episode-talk"),
        N_("#announcements"),
        N_("#mod-log"),
        N_("#new-episodes"),
        N_("#episodes"),
        N_("#general"),
        N_("@Watchers"),
        N_("@Writers"),
        N_("@Hosts"),
    }
)


def _translated(text: str, location: Location, qualified_name: str = "") -> str:
    lang = i18n.current()
    if lang is None:
        return text
    return i18n.translate_command_text(text, lang, location, qualified_name) or text


def command_name(command: AppCommand) -> str:
    """ "poll create" as the member's Discord shows it ("sondage créer")."""
    chain: list[AppCommand | app_commands.Group] = []
    node: AppCommand | app_commands.Group | None = command
    while node is not None:
        chain.append(node)
        node = node.parent
    parts = [
        _translated(
            node.name,
            Location.group_name if isinstance(node, app_commands.Group) else Location.command_name,
            node.qualified_name,
        )
        for node in reversed(chain)
    ]
    return " ".join(parts)


def _value(parameter: app_commands.Parameter, value: str) -> str:
    for choice in parameter.choices:
        if value in (str(choice.value), choice.name):
            return _translated(choice.name, Location.choice_name)
    return _(value) if value in EXAMPLE_WORDS else value


def example(command: AppCommand) -> str:
    """The command's example (`extras["example"]`, "/poll create question:…") as the member
    would type it in their language."""
    written = str(command.extras.get("example", f"/{command.qualified_name}"))
    tail = written.removeprefix(f"/{command.qualified_name}")
    by_name = {p.display_name: p for p in command.parameters}
    if i18n.current() is None or not by_name or not tail.strip():
        return f"/{command_name(command)}{tail}"
    names = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    # "show:For All Mankind episode:S4E6" → ["", "show", "For All Mankind", "episode", "S4E6"]
    pieces = re.split(rf"(?:^|\s)({names}):", tail.strip())
    words = [f"/{command_name(command)}", pieces[0].strip()]
    for name, value in zip(pieces[1::2], pieces[2::2], strict=True):
        parameter = by_name[name]
        shown = _translated(parameter.display_name, Location.parameter_name)
        words.append(f"{shown}:{_value(parameter, value.strip())}")
    return " ".join(word for word in words if word)
