"""The command line: `python -m bot` runs the bot; the subcommands look after its data
(check, preview, import, export, remove, tvmaze, wikipedia, backup, invite).

Every fault an operator can fix (a token, a switch in the Developer Portal, the network, the
database, the data folder) ends with one line on stderr and a non-zero exit; the log at
LOG_LEVEL=DEBUG holds the detail.
"""

from __future__ import annotations

import asyncio
import os
import sys

from dotenv import load_dotenv

from ..settings import Settings, SettingsError
from ..store import StoreError
from .admin import backup, invite, member_data, migrate_store, purge_server
from .args import parse_args
from .catalog import check, export, import_files, remove_show, show_preview
from .common import fail
from .run import run
from .sources import tvmaze_show, wikipedia_recaps


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
        return fail(str(error))
    if action == "invite":
        return invite(settings)
    return run(settings, sync=getattr(args, "sync", False))
