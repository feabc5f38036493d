"""Running the bot for months: one-line start-up errors, backups, invite links, one command
scope, the version. The start-up faults run `python -m bot` as an operator would."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot import __version__
from bot.invite import application_id_from_token, invite_url, permissions
from bot.settings import Settings
from bot.store import Store
from harness.fakediscord import FakeDiscord
from tests.conftest import ROOT, BotRunner, Scene
from tests.stores import sqlite_only

TOKEN = base64.b64encode(b"1234567890123456789").decode().rstrip("=") + ".GxYz12.abcdef"


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    chosen = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DATABASE_PATH": str(tmp_path / "watchparty.db"),
        "DATA_DIR": str(ROOT / "data"),
        "DEV_GUILD_ID": "",
        "MESSAGE_CONTENT_INTENT": "false",
        "LOG_LEVEL": "WARNING",
        "LOG_FILE": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=chosen,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_network_to_discord_is_one_line(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}/api/v10"
    line = one_line_error(run_bot(tmp_path, DISCORD_API_BASE=api))
    assert "Can't reach Discord" in line and "network" in line


def test_a_missing_data_folder_is_one_line(tmp_path: Path) -> None:
    line = one_line_error(run_bot(tmp_path, DATA_DIR=str(tmp_path / "nowhere")))
    assert "data folder" in line and "DATA_DIR" in line


@sqlite_only("DATABASE_PATH's folder")
def test_a_database_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(run_bot(tmp_path, DATABASE_PATH=str(blocker / "watchparty.db")))
    assert "DATABASE_PATH" in line


def test_version_and_invite_need_no_network(tmp_path: Path) -> None:
    version = run_bot(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"Watchparty {__version__}"
    invite = run_bot(tmp_path, "invite")
    assert invite.returncode == 0
    full, small = invite.stdout.strip().splitlines()
    assert "client_id=1234567890123456789" in full
    assert f"permissions={permissions(guard=True).value}" in full
    assert f"permissions={permissions(guard=False).value}" in small


def test_invite_permissions_are_exactly_what_the_bot_uses() -> None:
    full, small = permissions(guard=True), permissions(guard=False)
    assert full.create_events and not full.manage_events
    assert full.manage_messages and full.manage_webhooks
    assert not small.manage_messages and not small.manage_webhooks
    assert not full.administrator and not full.mention_everyone
    assert "scope=bot+applications.commands" in invite_url(1)
    assert application_id_from_token("not a token") is None


@sqlite_only("SQLite's -wal file")
async def test_backup_holds_what_was_just_written(tmp_path: Path) -> None:
    """In WAL mode the newest writes sit in the -wal file; the backup must have them."""
    database = tmp_path / "watchparty.db"
    store = await Store.open(database)
    try:
        await store.set_meta("fresh", "written a moment ago")
        result = run_bot(tmp_path, "backup", str(tmp_path / "copies" / "backup.db"))
        assert result.returncode == 0, result.stderr
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "copies" / "backup.db") as copy:
        row = copy.execute("SELECT value FROM meta WHERE key = 'fresh'").fetchone()
    assert row == ("written a moment ago",)


@sqlite_only("a missing SQLite file")
def test_backup_without_a_database_says_so(tmp_path: Path) -> None:
    line = one_line_error(run_bot(tmp_path, "backup", str(tmp_path / "backup.db")))
    assert "no backup written" in line


async def test_moving_between_a_dev_server_and_global_leaves_one_copy(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    in_guild = dataclasses.replace(settings, dev_guild_id=world.guild.id)
    await runner.start(in_guild)
    guild_commands = {c["name"] for c in fd.commands(world.guild)}
    assert {"recap", "poll", "catalog"} <= guild_commands
    await runner.stop()
    await runner.start(settings)
    assert {c["name"] for c in fd.commands()} == guild_commands
    assert fd.commands(world.guild) == []  # no command twice in the test server
    await runner.stop()
    await runner.start(in_guild)
    assert {c["name"] for c in fd.commands(world.guild)} == guild_commands
    assert fd.commands() == []


async def test_message_content_switched_off_in_the_portal_is_one_line(
    fd: FakeDiscord, tmp_path: Path
) -> None:
    fd.gateway.portal_intents = 0
    env = {
        **os.environ,
        "DISCORD_TOKEN": fd.token,
        "DISCORD_API_BASE": fd.api_base,
        "DATABASE_PATH": str(tmp_path / "watchparty.db"),
        "DATA_DIR": str(ROOT / "data"),
        "DEV_GUILD_ID": "",
        "MESSAGE_CONTENT_INTENT": "true",
        "LOG_LEVEL": "WARNING",
        "LOG_FILE": "",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    result = subprocess.CompletedProcess([], process.returncode or 0, "", stderr.decode())
    line = one_line_error(result)
    assert "Message Content" in line and "MESSAGE_CONTENT_INTENT" in line
