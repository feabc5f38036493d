"""Settings: one frozen object, read once from the environment by the entry point."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .sharding import ShardSpecError, parse_shard_count, parse_shard_ids

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "watchparty.db"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

MISSING_TOKEN = (
    "DISCORD_TOKEN is not set: copy .env.example to .env and paste your bot's token into it "
    "(Discord Developer Portal > your application > Bot > Reset Token)."
)


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Settings:
    # repr=False: the token must never reach a log line or a traceback's locals.
    token: str = field(repr=False)
    database: Path = DEFAULT_DATABASE
    # A PostgreSQL server instead of the SQLite file (issue 15: several processes share it).
    # repr=False: the URL may carry a password.
    database_url: str | None = field(default=None, repr=False)
    data_dir: Path = DEFAULT_DATA_DIR
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    # Only for running against a Discord emulator (the test suite, benchmarks); unset in production.
    api_base: str | None = None
    # Privileged intent, needed only by the opt-in spoiler guard.
    message_content: bool = False
    # Optional: also log to this file, rotated at 5 MB, keeping 5 old files.
    log_file: Path | None = None
    # TVmaze's API; the tests point it at a loopback fake.
    tvmaze_api_base: str = "https://api.tvmaze.com"
    # How often shows still airing are refreshed from TVmaze, in hours (0: never by itself).
    tvmaze_refresh_hours: float = 24
    # Sharding across processes: the total shard count and this process's shards. Neither
    # set: one process runs as many shards as Discord recommends. SHARD_COUNT alone: this
    # process runs all of them.
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # Wikipedia's Action API (recaps, `python -m bot wikipedia`); the tests point it at a fake.
    wikipedia_api_base: str = "https://en.wikipedia.org/w/api.php"
    # How Wikipedia can reach this bot's operator (an email address or a URL): Wikimedia's
    # User-Agent policy asks every client for one, so the command refuses to run without it.
    wikipedia_contact: str = ""
    # Where to serve /metrics, /ready and /live (host, port); None: no metrics at all.
    metrics_addr: tuple[str, int] | None = None
    # How long a server's data is kept after the bot is removed from it, in days (PRIVACY.md).
    guild_data_days: float = 30

    @property
    def store_target(self) -> str | Path:
        """What Store.open opens: DATABASE_URL when set, else the SQLite file."""
        return self.database_url or self.database

    @property
    def syncs_commands(self) -> bool:
        """One process syncs the slash commands: the one holding shard 0."""
        return self.shard_ids is None or 0 in self.shard_ids

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, need_token: bool = True) -> Settings:
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token and need_token:
            raise SettingsError(MISSING_TOKEN)
        level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if not isinstance(logging.getLevelName(level), int):
            raise SettingsError(f"LOG_LEVEL={level!r} is not a log level (try INFO or DEBUG).")
        try:
            shard_count = parse_shard_count(env.get("SHARD_COUNT", ""))
            shard_ids = parse_shard_ids(env.get("SHARD_IDS", ""), shard_count)
        except ShardSpecError as error:
            raise SettingsError(str(error)) from None
        return cls(
            token=token,
            database=_path(env.get("DATABASE_PATH")) or DEFAULT_DATABASE,
            database_url=_database_url(env.get("DATABASE_URL", "")),
            data_dir=_path(env.get("DATA_DIR")) or DEFAULT_DATA_DIR,
            dev_guild_id=_snowflake(env.get("DEV_GUILD_ID", "")),
            log_level=level,
            log_file=_path(env.get("LOG_FILE")),
            api_base=env.get("DISCORD_API_BASE", "").strip().rstrip("/") or None,
            message_content=_flag(env.get("MESSAGE_CONTENT_INTENT", "")),
            tvmaze_api_base=env.get("TVMAZE_API_BASE", "").strip().rstrip("/")
            or "https://api.tvmaze.com",
            tvmaze_refresh_hours=_hours(env.get("TVMAZE_REFRESH_HOURS", "")),
            shard_count=shard_count,
            shard_ids=shard_ids,
            wikipedia_api_base=env.get("WIKIPEDIA_API_BASE", "").strip()
            or "https://en.wikipedia.org/w/api.php",
            wikipedia_contact=" ".join(env.get("WIKIPEDIA_CONTACT", "").split()),
            metrics_addr=_address(env.get("METRICS_ADDR", "")),
            guild_data_days=_days(env.get("GUILD_DATA_DAYS", "")),
        )


def _database_url(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not value.startswith(("postgresql://", "postgres://")):
        raise SettingsError(
            "DATABASE_URL must be a postgresql://user:password@host/database URL; leave it "
            "unset to use the SQLite file at DATABASE_PATH."
        )
    return value


def _path(value: str | None) -> Path | None:
    if not value or not value.strip():
        return None
    path = Path(value.strip()).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _snowflake(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise SettingsError(f"DEV_GUILD_ID={value!r} is not a server id (a number).")
    return int(value)


def _hours(value: str) -> int:
    value = value.strip()
    if not value:
        return 24
    if not value.isdecimal() or len(value) > 4:
        raise SettingsError(
            f"TVMAZE_REFRESH_HOURS={value!r} is not a number of hours (0 turns it off)."
        )
    return int(value)


def _address(value: str) -> tuple[str, int] | None:
    """METRICS_ADDR: host:port, or [IPv6]:port."""
    value = value.strip()
    if not value:
        return None
    host, _, port = value.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdecimal() or not 0 < int(port) < 65536:
        raise SettingsError(
            f"METRICS_ADDR={value!r} is not host:port (try 127.0.0.1:9108, or leave it empty)."
        )
    return host, int(port)


def _days(value: str) -> float:
    value = value.strip()
    if not value:
        return 30
    try:
        days = float(value)
    except ValueError:
        days = -1.0
    # Bounded: Discord's policy asks that data no longer needed is not kept, so "forever"
    # is not a setting; 0 deletes a server's data as soon as the bot is removed.
    if not 0 <= days <= 365:
        raise SettingsError(
            f"GUILD_DATA_DAYS={value!r} is not a number of days from 0 to 365"
            " (how long a server's data is kept after the bot is removed from it)."
        )
    return days


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}
