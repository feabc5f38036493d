"""`python -m bot` and `python -m bot run`: logging, the checks before connecting, and the one
line for each start-up fault an operator can fix."""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import os
import sys

import aiohttp
import discord

from .. import app
from ..errors import StartupError
from ..settings import Settings
from ..store import StoreError
from .common import fail

log = logging.getLogger(__name__)

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
        return fail(str(error))
    except discord.LoginFailure:
        return fail(
            "Discord rejected DISCORD_TOKEN: reset the token in the Developer Portal "
            "(Bot > Reset Token) and paste it into .env."
        )
    except discord.PrivilegedIntentsRequired:
        return fail(INTENT_SWITCH)
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
        return fail(
            f"Can't reach Discord ({error}): check this machine's network connection and DNS."
        )
    return 0
