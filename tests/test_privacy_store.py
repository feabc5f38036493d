"""The privacy lists cover the schema: a new table with a member's or a server's id fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.render.authoring import _author
from bot.settings import Settings, SettingsError
from bot.store import Store
from bot.store.privacy import ANONYMISED, FORMER_MEMBER, GUILD_ROWS, USER_ROWS
from tests.conftest import Databases
from tests.stores import store_env
from tests.test_operations import one_line_error, run_bot

# Column names that hold a Discord user's id.
USER_COLUMN = re.compile(
    r"^(user_id|author_id|creator_id|owner_id|voter|voter_id|member_id|.*_by)$"
)


@pytest.fixture
async def store(tmp_path: Path, databases: Databases):
    opened = await Store.open(await databases("watchparty.db"))
    yield opened
    await opened.close()


async def columns(store: Store) -> dict[str, list[str]]:
    """Every ordinary table's columns (FTS5 shadow tables hold no ids)."""
    if store.dialect == "postgresql":
        rows = await store.fetchall(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name != 'schema_version'"
        )
        tables: dict[str, list[str]] = {}
        for row in rows:
            tables.setdefault(row["table_name"], []).append(row["column_name"])
        return tables
    listed = await store.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        " AND name NOT LIKE 'sqlite_%'"
    )
    found = {}
    for row in listed:
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


async def fill_for_the_shell(target: str) -> None:
    """A member (7) with a time zone, a reminder setting and a follow-parties row in server 9."""
    store = await Store.open(target)
    try:
        await store.members.set_time_zone(7, "Europe/Paris")
        async with store.transaction() as db:
            await db.execute("INSERT INTO reminder_opt_outs (guild_id, user_id) VALUES (9, 7)")
            await db.execute("INSERT INTO party_followers (guild_id, user_id) VALUES (9, 7)")
            await db.execute("INSERT INTO guild_settings (guild_id) VALUES (9)")
    finally:
        await store.close()


async def test_the_shell_shows_exports_and_deletes_a_member_by_id(
    tmp_path: Path, databases: Databases
) -> None:
    target = await databases()
    await fill_for_the_shell(target)
    shell = store_env(target)
    shown = run_bot(tmp_path, "privacy", "show", "7", **shell)
    assert shown.returncode == 0, shown.stderr
    assert "time zone: Europe/Paris" in shown.stdout
    exported = run_bot(tmp_path, "privacy", "export", "7", **shell)
    tables = json.loads(exported.stdout)["tables"]
    assert set(tables) == {"member_time_zones", "reminder_opt_outs", "party_followers"}
    refused = run_bot(tmp_path, "privacy", "delete", "7", **shell)
    assert "--yes" in one_line_error(refused)
    deleted = run_bot(tmp_path, "privacy", "delete", "7", "--yes", **shell)
    assert deleted.stdout.strip() == "deleted: user 7: 3 rows; 0 open polls recounted"
    again = run_bot(tmp_path, "privacy", "show", "7", **shell)
    assert again.stdout.strip() == "I store nothing about you."


async def test_purge_server_asks_first_then_deletes_every_row_of_the_server(
    tmp_path: Path, databases: Databases
) -> None:
    target = await databases()
    await fill_for_the_shell(target)
    shell = store_env(target)
    assert "--yes" in one_line_error(run_bot(tmp_path, "purge-server", "9", **shell))
    purged = run_bot(tmp_path, "purge-server", "9", "--yes", **shell)
    assert purged.stdout.strip() == "purged: server 9: 3 rows deleted"
    store = await Store.open(target)
    try:
        assert await store.privacy.about_user(7) == {
            "member_time_zones": [{"user_id": 7, "time_zone": "Europe/Paris"}]
        }
    finally:
        await store.close()


@pytest.mark.parametrize("value", ["-1", "forever", "366"])
def test_guild_data_days_is_validated(value: str) -> None:
    with pytest.raises(SettingsError, match="GUILD_DATA_DAYS"):
        Settings.from_env({"DISCORD_TOKEN": "x", "GUILD_DATA_DAYS": value})


def test_guild_data_days_defaults_to_thirty() -> None:
    assert Settings.from_env({"DISCORD_TOKEN": "x"}).guild_data_days == 30
    assert Settings.from_env({"DISCORD_TOKEN": "x", "GUILD_DATA_DAYS": "0"}).guild_data_days == 0
