"""The operator's subcommands about the store and members: backup, migrate-store, invite,
privacy and purge-server."""

from __future__ import annotations

import sys
from pathlib import Path

from ..invite import application_id_from_token, invite_text
from ..render import privacy as privacy_render
from ..settings import Settings
from ..store import Store, StoreError, move_up, pg_backup
from ..store.backup import backup_database
from .common import fail


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
        return fail("--to takes a postgresql://user:password@host/database URL.")
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
