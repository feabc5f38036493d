"""Build the gettext catalogues with Babel: `python -m bot.i18n_build messages|compile`.

`messages` (make messages) extracts every `_()`/`ngettext()` string from bot/ and cogs/ and
every command's name, description, option and choice from the cogs' declarations into
bot/locales/watchparty.pot, then updates each shipped language's .po from it (new strings
arrive empty, for a translator to fill in). `compile` (part of `make run` and `make test`)
writes the .mo files the bot reads; they are built, not committed.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from discord import app_commands
from discord.ext import commands

from . import __version__, i18n
from .app import EXTENSIONS

ROOT = Path(__file__).resolve().parent.parent
POT = i18n.LOCALES / f"{i18n.DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def po_path(lang: str) -> Path:
    return i18n.LOCALES / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _text(value: Any) -> str:
    return value.message if isinstance(value, app_commands.locale_str) else str(value)


def _cog_classes() -> list[type[commands.Cog]]:
    """Every cog class of the bot's extensions, imported by name with all their modules, as
    the bot loads them (the bot's own modules never import the cogs)."""
    for extension in EXTENSIONS:
        module = importlib.import_module(extension)
        for sub in pkgutil.walk_packages(getattr(module, "__path__", []), f"{extension}."):
            importlib.import_module(sub.name)
    found: list[type[commands.Cog]] = []
    pending: list[type] = [commands.Cog]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("cogs."):
            found.append(cls)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def command_strings() -> Iterator[tuple[str | None, str]]:
    """(context, text) of every command string Discord shows: names under NAME_CONTEXT."""
    name = i18n.NAME_CONTEXT
    for cls in _cog_classes():
        group = ""
        if getattr(cls, "__cog_is_app_commands_group__", False):
            group = _text(cls.__cog_group_name__)
            yield name, group
            yield None, _text(cls.__cog_group_description__)
        for command in cls.__cog_app_commands__:
            # A group cog's commands join its group only when the cog is made: name it here.
            yield from _walk(command, group)


def _walk(command: Any, group: str = "") -> Iterator[tuple[str | None, str]]:
    qualified = f"{group} {command.qualified_name}".strip()
    yield i18n.name_context(qualified), _text(command.name)
    yield None, _text(command.description)
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            yield from _walk(child, group)
        return
    for parameter in command._params.values():
        yield i18n.OPTION_CONTEXT, _text(parameter.display_name)
        yield None, _text(parameter.description)
        for choice in parameter.choices or ():
            yield None, _text(choice.name)


def extract() -> Catalog:
    catalog = Catalog(
        project="Watchparty",
        version=__version__,
        domain=i18n.DOMAIN,
        charset="utf-8",
        copyright_holder="Watchparty contributors",
        msgid_bugs_address="",
    )
    for folder in ("bot", "cogs"):
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            location = (f"{folder}/{filename}", lineno)
            catalog.add(message, locations=[location], auto_comments=comments, context=context)
    for context, text in command_strings():
        if text and text != "…":
            catalog.add(text, locations=[("commands", 0)], context=context)
    return catalog


def messages() -> None:
    template = extract()
    with POT.open("wb") as out:
        write_po(out, template, width=100, omit_header=False, no_location=True)
    for lang in i18n.SHIPPED:
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as file:
                catalog = read_po(file, locale=lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=lang, domain=i18n.DOMAIN, project="Watchparty", version=__version__
            )
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as out:
            write_po(out, catalog, width=100, no_location=True, ignore_obsolete=True)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages")


def compile_all() -> None:
    for lang in i18n.SHIPPED:
        source = po_path(lang)
        with source.open("rb") as file:
            catalog = read_po(file, locale=lang)
        with source.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)


if __name__ == "__main__":
    {"messages": messages, "compile": compile_all}[sys.argv[1]]()
