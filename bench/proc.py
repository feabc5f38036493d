"""A bot under test as its own process, the real one or the bare floor, and its CPU time."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from harness.fakediscord import FakeDiscord
from harness.process import BotProcess

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
        self.module = MODULES[kind]
        if data_dir is not None:
            self.env["DATA_DIR"] = str(data_dir)
        self.env.update(env or {})

    async def start(self, timeout: float = 30) -> None:  # noqa: ASYNC109
        """Start and wait until the emulator has sent every GUILD_CREATE.

        The first start on a large catalog imports it first, so callers may wait longer.
        """
        await self._spawn()
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


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a server process and its children: the live children's own, plus what
    its exited children used (the kernel adds it to the parent's cutime and cstime once the
    parent has waited for them). PostgreSQL runs a process per connection under the
    postmaster, so this is the whole server's CPU."""
    total = _own_and_reaped(pid)
    for child in _children(pid):
        with contextlib.suppress(OSError):  # it ended since: its time is the parent's now
            total += cpu_seconds(child)
    return total


def _own_and_reaped(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rpartition(")")[2].split()
    # utime, stime, cutime, cstime: fields 14 to 17 of proc(5), 11 to 14 here.
    return sum(int(n) for n in fields[11:15]) / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii") as fh:
                fields = fh.read().rpartition(")")[2].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:  # ppid: field 4 of proc(5)
            found.append(int(entry.name))
    return found
