"""The bot as its own process (`python -m bot`), configured through the environment as an
operator would, talking to the loopback emulator. Used by the crash test and the benchmark."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import Any

from harness.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]


def _store_env(database: Path | str) -> dict[str, str]:
    if str(database).startswith(("postgresql://", "postgres://")):
        return {"DATABASE_URL": str(database)}
    # Empty: the SQLite file, whatever DATABASE_URL the environment running the tests has.
    return {"DATABASE_PATH": str(database), "DATABASE_URL": ""}


class BotProcess:
    """`python -m bot`, configured through the environment as an operator would."""

    # What `python -m` runs (the benchmark's bare floor is another module).
    module = "bot"

    def __init__(self, fd: FakeDiscord, database: Path | str) -> None:
        # `database`: an SQLite file, or a postgresql:// URL (what Store.open takes).
        self.fd = fd
        self.env = {
            **os.environ,
            "DISCORD_TOKEN": fd.token,
            "DISCORD_API_BASE": fd.api_base,
            **_store_env(database),
            "DATA_DIR": str(ROOT / "data"),
            "LOG_LEVEL": "WARNING",
            # Whatever a developer's .env says, this bot talks to the emulator's guild only.
            "DEV_GUILD_ID": "",
            "MESSAGE_CONTENT_INTENT": "false",
        }
        self.process: asyncio.subprocess.Process | None = None
        # Set it to a file to keep what the process logs (its stderr) there, appended.
        self.log: Path | None = None

    async def _spawn(self, pipe_stderr: bool = False) -> None:
        with contextlib.ExitStack() as files:
            stderr: Any = files.enter_context(self.log.open("ab")) if self.log else None
            if pipe_stderr:
                stderr = asyncio.subprocess.PIPE
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                self.module,
                cwd=ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stderr=stderr,
            )

    async def start(self) -> None:
        await self._spawn()
        await self.fd.wait_for_bot_ready(timeout=30)

    async def start_shards(self, shards: list[int] | range, shard_count: int) -> None:
        """Start one shard process (SHARD_COUNT and SHARD_IDS in `env` say which shards it
        runs), until each of `shards` is ready; another process may hold the others."""
        await self._spawn()
        await self.fd.wait_for_shards(shards, shard_count, timeout=30)

    async def run_until_exit(self, timeout: float = 30.0) -> tuple[int, str]:  # noqa: ASYNC109
        """Run a bot expected to stop by itself (a refused start): its exit code and stderr."""
        await self._spawn(pipe_stderr=True)
        assert self.process is not None
        _, stderr = await asyncio.wait_for(self.process.communicate(), timeout)
        assert self.process.returncode is not None
        return self.process.returncode, stderr.decode()

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        # The dead process's session is gone: the next start() waits for a new READY.
        self.fd.gateway.ready.clear()

    async def stop(self) -> int | None:
        """SIGTERM, as systemd stops it; its exit code (-9 if it had to be killed after 10 s),
        None if it was not running."""
        if self.process is None or self.process.returncode is not None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            await self.kill()
            return self.process.returncode
