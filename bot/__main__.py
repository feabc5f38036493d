"""The command line: `python -m bot` runs the bot; the subcommands look after its data
(check, preview, import, export, remove, tvmaze, wikipedia, backup, invite).

Every fault an operator can fix (a token, a switch in the Developer Portal, the network, the
database, the data folder) ends with one line on stderr and a non-zero exit; the log at
LOG_LEVEL=DEBUG holds the detail.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import os
import sys
from pathlib import Path

import aiohttp
import discord
from dotenv import load_dotenv

from . import __version__, app
from .catalog import datafiles, exporter, importer, preview
from .catalog.datafiles import DataFileError
from .catalog.sources.tvmaze import TvmazeClient, TvmazeError
from .catalog.sources.wikipedia import WikipediaClient, WikipediaError
from .catalog.sources.wikipedia.refresh import refresh
from .catalog.sync import sync_show
from .errors import StartupError
from .invite import application_id_from_token, invite_text
from .render import privacy as privacy_render
from .settings import Settings, SettingsError
from .store import Store, StoreError, move_up, pg_backup
from .store.backup import backup_database

log = logging.getLogger("bot")

INTENT_SWITCH = (
    "Discord refused the Message Content intent: enable it in the Developer Portal (your "
    "application > Bot > Privileged Gateway Intents > Message Content Intent), or set "
    "MESSAGE_CONTENT_INTENT=false in .env."
)


def shard_refusal(code: int, settings: Settings) -> str | None:
    """The line for Discord closing the gateway over sharding (4010, 4011), else None."""
    if code == 4011:
        if settings.shard_count is None:
            return (
                "Discord requires sharding: this bot is in too many servers for one shard. "
                "Set SHARD_COUNT in .env (one shard per 1,000 servers or so)."
            )
        return (
            f"Discord requires more shards: this bot is in too many servers for "
            f"SHARD_COUNT={settings.shard_count}. Raise SHARD_COUNT in every process (about one "
            "shard per 1,000 servers), or unset SHARD_COUNT and SHARD_IDS to let Discord choose."
        )
    if code == 4010:
        return (
            "Discord refused the shard this process asked for (invalid shard): check that "
            "SHARD_COUNT is the same in every process and SHARD_IDS are below it."
        )
    return None


class _NoVoiceNotice(logging.Filter):
    """This bot has no voice features, so discord.py's notice about voice libraries is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--sync",
        action="store_true",
        default=argparse.SUPPRESS,
        help="with run: sync slash commands even if they did not change",
    )
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Watchparty, a Discord bot.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"Watchparty {__version__}")
    sub = parser.add_subparsers(dest="action", metavar="COMMAND")
    sub.add_parser("run", parents=[common], help="run the bot (the default)")
    for name, text in (
        ("import", "load data files into the database"),
        ("check", "check data files"),
    ):
        command = sub.add_parser(name, parents=[common], help=text)
        command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    look = sub.add_parser(
        "preview", parents=[common], help="print what members would see, from a data file"
    )
    look.add_argument("kind", choices=preview.KINDS)
    look.add_argument("show", metavar="SHOW", help="a data file's path, or a show's slug or title")
    look.add_argument("episode", metavar="EPISODE", help="a code like S4E6, or a title")
    look.add_argument("--data-dir", type=Path, help="where to look for SHOW (default: DATA_DIR)")
    tvmaze = sub.add_parser(
        "tvmaze", parents=[common], help="add or refresh a show from TVmaze (data/<slug>.toml)"
    )
    tvmaze.add_argument("show", metavar="SHOW", help="a name, a TVmaze id, or an IMDb id (tt…)")
    wiki = sub.add_parser(
        "wikipedia",
        parents=[common],
        help="take recaps from the show's episode list on Wikipedia (data/<slug>.toml)",
    )
    wiki.add_argument("slug", metavar="SLUG")
    wiki.add_argument(
        "--article", metavar="TITLE", help="the article to use, when the search picks the wrong one"
    )
    export = sub.add_parser(
        "export", parents=[common], help="write the database's shows back as data files"
    )
    export.add_argument("slug", nargs="?", metavar="SLUG", help="one show (default: every show)")
    export.add_argument(
        "--to", type=Path, metavar="FOLDER", help="where to write (default: DATA_DIR)"
    )
    backup = sub.add_parser(
        "backup", parents=[common], help="copy the database, safely, even while the bot runs"
    )
    backup.add_argument("target", type=Path, metavar="PATH")
    move = sub.add_parser(
        "migrate-store", parents=[common], help="copy the SQLite store into PostgreSQL"
    )
    move.add_argument("--to", required=True, metavar="URL", help="postgresql://user:pw@host/db")
    move.add_argument("--force", action="store_true", help="replace the target's rows")
    sub.add_parser("invite", parents=[common], help="print the links that add the bot to a server")
    remove = sub.add_parser("remove", parents=[common], help="remove a show from the catalog")
    remove.add_argument("slug", metavar="SLUG")
    remove.add_argument(
        "--force",
        action="store_true",
        help="when members made polls, parties or threads for it: hide it, keeping those",
    )
    privacy = sub.add_parser(
        "privacy", parents=[common], help="show, export or delete one member's data (PRIVACY.md)"
    )
    privacy.add_argument("what", choices=("show", "export", "delete"))
    privacy.add_argument("user_id", type=int, metavar="USER_ID")
    privacy.add_argument("--yes", action="store_true", help="with delete: do not ask first")
    purge = sub.add_parser(
        "purge-server", parents=[common], help="delete every row of one server, now"
    )
    purge.add_argument("guild_id", type=int, metavar="SERVER_ID")
    purge.add_argument("--yes", action="store_true", help="do not ask first")
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
        # A file that checks also renders: every page within Discord's limits.
        refused = [f"error: {path.name}: {line}" for line in preview.problems(parsed)]
        if refused:
            print("\n".join(refused), file=sys.stderr)
            failed += 1
            continue
        print(f"ok: {path.name}: {parsed.show.title}, {len(parsed.episodes)} episode(s)")
    return 1 if failed else 0


def show_preview(args: argparse.Namespace) -> int:
    data_dir = args.data_dir or Path(os.environ.get("DATA_DIR") or "data")
    try:
        lines, sendable = preview.preview(args.kind, args.show, args.episode, data_dir)
    except (preview.PreviewError, DataFileError) as error:
        return _fail(str(error))
    print("\n".join(lines))
    return 0 if sendable else 1


async def import_files(database: Path | str, paths: list[Path]) -> int:
    store = await Store.open(database)
    try:
        # Every file is written (force), parsed ahead in worker processes when they are large.
        report = await importer.import_files(store, paths)
    finally:
        await store.close()
    for error in report.errors:
        print(f"error: {error} (nothing from this file was written)", file=sys.stderr)
    for path in paths:
        if path.name in report.changes:
            print(f"imported: {path.name}: {report.changes[path.name]}")
    return 1 if report.errors else 0


async def tvmaze_show(settings: Settings, query: str) -> int:
    """Write or refresh one show's data file from TVmaze and import it; prints what changed."""
    async with aiohttp.ClientSession() as session:
        client = TvmazeClient(session, base_url=settings.tvmaze_api_base)
        store = await Store.open(settings.store_target)
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


async def wikipedia_recaps(settings: Settings, slug: str, article: str | None) -> int:
    """Take a show's recaps from Wikipedia into its data file, then import the file."""
    if not settings.wikipedia_contact:
        return _fail(
            "WIKIPEDIA_CONTACT is not set: Wikipedia asks every client for a way to reach its "
            "operator, so put an email address or a URL in .env."
        )
    async with aiohttp.ClientSession() as session:
        client = WikipediaClient(
            session, contact=settings.wikipedia_contact, base_url=settings.wikipedia_api_base
        )
        try:
            outcome = await refresh(client, settings.data_dir, slug, article)
        except (WikipediaError, DataFileError) as error:
            return _fail(f"{error} (the data file was not changed)")
    print("\n".join(outcome.lines))
    if outcome.changed:
        return await import_files(settings.store_target, [outcome.path])
    return 0


async def export(settings: Settings, slug: str | None, folder: Path | None) -> int:
    """Write shows back as data files, Discord edits included; prints each file written."""
    folder = folder or settings.data_dir
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 1
    store = await Store.open(settings.store_target)
    try:
        if slug is None:
            written = await exporter.export_all(store, folder)
        else:
            path = await exporter.export_show(store, slug, folder)
            if path is None:
                print(f"error: no show has the slug “{slug}”", file=sys.stderr)
                return 1
            written = [path]
    finally:
        await store.close()
    for path in written:
        print(f"exported: {path}")
    return 0


async def backup(settings: Settings, target: Path) -> int:
    try:
        if settings.database_url:
            await pg_backup.dump(settings.database_url, target)
        else:
            await backup_database(settings.database, target)
    except (StoreError, OSError, ValueError) as error:
        # ValueError: a path no file system takes (a NUL in it).
        print(f"error: no backup written: {error}", file=sys.stderr)
        return 1
    what = "the PostgreSQL database" if settings.database_url else settings.database
    print(f"backed up {what} to {target}")
    return 0


async def migrate_store(settings: Settings, url: str, *, force: bool) -> int:
    """DATABASE_PATH's SQLite store copied into the PostgreSQL database at `url`."""
    if not url.startswith(("postgresql://", "postgres://")):
        return _fail("--to takes a postgresql://user:password@host/database URL.")
    store = await Store.open(url)  # creates or updates the schema
    await store.close()
    counts = await move_up.copy_store(settings.database, url, force=force)
    print(f"copied {sum(counts.values())} rows in {len(counts)} tables; every count matches")
    return 0


def invite(settings: Settings) -> int:
    application_id = application_id_from_token(settings.token)
    if application_id is None:
        print(
            "error: DISCORD_TOKEN does not look like a bot token, so I can't tell the "
            "application id: copy it from the Developer Portal (General Information).",
            file=sys.stderr,
        )
        return 2
    print(invite_text(application_id))
    return 0


def setup_logging(settings: Settings) -> None:
    level = getattr(logging, settings.log_level)
    discord.utils.setup_logging(level=level)
    logging.getLogger("discord.client").addFilter(_NoVoiceNotice())
    if settings.log_file is not None:
        settings.log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            settings.log_file, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(
            logging.Formatter("[{asctime}] [{levelname:<8}] {name}: {message}", style="{")
        )
        handler.setLevel(level)
        logging.getLogger().addHandler(handler)


def preflight(settings: Settings) -> None:
    """What can be checked before connecting; raises StartupError with the one line."""
    if not settings.data_dir.is_dir():
        raise StartupError(
            f"The data folder {settings.data_dir} does not exist: create it, or point "
            "DATA_DIR in .env at the folder of show files."
        )
    if settings.database_url:
        return  # a server: Store.open says in one line if it cannot be reached
    folder = settings.database.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StartupError(
            f"Can't create the database folder {folder} ({error.strerror}): check "
            "DATABASE_PATH in .env."
        ) from error
    # WAL mode writes -wal and -shm files beside the database, so the folder must be writable.
    writable = os.access(folder, os.W_OK) and (
        not settings.database.exists() or os.access(settings.database, os.W_OK)
    )
    if not writable:
        raise StartupError(
            f"Can't write the database {settings.database}: give the bot's user write access "
            "to it and its folder, or point DATABASE_PATH elsewhere."
        )


def run(settings: Settings, *, sync: bool) -> int:
    setup_logging(settings)
    try:
        preflight(settings)
        asyncio.run(app.run(settings, sync=sync))
    except (StartupError, StoreError) as error:
        return _fail(str(error))
    except discord.LoginFailure:
        return _fail(
            "Discord rejected DISCORD_TOKEN: reset the token in the Developer Portal "
            "(Bot > Reset Token) and paste it into .env."
        )
    except discord.PrivilegedIntentsRequired:
        return _fail(INTENT_SWITCH)
    except discord.ConnectionClosed as error:
        line = shard_refusal(error.code, settings)
        if line is None:
            raise
        # A setting error, like a missing token: exit status 2, which systemd does not restart
        # (docs/watchparty.service), since the same settings would be refused again.
        print(f"error: {line}", file=sys.stderr)
        return 2
    except aiohttp.ClientConnectionError as error:
        log.debug("Could not reach Discord", exc_info=error)
        return _fail(
            f"Can't reach Discord ({error}): check this machine's network connection and DNS."
        )
    return 0


def _fail(line: str) -> int:
    print(f"error: {line}", file=sys.stderr)
    return 1


async def remove_show(settings: Settings, slug: str, *, force: bool) -> int:
    """Delete a show nothing members made refers to; with --force, retire one that has some."""
    store = await Store.open(settings.store_target)
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


def _confirmed(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print(f"error: {question} Add --yes to confirm.", file=sys.stderr)
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


async def member_data(settings: Settings, what: str, user_id: int, *, yes: bool) -> int:
    """For requests that arrive by mail: what /privacy show|export|delete do for a member.

    A delete withdraws votes in open polls; their messages are redrawn when the bot next
    starts (their version is bumped, as a click would)."""
    store = await Store.open(settings.store_target)
    try:
        rows = await store.privacy.about_user(user_id)
        if what == "show":
            print(privacy_render.summary(rows, None))
        elif what == "export":
            sys.stdout.buffer.write(privacy_render.export(user_id, rows) + b"\n")
        elif _confirmed(f"Delete every record about user {user_id}?", yes):
            changed, open_polls = await store.privacy.delete_user(user_id)
            print(
                f"deleted: user {user_id}: {changed} rows; {len(open_polls)} open polls recounted"
            )
        else:
            return 1
    finally:
        await store.close()
    return 0


async def purge_server(settings: Settings, guild_id: int, *, yes: bool) -> int:
    """Delete a server's data now, without waiting for GUILD_DATA_DAYS."""
    if not _confirmed(f"Delete every record of server {guild_id}?", yes):
        return 1
    store = await Store.open(settings.store_target)
    try:
        deleted = await store.privacy.purge_guild(guild_id)
    finally:
        await store.close()
    print(f"purged: server {guild_id}: {deleted} rows deleted")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_dotenv()
    action = args.action or "run"
    if action == "check":
        return check(args.paths)
    if action == "preview":
        return show_preview(args)
    try:
        settings = Settings.from_env(os.environ, need_token=action in ("run", "invite"))
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        if action == "tvmaze":
            return asyncio.run(tvmaze_show(settings, args.show))
        if action == "wikipedia":
            return asyncio.run(wikipedia_recaps(settings, args.slug, args.article))
        if action == "import":
            return asyncio.run(import_files(settings.store_target, args.paths))
        if action == "remove":
            return asyncio.run(remove_show(settings, args.slug, force=args.force))
        if action == "export":
            return asyncio.run(export(settings, args.slug, args.to))
        if action == "backup":
            return asyncio.run(backup(settings, args.target))
        if action == "migrate-store":
            return asyncio.run(migrate_store(settings, args.to, force=args.force))
        if action == "privacy":
            return asyncio.run(member_data(settings, args.what, args.user_id, yes=args.yes))
        if action == "purge-server":
            return asyncio.run(purge_server(settings, args.guild_id, yes=args.yes))
    except StoreError as error:
        return _fail(str(error))
    if action == "invite":
        return invite(settings)
    return run(settings, sync=getattr(args, "sync", False))


if __name__ == "__main__":
    sys.exit(main())
