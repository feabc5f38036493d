"""The command line's shape: `python -m bot [COMMAND] …` and each subcommand's arguments."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from ..catalog import preview


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
