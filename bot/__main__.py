"""Entry point: `python -m bot` runs the bot; `import`, `check` and `remove` handle data files."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

import discord
from dotenv import load_dotenv

from . import app, datafiles, importer
from .datafiles import DataFileError
from .settings import Settings, SettingsError
from .store import Store, StoreError

log = logging.getLogger("bot")


class _NoVoiceNotice(logging.Filter):
    """This bot has no voice features, so discord.py's notice about voice libraries is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Watchparty, a Discord bot.")
    parser.add_argument("--sync", action="store_true", help="sync slash commands even if unchanged")
    sub = parser.add_subparsers(dest="action")
    sub.add_parser("run", help="run the bot (the default)")
    for name, text in (
        ("import", "load data files into the database"),
        ("check", "check data files"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    remove = sub.add_parser("remove", help="remove a show from the catalog")
    remove.add_argument("slug", metavar="SLUG")
    remove.add_argument(
        "--force",
        action="store_true",
        help="when members made polls, parties or threads for it: hide it, keeping those",
    )
    return parser.parse_args(argv)


def check(paths: list[Path]) -> int:
    failed = 0
    for path in paths:
        try:
            parsed = datafiles.load(path)
        except DataFileError as error:
            print(f"error: {error}", file=sys.stderr)
            failed += 1
            continue
        print(f"ok: {path.name}: {parsed.show.title}, {len(parsed.episodes)} episode(s)")
    return 1 if failed else 0


async def import_files(database: Path, paths: list[Path]) -> int:
    store = await Store.open(database)
    failed = 0
    try:
        for path in paths:
            try:
                change = await importer.import_file(store, path, force=True)
            except DataFileError as error:
                print(f"error: {error} (nothing from this file was written)", file=sys.stderr)
                failed += 1
                continue
            print(f"imported: {path.name}: {change}")
    finally:
        await store.close()
    return 1 if failed else 0


async def remove_show(settings: Settings, slug: str, *, force: bool) -> int:
    """Delete a show nothing members made refers to; with --force, retire one that has some."""
    store = await Store.open(settings.database)
    try:
        source = await store.catalog.show_source(slug)
        dependents = await store.catalog.dependents(slug)
        if source is None or dependents is None:
            print(f"error: no show has the slug “{slug}”", file=sys.stderr)
            return 1
        if not dependents and await store.catalog.remove_show(slug):
            print(f"removed: {slug}")
        elif force:
            await store.catalog.retire_show(slug)
            print(f"retired: {slug}: hidden from commands; its {dependents} stay")
        else:
            print(
                f"error: {slug} has {dependents}: nothing removed"
                " (--force hides the show and keeps them)",
                file=sys.stderr,
            )
            return 1
    finally:
        await store.close()
    if (settings.data_dir / source).is_file():
        print(f"note: {source} is still in {settings.data_dir}: move it away, or it returns")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_dotenv()
    if args.action == "check":
        return check(args.paths)
    try:
        settings = Settings.from_env(os.environ, need_token=args.action not in ("import", "remove"))
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        if args.action == "import":
            return asyncio.run(import_files(settings.database, args.paths))
        if args.action == "remove":
            return asyncio.run(remove_show(settings, args.slug, force=args.force))
        return run(settings, sync=args.sync)
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def run(settings: Settings, *, sync: bool) -> int:
    discord.utils.setup_logging(level=getattr(logging, settings.log_level))
    logging.getLogger("discord.client").addFilter(_NoVoiceNotice())
    try:
        asyncio.run(app.run(settings, sync=sync))
    except discord.LoginFailure:
        print(
            "error: Discord rejected DISCORD_TOKEN: reset the token in the Developer Portal.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
