"""Work due in this process's servers only: several processes share one store (bot/sharding.py).

`OWNED` is a condition on a `guild_id` column, bound with `Owned.params()`: Discord's shard
formula in SQL, so a bulk query of due work returns only what this process must do.
"""

from __future__ import annotations

OWNED = "((guild_id >> 22) % ?) IN (SELECT value FROM json_each(?))"
