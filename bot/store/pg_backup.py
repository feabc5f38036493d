"""`python -m bot backup` on PostgreSQL: pg_dump's custom format, restored with pg_restore.

Written beside the target and renamed into place, as the SQLite backup is: a failed dump never
leaves a partial file that could be mistaken for a good one.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .backup import _check_target
from .db import StoreError


def pg_dump() -> str | None:
    """pg_dump from PATH, or from the newest installed server (Debian keeps it off PATH)."""
    found = shutil.which("pg_dump")
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return str(versions[-1]) if versions else None


def _without_password(url: str) -> tuple[str, str | None]:
    # The password goes to pg_dump in its environment: a command line is visible to `ps`.
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + "@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=user + netloc[-1])), parts.password


async def dump(url: str, target: Path) -> None:
    """A consistent copy of the whole database (pg_dump reads in one snapshot)."""
    tool = pg_dump()
    if tool is None:
        raise StoreError(
            "pg_dump was not found: install PostgreSQL's client tools (Debian: "
            "postgresql-client) of the server's major version or newer."
        )
    # As SQLite's backup: a missing folder is made, a folder as the target is refused.
    _check_target(target)
    address, password = _without_password(url)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    partial = target.with_name(target.name + ".partial")
    process = await asyncio.create_subprocess_exec(
        tool, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={address}",
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await process.communicate()
    if process.returncode != 0:
        partial.unlink(missing_ok=True)
        lines = errors.decode(errors="replace").strip().splitlines()
        raise StoreError(f"pg_dump failed: {lines[-1] if lines else process.returncode}")
    partial.replace(target)
