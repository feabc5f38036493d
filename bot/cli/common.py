"""What every subcommand shares: how a fault an operator can fix ends."""

from __future__ import annotations

import sys


def fail(line: str) -> int:
    """One line on stderr and exit status 1."""
    print(f"error: {line}", file=sys.stderr)
    return 1
