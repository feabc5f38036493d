"""The throwaway PostgreSQL server of harness/postgres.py: it starts, answers, and is gone after."""

from __future__ import annotations

import asyncpg
import pytest

from harness.postgres import PostgresServer, skip_reason


async def test_the_session_server_answers(postgres_url: str) -> None:
    connection = await asyncpg.connect(postgres_url)
    try:
        version = await connection.fetchval("SELECT version()")
        database = await connection.fetchval("SELECT current_database()")
    finally:
        await connection.close()
    assert version.startswith("PostgreSQL ") and database == "watchparty_test"


@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
async def test_a_server_is_stopped_and_deleted_afterwards() -> None:
    server = PostgresServer(database="smoke")
    url = server.start()
    folder = server.folder
    assert folder is not None and (folder / "data" / "PG_VERSION").is_file()
    connection = await asyncpg.connect(url)
    assert await connection.fetchval("SELECT 1 + 1") == 2
    await connection.close()
    server.stop()
    assert not folder.exists()
    with pytest.raises(OSError):
        await asyncpg.connect(url, timeout=5)
