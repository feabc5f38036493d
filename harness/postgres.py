"""A throwaway PostgreSQL server for tests and CI: a private cluster in a temporary folder,
on a free loopback port, removed afterwards.

    with PostgresServer() as url:   # postgresql://watchparty@127.0.0.1:PORT/watchparty_test
        ...

It uses the server binaries of the machine (`initdb`, `pg_ctl`: Debian's `postgresql`
package puts them in /usr/lib/postgresql/<version>/bin, off PATH); `find_bin_dir()` is None
without them and `skip_reason()` says so. `make test` installs them when it can (Makefile).
PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user
(or `nobody`), through `setpriv`.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

DEFAULT_DATABASE = "watchparty_test"
SUPERUSER = "watchparty"
# Tried in order when running as root; Debian's package creates `postgres`.
RUN_AS = ("postgres", "nobody")
# A throwaway cluster need not survive a power cut: no fsync makes start-up and every write
# several times faster.
SETTINGS = (
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
    "listen_addresses = '127.0.0.1'",
    "max_connections = 50",
)
# PostgreSQL's own defaults, for a benchmark that should pay what a deployment pays: every
# commit waits for its WAL record to reach the disk (later lines of postgresql.conf win).
DURABLE = ("fsync = on", "synchronous_commit = on", "full_page_writes = on")


class PostgresError(Exception):
    """The server could not be set up; the message says which step failed and why."""


def find_bin_dir() -> Path | None:
    """The newest installed server's bin folder (or PATH's), or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def skip_reason() -> str | None:
    if find_bin_dir() is None:
        return (
            "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql "
            "package (`make test` does, as root)"
        )
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _unprivileged() -> pwd.struct_passwd | None:
    """Who runs the server when we are root (None: we are not root, we run it)."""
    if os.geteuid() != 0:
        return None
    for name in RUN_AS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresError("running as root, and there is no 'postgres' or 'nobody' user to run as")


class PostgresServer:
    """One private cluster: `start()` returns its URL, `stop()` stops it and deletes its files."""

    def __init__(
        self,
        database: str = DEFAULT_DATABASE,
        bin_dir: Path | None = None,
        *,
        durable: bool = False,
    ) -> None:
        found = bin_dir or find_bin_dir()
        if found is None:
            raise PostgresError(skip_reason() or "no PostgreSQL server binaries")
        self.bin_dir = found
        self.database = database
        self.port = 0
        self.folder: Path | None = None
        self.user = _unprivileged()
        self.durable = durable

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{self.database}"

    @property
    def data_dir(self) -> Path:
        assert self.folder is not None
        return self.folder / "data"

    @property
    def pid(self) -> int:
        """The postmaster's process id (every connection's process is its child)."""
        with (self.data_dir / "postmaster.pid").open(encoding="ascii") as fh:
            return int(fh.readline())

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin_dir / tool), *args]
        if self.user is not None:
            ids = [f"--reuid={self.user.pw_uid}", f"--regid={self.user.pw_gid}", "--clear-groups"]
            command = ["setpriv", *ids, "--", *command]
        # A HOME the server's user can read; LC_ALL=C so a machine without locales still works.
        env = {**os.environ, "HOME": str(self.folder), "LC_ALL": "C", "PGTZ": "UTC"}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip().splitlines()
            raise PostgresError(f"{tool} failed: {output[-1] if output else done.returncode}")

    def start(self) -> str:
        self.folder = Path(tempfile.mkdtemp(prefix="watchparty-pg-"))
        try:
            if self.user is not None:
                os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
            self._run(
                "initdb",
                "--pgdata", str(self.data_dir),
                "--username", SUPERUSER,
                "--auth", "trust",
                "--encoding", "UTF8",
                "--no-locale",
                "--no-sync",
            )  # fmt: skip
            conf = self.data_dir / "postgresql.conf"
            lines = [*SETTINGS, f"unix_socket_directories = '{self.folder}'"]
            lines += DURABLE if self.durable else ()
            with conf.open("a", encoding="utf-8") as extra:
                extra.write("\n".join(lines) + "\n")
            self._start_on_a_free_port()
            self._run(
                "createdb", "--host", "127.0.0.1", "--port", str(self.port),
                "--username", SUPERUSER, self.database,
            )  # fmt: skip
        except BaseException:
            self.stop()
            raise
        return self.url

    def _start_on_a_free_port(self) -> None:
        # Another process may take the port between the probe and the bind: try a few.
        for attempt in range(3):
            self.port = _free_port()
            log = str(self.data_dir.parent / "server.log")
            try:
                self._run(
                    "pg_ctl", "start", "--wait", "--timeout", "60", "--silent",
                    "--pgdata", str(self.data_dir), "--log", log,
                    "--options", f"-p {self.port}",
                )  # fmt: skip
                return
            except PostgresError:
                if attempt == 2:
                    raise

    def stop(self) -> None:
        if self.folder is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            # Immediate: nothing in a throwaway cluster is worth a checkpoint.
            with contextlib.suppress(PostgresError):
                self._run(
                    "pg_ctl", "stop", "--wait", "--silent", "--mode", "immediate",
                    "--pgdata", str(self.data_dir),
                )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
