"""The privacy lists cover the schema: a new table with a member's or a server's id fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render.authoring import _author
from bot.store import Store
from bot.store.privacy import ANONYMISED, FORMER_MEMBER, GUILD_ROWS, USER_ROWS

# Column names that hold a Discord user's id.
USER_COLUMN = re.compile(
    r"^(user_id|author_id|creator_id|owner_id|voter|voter_id|member_id|.*_by)$"
)


@pytest.fixture
async def store(tmp_path: Path):
    opened = await Store.open(tmp_path / "watchparty.db")
    yield opened
    await opened.close()


async def columns(store: Store) -> dict[str, list[str]]:
    """Every ordinary table's columns (FTS5 shadow tables hold no ids)."""
    tables = await store.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        " AND name NOT LIKE 'sqlite_%'"
    )
    found = {}
    for row in tables:
        info = await store.fetchall("SELECT name FROM pragma_table_info(?)", (row["name"],))
        found[row["name"]] = [c["name"] for c in info]
    return found


async def test_every_user_id_column_is_deleted_or_anonymised(store: Store) -> None:
    schema = await columns(store)
    user_columns = {
        (table, column)
        for table, names in schema.items()
        for column in names
        if USER_COLUMN.match(column)
    }
    assert user_columns, "the scan found no user-id columns at all"
    covered = set(USER_ROWS) | set(ANONYMISED)
    missing = user_columns - covered
    assert not missing, f"not covered by /privacy delete (bot/store/privacy.py): {missing}"
    assert covered <= user_columns, f"listed but not in the schema: {covered - user_columns}"


async def test_every_guild_id_table_is_purged(store: Store) -> None:
    schema = await columns(store)
    with_guild = {table for table, names in schema.items() if "guild_id" in names}
    missing = with_guild - set(GUILD_ROWS)
    assert not missing, f"not purged when a server leaves (bot/store/privacy.py): {missing}"
    assert set(GUILD_ROWS) <= with_guild


async def test_departure_is_kept_until_the_server_returns(store: Store) -> None:
    await store.privacy.depart(5, 100.0, 200.0)
    assert await store.privacy.next_purge() == 200.0
    assert await store.privacy.due(150.0) == []
    assert await store.privacy.due(200.0) == [5]
    assert await store.privacy.returned(5)
    assert not await store.privacy.returned(5)
    assert await store.privacy.next_purge() is None


def test_a_deleted_author_reads_as_a_former_member() -> None:
    from bot.models import Revision

    fields = {f: None for f in Revision.__dataclass_fields__}
    base = Revision(**{**fields, "author_id": FORMER_MEMBER})  # type: ignore[arg-type]
    assert _author(base) == "a former member"
    assert _author(Revision(**{**fields, "author_id": None})) == "the data file"  # type: ignore[arg-type]
    assert _author(Revision(**{**fields, "author_id": 42})) == "<@42>"  # type: ignore[arg-type]
