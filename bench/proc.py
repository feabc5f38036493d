"""A bot under test as its own process, the real one or the bare floor, and its CPU time."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from harness.fakediscord import FakeDiscord
from harness.process import ROOT, BotProcess

MODULES = {"real": "bot", "bare": "bench.barebot"}
TICKS = os.sysconf("SC_CLK_TCK")


class BenchBot(BotProcess):
    """`python -m bot` or `python -m bench.barebot`, configured the same way."""

    def __init__(
        self,
        fd: FakeDiscord,
        folder: Path,
        kind: str,
        data_dir: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        super().__init__(fd, folder / f"{kind}.db")
        self.kind = kind
        if data_dir is not None:
            self.env["DATA_DIR"] = str(data_dir)
        self.env.update(env or {})

    async def start(self, timeout: float = 30) -> None:  # noqa: ASYNC109
        """Start and wait until the emulator has sent every GUILD_CREATE.

        The first start on a large catalog imports it first, so callers may wait longer.
        """
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            MODULES[self.kind],
            cwd=ROOT,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
        )
        await self.fd.wait_for_bot_ready(timeout=timeout)

    def cpu_seconds(self) -> float:
        """User plus system CPU time the process has used, from /proc (Linux)."""
        assert self.process is not None
        return cpu_seconds(self.process.pid)


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        # The command name (field 2) may hold spaces; the fields after it are fixed.
        fields = fh.read().rpartition(")")[2].split()
    # utime and stime are fields 14 and 15 of proc(5): 11 and 12 once pid and name are cut.
    return (int(fields[11]) + int(fields[12])) / TICKS
