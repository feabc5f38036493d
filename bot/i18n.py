"""Replies and commands in the member's language, from gettext catalogues (bot/locales/).

English is the source language: a msgid is the English text itself, so English output is the
code's own string, unchanged. Other languages come from `watchparty.po` catalogues that Babel
extracts, updates and compiles (`make messages`; the build compiles them to `.mo`).

Which language: the member's `locale` for what they alone see, the server's `guild_locale`
for what the channel sees (`with public():`), the server's preferred locale for what no
interaction causes (`with using(guild.preferred_locale):`). The interaction's locales are set
once, where discord.py parses it (`watch_interactions`), so every cog reads them unchanged.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import hashlib
import logging
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)

DOMAIN = "watchparty"
LOCALES = Path(__file__).parent / "locales"
# The languages shipped beside English; each must translate every message (tests/test_i18n.py).
SHIPPED = ("fr", "de")
# pgettext contexts of command and group names, and of option names: Discord's naming rule
# (lowercase, no spaces, 32 characters) applies to them, not to the same English word in a
# reply; and "show" names a subcommand (display) and an option (a TV series).
NAME_CONTEXT = "command name"
OPTION_CONTEXT = "option name"
# Subcommands whose English name means something else than elsewhere ("/follow show" follows a
# show; "/progress show" displays): each gets a context of its own, "command name: /follow show".
OWN_CONTEXT = frozenset({"follow show"})


def name_context(qualified_name: str) -> str:
    """The pgettext context of a command's name."""
    own = qualified_name in OWN_CONTEXT
    return f"{NAME_CONTEXT}: /{qualified_name}" if own else NAME_CONTEXT


_member: contextvars.ContextVar[str | None] = contextvars.ContextVar("member_locale", default=None)
_guild: contextvars.ContextVar[str | None] = contextvars.ContextVar("guild_locale", default=None)


def language(locale: str | discord.Locale | None) -> str | None:
    """The shipped catalogue for a Discord locale ("fr", "de", "en-US"), or None (English)."""
    if locale is None:
        return None
    code = str(locale.value if isinstance(locale, discord.Locale) else locale)
    base = code.split("-")[0].lower()
    return base if base in SHIPPED else None


@cache
def catalogue(lang: str | None) -> gettext.NullTranslations:
    """The compiled catalogue of a shipped language; English (no catalogue) is the msgid."""
    if lang is None:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALES, languages=[lang])
    except FileNotFoundError:
        # An install that skipped the build's compile step: English, said once.
        log.warning(
            "No compiled %s catalogue in %s (run `make`); replying in English", lang, LOCALES
        )
        return gettext.NullTranslations()


def current() -> str | None:
    """The language replies are written in now (None: English)."""
    return _member.get()


def _(message: str) -> str:
    """`message` in the current language."""
    return catalogue(_member.get()).gettext(message)


def N_(message: str) -> str:
    """Mark `message` for extraction only: a constant translated where it is used, `_(NAME)`."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return catalogue(_member.get()).ngettext(singular, plural, count)


@contextlib.contextmanager
def using(locale: str | discord.Locale | None) -> Iterator[None]:
    """Write in `locale`'s language inside the block (a timer's message: the server's)."""
    token = _member.set(language(locale))
    try:
        yield
    finally:
        _member.reset(token)


@contextlib.contextmanager
def public() -> Iterator[None]:
    """Write what the whole channel reads in the server's language, not the member's."""
    token = _member.set(_guild.get())
    try:
        yield
    finally:
        _member.reset(token)


def server(guild: discord.Guild | None) -> contextlib.AbstractContextManager[None]:
    """Write in a server's preferred language: what a timer posts, with no interaction."""
    return using(guild.preferred_locale if guild is not None else None)


def watch_interactions(connection: Any) -> None:
    """Run each interaction's handlers with its locales set.

    discord.py starts a command, button or modal handler as a task from inside its
    INTERACTION_CREATE parser; a task copies the context it was made in, so running the parser
    in a fresh context with the two locales set gives every handler its interaction's language
    and leaks it to nothing else. (A tree `interaction_check` would miss buttons and modals.)
    """
    parsers: dict[str, Callable[[Any], None]] = connection.parsers
    original = parsers["INTERACTION_CREATE"]

    def parse(data: dict[str, Any]) -> None:
        def run() -> None:
            _member.set(language(data.get("locale")))
            _guild.set(language(data.get("guild_locale")))
            original(data)

        contextvars.copy_context().run(run)

    parsers["INTERACTION_CREATE"] = parse


NAME_LOCATIONS = (
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
)


def translate_command_text(
    text: str, lang: str, location: object, qualified_name: str = ""
) -> str | None:
    """A command's name, description, option or choice in `lang`; None when untranslated."""
    found = catalogue(lang)
    if location in NAME_LOCATIONS:
        translated = found.pgettext(name_context(qualified_name), text)
    elif location is app_commands.TranslationContextLocation.parameter_name:
        translated = found.pgettext(OPTION_CONTEXT, text)
    else:
        translated = found.gettext(text)
    return translated if translated != text else None


class Translator(app_commands.Translator):
    """What discord.py asks when it syncs: every command string, per Discord locale."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        lang = language(locale)
        if lang is None:
            return None
        command = context.data if context.location in NAME_LOCATIONS else None
        qualified = getattr(command, "qualified_name", "")
        return translate_command_text(string.message, lang, context.location, qualified)


def digest() -> str:
    """A hash of the compiled catalogues: a changed translation must sync the commands again."""
    sha = hashlib.sha256()
    for path in sorted(LOCALES.glob("*/LC_MESSAGES/*.mo")):
        sha.update(path.read_bytes())
    return sha.hexdigest()
