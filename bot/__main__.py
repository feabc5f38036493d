"""Entry point: `python -m bot` runs the bot; `import` and `check` handle data files."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

import aiohttp
import discord
from dotenv import load_dotenv

from . import app, datafiles, importer
from .catalog_sync import sync_show
from .datafiles import DataFileError
from .settings import Settings, SettingsError
from .store import Store
from .tvmaze import TvmazeClient, TvmazeError

log = logging.getLogger("bot")


class _NoVoiceNotice(logging.Filter):
    """This bot has no voice features, so discord.py's notice about voice libraries is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Watchparty, a Discord bot.")
    parser.add_argument("--sync", action="store_true", help="sync slash commands even if unchanged")
    sub = parser.add_subparsers(dest="action")
    # `--sync` is accepted before or after the subcommand: `python -m bot run --sync`.
    sub.add_parser("run", help="run the bot (the default)").add_argument(
        "--sync", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    tvmaze = sub.add_parser(
        "tvmaze", help="add or refresh a show from TVmaze (writes data/<slug>.toml, imports it)"
    )
    tvmaze.add_argument(
        "show", metavar="SHOW", help="a show's name, its TVmaze id, or its IMDb id (tt…)"
    )
    for name, text in (
        ("import", "load data files into the database"),
        ("check", "check data files"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
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
                await importer.import_file(store, path, force=True)
            except DataFileError as error:
                print(f"error: {error} (nothing from this file was written)", file=sys.stderr)
                failed += 1
                continue
            print(f"imported: {path.name}")
    finally:
        await store.close()
    return 1 if failed else 0


async def tvmaze_show(settings: Settings, query: str) -> int:
    """Write or refresh one show's data file from TVmaze and import it; prints what changed."""
    async with aiohttp.ClientSession() as session:
        client = TvmazeClient(session, base_url=settings.tvmaze_api_base)
        store = await Store.open(settings.database)
        try:
            synced = await sync_show(client, store, settings.data_dir, query)
        except (TvmazeError, DataFileError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        finally:
            await store.close()
    print(synced.report.summary())
    print(f"imported: {synced.title} ({synced.episodes} episodes) as “{synced.slug}”")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_dotenv()
    if args.action == "check":
        return check(args.paths)
    if args.action == "tvmaze":
        try:
            settings = Settings.from_env(os.environ, need_token=False)
        except SettingsError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return asyncio.run(tvmaze_show(settings, args.show))
    if args.action == "import":
        try:
            settings = Settings.from_env(os.environ, need_token=False)
        except SettingsError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return asyncio.run(import_files(settings.database, args.paths))
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    discord.utils.setup_logging(level=getattr(logging, settings.log_level))
    logging.getLogger("discord.client").addFilter(_NoVoiceNotice())
    try:
        asyncio.run(app.run(settings, sync=args.sync))
    except discord.LoginFailure:
        print(
            "error: Discord rejected DISCORD_TOKEN: reset the token in the Developer Portal.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
