"""When a watch-party step that met a passing fault is tried again.

The owner of the per-step tries: an entry lives from a step's first fault until the step
settles, and `keep()` drops the entries of steps no longer due (a party cancelled, deleted or
settled elsewhere), so the dict never outgrows the parties pending now. Held in memory only:
after a restart every pending step is tried at once, which is what a restart is for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import PartyStep

Key = tuple[int, PartyStep]

# The first retry comes after FIRST seconds, each next one waits twice as long, up to LONGEST.
# LONGEST stays well inside Discord's few minutes of nonce memory, so a send whose answer was
# lost is repeated while Discord still recognises it; and one request every half minute per
# pending step is nothing to Discord's rate limits during an outage.
FIRST, LONGEST = 2.0, 30.0


@dataclass
class Retry:
    tries: int
    at: float  # not before this time


class Retries:
    def __init__(self) -> None:
        self._due: dict[Key, Retry] = {}

    def __len__(self) -> int:
        return len(self._due)

    def ready(self, key: Key, now: float) -> bool:
        retry = self._due.get(key)
        return retry is None or retry.at <= now

    def failed(self, key: Key, now: float) -> Retry:
        tries = self._due[key].tries + 1 if key in self._due else 1
        retry = Retry(tries, now + min(LONGEST, FIRST * 2 ** (tries - 1)))
        self._due[key] = retry
        return retry

    def settled(self, key: Key) -> None:
        self._due.pop(key, None)

    def keep(self, due: Iterable[Key]) -> None:
        """Forget every step not in `due`."""
        wanted = set(due)
        for key in [k for k in self._due if k not in wanted]:
            del self._due[key]

    def not_before(self, party_id: int) -> float | None:
        """When the party's step waiting to retry may run; None if none waits."""
        times = [r.at for (pid, _), r in self._due.items() if pid == party_id]
        return max(times) if times else None
