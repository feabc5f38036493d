"""Importing data files into the store: idempotent, one transaction per file."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import datafiles
from .datafiles import DataFileError
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[DataFileError] = field(default_factory=list)


def data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


async def import_file(store: Store, path: Path, *, force: bool = False) -> bool:
    """Load one file; False when its content was already loaded. Raises DataFileError."""
    try:
        raw = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise DataFileError(path, "", f"cannot be read ({exc.strerror})") from exc
    digest = datafiles.digest(raw)
    if not force and await store.catalog.file_digest(path.name) == digest:
        return False
    parsed = datafiles.parse(raw, path)
    owner = await store.catalog.show_source(parsed.show.slug)
    if owner is not None and owner != path.name:
        raise DataFileError(path, "show.slug", f"“{parsed.show.slug}” is already used by {owner}")
    await store.catalog.replace_show(parsed, path.name, digest)
    return True


async def import_folder(store: Store, folder: Path) -> LoadReport:
    """Load every data file in `folder`; a malformed one is reported and leaves the store as it was."""
    report = LoadReport()
    for path in data_files(folder):
        try:
            changed = await import_file(store, path)
        except DataFileError as error:
            log.error("Data file not loaded, the previous data stays: %s", error)
            report.errors.append(error)
            continue
        (report.loaded if changed else report.unchanged).append(path.name)
    if report.loaded:
        log.info("Loaded data files: %s", ", ".join(report.loaded))
    return report
