"""The catalog's subcommands: check, preview, import, export and remove data files and shows."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..catalog import datafiles, exporter, importer, preview
from ..catalog.datafiles import DataFileError
from ..settings import Settings
from ..store import Store
from .common import fail


def check(paths: list[Path]) -> int:
    failed = 0
    for path in paths:
        try:
            parsed = datafiles.load(path)
        except DataFileError as error:
            print(f"error: {error}", file=sys.stderr)
            failed += 1
            continue
        # A file that checks also renders: every page within Discord's limits.
        refused = [f"error: {path.name}: {line}" for line in preview.problems(parsed)]
        if refused:
            print("\n".join(refused), file=sys.stderr)
            failed += 1
            continue
        print(f"ok: {path.name}: {parsed.show.title}, {len(parsed.episodes)} episode(s)")
    return 1 if failed else 0


def show_preview(args: argparse.Namespace) -> int:
    data_dir = args.data_dir or Path(os.environ.get("DATA_DIR") or "data")
    try:
        lines, sendable = preview.preview(args.kind, args.show, args.episode, data_dir)
    except (preview.PreviewError, DataFileError) as error:
        return fail(str(error))
    print("\n".join(lines))
    return 0 if sendable else 1


async def import_files(database: Path | str, paths: list[Path]) -> int:
    store = await Store.open(database)
    try:
        # Every file is written (force), parsed ahead in worker processes when they are large.
        report = await importer.import_files(store, paths)
    finally:
        await store.close()
    for error in report.errors:
        print(f"error: {error} (nothing from this file was written)", file=sys.stderr)
    for path in paths:
        if path.name in report.changes:
            print(f"imported: {path.name}: {report.changes[path.name]}")
    return 1 if report.errors else 0


async def export(settings: Settings, slug: str | None, folder: Path | None) -> int:
    """Write shows back as data files, Discord edits included; prints each file written."""
    folder = folder or settings.data_dir
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 1
    store = await Store.open(settings.store_target)
    try:
        if slug is None:
            written = await exporter.export_all(store, folder)
        else:
            path = await exporter.export_show(store, slug, folder)
            if path is None:
                print(f"error: no show has the slug “{slug}”", file=sys.stderr)
                return 1
            written = [path]
    finally:
        await store.close()
    for path in written:
        print(f"exported: {path}")
    return 0


async def remove_show(settings: Settings, slug: str, *, force: bool) -> int:
    """Delete a show nothing members made refers to; with --force, retire one that has some."""
    store = await Store.open(settings.store_target)
    try:
        source = await store.catalog.show_source(slug)
        dependents = await store.catalog.dependents(slug)
        if source is None or dependents is None:
            print(f"error: no show has the slug “{slug}”", file=sys.stderr)
            return 1
        if not dependents and await store.catalog.remove_show(slug):
            print(f"removed: {slug}")
        elif force:
            await store.catalog.retire_show(slug)
            print(f"retired: {slug}: hidden from commands; its {dependents} stay")
        else:
            print(
                f"error: {slug} has {dependents}: nothing removed"
                " (--force hides the show and keeps them)",
                file=sys.stderr,
            )
            return 1
    finally:
        await store.close()
    if (settings.data_dir / source).is_file():
        print(f"note: {source} is still in {settings.data_dir}: move it away, or it returns")
    return 0
