"""The code's shape, checked: floors without cycles, rendering without the store, no cog looked
up by name, every command name unique. Read from the source, so type-only imports count too."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "cogs", "bench", "harness")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The project modules `name` imports, anywhere in the file (TYPE_CHECKING blocks too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import mod` imports the module when there is one, else the package.
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


# Parsed once per process: each floor's test reads the same graph (read-only).
@functools.cache
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imports(name, path, known)) for name, path in known.items()}


def test_import_graph_has_no_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == [], "\n".join(" → ".join(cycle) for cycle in cycles)


# The catalog's floor-3 modules (ARCHITECTURE.md): the import and export stand on the store,
# the preview on the renderers, and sync on the import.
CATALOG_ABOVE_STORE = (
    "bot.catalog.importer",
    "bot.catalog.exporter",
    "bot.catalog.sync",
    "bot.catalog.preview",
)
# Content sources and the data format write and read data files; the import, not the source,
# reaches the store.
CATALOG_FILES_ONLY = (*CATALOG_ABOVE_STORE, "bot.store", "bot.render", "bot.app", "cogs")


@pytest.mark.parametrize(
    ("floor", "must_not_reach"),
    [
        ("bot.models", ("bot.", "cogs")),
        ("bot.limits", ("bot.", "cogs")),
        ("bot.render", ("bot.store", "bot.app", "cogs", *CATALOG_ABOVE_STORE)),
        ("bot.store", ("bot.render", "bot.app", "cogs", "bot.catalog")),
        ("bot.catalog.sources", CATALOG_FILES_ONLY),
        ("bot.catalog.datafiles", CATALOG_FILES_ONLY),
        ("bot.catalog.datachecks", CATALOG_FILES_ONLY),
        ("bot.catalog.dataformat", CATALOG_FILES_ONLY),
        ("bot.catalog", ("bot.app", "bot.services", "cogs")),
        ("bot", ("cogs", "harness", "bench", "tests")),
        ("cogs", ("harness", "bench", "tests")),
        # The emulator knows Discord, not this bot: it must work for any discord.py client.
        ("harness", ("bot", "cogs", "bench", "tests")),
        # Routes stand on base; only the server and the driver stand on the routes.
        ("harness.fakediscord.base", ("harness.fakediscord.routes", "harness.fakediscord.server")),
        ("harness.fakediscord.world", ("harness.fakediscord.routes", "harness.fakediscord.driver")),
    ],
)
def test_floors_only_import_downwards(floor: str, must_not_reach: tuple[str, ...]) -> None:
    edges = graph()
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in edges.items()
        if module == floor or module.startswith(floor + ".")
        for target in targets
        if target.startswith(must_not_reach)
        and not target.startswith(floor)
        # A model module may import the models it builds on.
        and not (floor in ("bot.models", "bot.limits") and target in ("bot.models", "bot.limits"))
    )
    assert wrong == []


def test_no_cog_is_looked_up_by_name() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules().values()
        if re.search(r"\bget_cog\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# Discord's documented limits (characters, choices, embeds, fields): a module-level number with
# one of these values outside bot/limits.py is almost always a copy of one.
DISCORD_NUMBERS = frozenset({25, 45, 80, 100, 256, 1024, 2000, 2048, 4000, 4096, 6000})
# Words in a constant's name that say it is a limit, whatever its value. (Not LONGEST or
# MOST: those also name back-offs and sleeps, which are timing, not limits.)
LIMIT_WORDS = frozenset({"MAX", "MIN", "LIMIT", "LEN", "LENGTH", "CHARS", "CHOICES", "OPTIONS"})


def constants(path: Path) -> Iterator[tuple[int, str, list[float]]]:
    """(line, names, numeric literals) of each module- or class-level assignment."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bodies = [tree.body, *(n.body for n in tree.body if isinstance(n, ast.ClassDef))]
    for node in (n for body in bodies for n in body):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        numbers: list[float] = [
            c.value
            for c in ast.walk(value)
            if isinstance(c, ast.Constant)
            and isinstance(c.value, int | float)
            and not isinstance(c.value, bool)
        ]
        if numbers:
            yield node.lineno, ", ".join(names), numbers


def limit_like(path: Path) -> list[str]:
    """The assignments of `path` that write out a limit: by name or by a Discord value."""
    found = []
    for line, names, numbers in constants(path):
        words = {w for n in names.split(", ") for w in n.strip("_").split("_")}
        discord_like = sorted(set(numbers) & DISCORD_NUMBERS)
        if discord_like or words & LIMIT_WORDS:
            found.append(f"{line} {names} = {discord_like or numbers}")
    return found


def test_limits_are_defined_once() -> None:
    """Discord's numbers, and the bot's own limits, live in bot/limits.py: no other module of
    bot/ or cogs/ writes one out, whether its name says so (`*_MAX`, `MIN_*`, `..._CHARS`)
    or only its value does (`max_length=100` inside a transformer)."""
    found = {
        str(path.relative_to(ROOT)): limit_like(path)
        for name, path in modules().items()
        if name.startswith(("bot", "cogs")) and name != "bot.limits"
    }
    assert {where: lines for where, lines in found.items() if lines} == {}


def test_the_limit_check_catches_what_it_should(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "Zone = Transform[str, Option(max_length=100)]\n"
        "MIN_SECONDS = 5\n"
        "_TEXT_LEN = 40\n"
        "LONGEST_SLEEP = 60.0\n"
        "TITLE_CHARS: int = 3\n"
        "ARCHIVE_AFTER_MINUTES = 10080\n"
        "DEFAULT_SECONDS = 86400\n"
        "LOW, HIGH = POLL_SECONDS\n"
        "class Buttons:\n    PER_ROW = 25\n",
        encoding="utf-8",
    )
    flagged = [line.split(" ")[1] for line in limit_like(sample)]
    assert flagged == ["Zone", "MIN_SECONDS", "_TEXT_LEN", "TITLE_CHARS", "PER_ROW"]


def test_every_extension_loads_and_command_names_are_unique() -> None:
    """As python-discord/bot checks: two cogs must never register the same command name."""
    from bot.app import EXTENSIONS
    from cogs.utils.permissions import AUDIENCES

    names: list[str] = []
    for extension in EXTENSIONS:
        module = __import__(extension, fromlist=["setup"])
        assert callable(module.setup), extension
        for value in vars(module).values():
            commands = getattr(value, "__cog_app_commands__", None)
            group = getattr(value, "__cog_group_name__", None)
            if commands is None or value.__module__ != module.__name__:
                continue
            names.extend([str(group)] if group else [c.name for c in commands])
            for command in commands:
                leaves = getattr(command, "commands", None) or [command]
                # /help shows each command with its example (cogs/meta.py).
                assert all("example" in leaf.extras for leaf in leaves), command.name
                # An audience /help cannot check would hide nothing, or fail /help.
                assert all(leaf.extras.get("audience") in (None, *AUDIENCES) for leaf in leaves)
    assert len(names) == len(set(names)), names
