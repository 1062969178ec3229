"""Claims of docs/storage/sqlite.md."""

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import aiosqlite
import pytest

from tests.support import load_module, run_main, within_bound

SLOW = 0.3  # seconds one call of the slow SQL function blocks its thread


def slow(value: float) -> float:
    time.sleep(SLOW)
    return value


async def slow_connection(path: Path | str) -> aiosqlite.Connection:
    db = await aiosqlite.connect(path)
    await db.create_function("slow", 1, slow)
    return db


async def test_prints_the_rollback_the_count_and_the_three_queries(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "batch rolled back: UNIQUE constraint failed: books.title",
        "4 books stored",
        "before 1960: Foundation (1951)",
        "before 1970: Foundation (1951), Dune (1965)",
        "before 1990: Foundation (1951), Dune (1965), Neuromancer (1984), Hyperion (1989)",
    ]


async def test_the_failed_batch_is_rolled_back_all_or_nothing(recipe, tmp_path):
    module = load_module(recipe)
    path = tmp_path / "books.db"
    await module.create_and_fill(path)
    async with aiosqlite.connect(path) as db:
        titles = {
            title for (title,) in await db.execute_fetchall("SELECT title FROM books")
        }
    # Solaris was inserted before Dune failed, and was undone with it.
    assert titles == {"Dune", "Neuromancer", "Hyperion", "Foundation"}


async def test_concurrent_readers_return_results_in_argument_order(recipe):
    run = await run_main(recipe)
    assert list(run.result) == [1960, 1970, 1990]
    assert run.result[1970] == ["Foundation (1951)", "Dune (1965)"]


async def test_row_factory_gives_rows_by_column_name(recipe, tmp_path):
    module = load_module(recipe)
    path = tmp_path / "books.db"
    await module.create_and_fill(path)
    assert aiosqlite.Row is sqlite3.Row
    async with aiosqlite.connect(path) as db:
        db.row_factory = aiosqlite.Row
        async with db.execute(
            "SELECT title, author FROM books WHERE year = 1984"
        ) as cur:
            row = await cur.fetchone()
    assert row is not None
    assert (row["title"], row["author"]) == ("Neuromancer", "Gibson")
    assert row.keys() == ["title", "author"]


async def test_each_connection_runs_sqlite3_in_its_own_thread(tmp_path):
    idents = []
    for _ in range(3):
        async with aiosqlite.connect(tmp_path / "any.db") as db:
            await db.create_function("thread_id", 0, threading.get_ident)
            [(ident,)] = await db.execute_fetchall("SELECT thread_id()")
            idents.append(ident)
    assert threading.get_ident() not in idents  # not the event loop's thread
    assert len(idents) == 3


async def test_open_connections_each_have_a_thread_of_their_own(tmp_path):
    before = set(threading.enumerate())
    dbs = [await aiosqlite.connect(tmp_path / "any.db") for _ in range(3)]
    threads = set(threading.enumerate()) - before
    assert len(threads) == 3
    for db in dbs:
        await db.close()
    # close() stops the thread: it returns as the thread's loop ends, and the thread
    # needs a moment more to finish (seen: one still alive right after close()).
    for thread in threads:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads)
    # None left; a thread of an earlier test may have finished meanwhile, too.
    assert set(threading.enumerate()) <= before


async def test_without_commit_the_rows_are_gone_after_close(tmp_path):
    path = tmp_path / "books.db"
    async with aiosqlite.connect(path) as db:
        await db.execute("CREATE TABLE t (x INTEGER)")
        await db.commit()
        await db.execute("INSERT INTO t VALUES (1)")
        assert db.in_transaction  # sqlite3 opened a transaction before the INSERT
    async with aiosqlite.connect(path) as db:
        assert await db.execute_fetchall("SELECT x FROM t") == []


async def test_memory_databases_are_private_to_each_connection():
    async with aiosqlite.connect(":memory:") as first:
        await first.execute("CREATE TABLE t (x INTEGER)")
        async with aiosqlite.connect(":memory:") as second:
            with pytest.raises(sqlite3.OperationalError, match="no such table: t"):
                await second.execute("SELECT x FROM t")


@pytest.mark.looptime(False)
async def test_a_slow_query_does_not_block_the_event_loop(tmp_path):
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    db = await slow_connection(tmp_path / "any.db")
    try:
        await db.execute_fetchall("SELECT slow(1)")
    finally:
        await db.close()
        beating.cancel()
    # 0.3 s of query: the loop ticked all along (about 30 times), not once after.
    assert ticks >= 10


@pytest.mark.looptime(False)
async def test_one_connection_runs_its_queries_one_at_a_time(tmp_path):
    path = tmp_path / "any.db"

    async def timed_queries(dbs: list[aiosqlite.Connection]) -> float:
        start = time.perf_counter()
        await asyncio.gather(*(db.execute_fetchall("SELECT slow(1)") for db in dbs))
        return time.perf_counter() - start

    dbs = [await slow_connection(path) for _ in range(3)]
    try:
        shared = await timed_queries([dbs[0]] * 3)  # queued in one thread
        separate = await timed_queries(dbs)  # three threads
    finally:
        for db in dbs:
            await db.close()
    assert shared >= 3 * SLOW  # one after the other
    assert shared / separate > 1.8  # about 3: the three connections ran together


async def test_uncommitted_rows_are_invisible_to_other_connections(tmp_path):
    path = tmp_path / "books.db"
    async with aiosqlite.connect(path) as writer, aiosqlite.connect(path) as reader:
        await writer.execute("CREATE TABLE t (x INTEGER)")
        await writer.commit()
        await writer.executemany("INSERT INTO t VALUES (?)", [(1,), (2,)])
        assert await reader.execute_fetchall("SELECT x FROM t") == []
        await writer.commit()
        assert await reader.execute_fetchall("SELECT x FROM t") == [(1,), (2,)]


async def test_async_for_fetches_rows_in_chunks_of_64(tmp_path):
    async with aiosqlite.connect(tmp_path / "any.db") as db:
        async with db.execute("SELECT 1") as cursor:
            assert cursor.iter_chunk_size == 64
        db.row_factory = aiosqlite.Row
        [row] = await db.execute_fetchall("SELECT 'Dune' AS title")
        assert row[0] == row["title"] == "Dune"  # by position and by name


# Locks: one writer at a time, a busy timeout, and WAL.

LOCKED = "database is locked"


async def table_with_rows(path: Path, rows: int = 3) -> None:
    async with aiosqlite.connect(path) as db:
        await db.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
        await db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(rows)])
        await db.commit()


async def journal_mode(db: aiosqlite.Connection) -> str:
    [(mode,)] = await db.execute_fetchall("PRAGMA journal_mode")
    return mode


async def test_the_recipe_switches_the_database_to_wal(recipe, tmp_path):
    module = load_module(recipe)
    path = tmp_path / "books.db"
    await module.create_and_fill(path)
    async with aiosqlite.connect(path) as db:
        assert await journal_mode(db) == "wal"  # stored in the file: every connection


async def test_the_busy_timeout_is_the_connect_timeout_5_s_by_default(tmp_path):
    async with aiosqlite.connect(tmp_path / "any.db") as db:
        assert await db.execute_fetchall("PRAGMA busy_timeout") == [(5000,)]  # ms
    async with aiosqlite.connect(tmp_path / "any.db", timeout=0.2) as db:
        assert await db.execute_fetchall("PRAGMA busy_timeout") == [(200,)]


@pytest.mark.looptime(False)
async def test_a_second_writer_waits_its_timeout_then_database_is_locked(tmp_path):
    path = tmp_path / "any.db"
    await table_with_rows(path)

    async def second_write() -> float:
        async with (
            aiosqlite.connect(path) as first,
            aiosqlite.connect(path, timeout=0.3) as second,
        ):
            await first.execute("INSERT INTO t VALUES (10)")  # write transaction open
            start = time.perf_counter()
            with pytest.raises(sqlite3.OperationalError, match=LOCKED):
                await second.execute("INSERT INTO t VALUES (11)")
            return time.perf_counter() - start

    waited = await within_bound(second_write, lambda waited: waited < 2.0)
    assert waited >= 0.3  # it waited its whole timeout first
    assert waited < 2.0


@pytest.mark.looptime(False)
async def test_the_busy_timeout_waits_for_the_other_writer_to_commit(tmp_path):
    path = tmp_path / "any.db"
    await table_with_rows(path)
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def commit_later(db: aiosqlite.Connection) -> None:
        await asyncio.sleep(0.3)
        await db.commit()

    async with (
        aiosqlite.connect(path) as first,
        aiosqlite.connect(path, timeout=5) as second,
    ):
        await first.execute("INSERT INTO t VALUES (10)")
        beating = asyncio.create_task(heartbeat())
        start = time.perf_counter()
        async with asyncio.TaskGroup() as tg:
            tg.create_task(commit_later(first))
            await second.execute("INSERT INTO t VALUES (11)")  # waits, then writes
            waited = time.perf_counter() - start
        beating.cancel()
        await second.commit()
        rows = await second.execute_fetchall("SELECT x FROM t ORDER BY x")
    assert waited >= 0.3  # until the first writer committed, not the full 5 s
    assert rows == [(0,), (1,), (2,), (10,), (11,)]
    assert ticks >= 10  # the wait was in the connection's thread: the loop ran on


async def reader_mid_query(db: aiosqlite.Connection) -> aiosqlite.Cursor:
    """A reader in the middle of a query: first row read, statement still open."""
    cursor = await db.execute("SELECT x FROM t ORDER BY x")
    assert await cursor.fetchone() == (0,)
    return cursor


@pytest.mark.looptime(False)
async def test_in_rollback_mode_an_open_read_blocks_a_writers_commit(tmp_path):
    path = tmp_path / "any.db"
    await table_with_rows(path)
    async with (
        aiosqlite.connect(path) as reader,
        aiosqlite.connect(path, timeout=0.2) as writer,
    ):
        assert await journal_mode(writer) == "delete"  # SQLite's default
        cursor = await reader_mid_query(reader)
        await writer.execute("INSERT INTO t VALUES (10)")  # writing itself works
        with pytest.raises(sqlite3.OperationalError, match=LOCKED):
            await writer.commit()  # needs every reader gone
        await cursor.close()
        await writer.commit()  # the reader is done: now it goes through


async def test_in_wal_mode_a_writer_commits_while_a_reader_reads(tmp_path):
    path = tmp_path / "any.db"
    await table_with_rows(path)
    async with (
        aiosqlite.connect(path) as reader,
        aiosqlite.connect(path, timeout=0.2) as writer,
    ):
        [(mode,)] = await writer.execute_fetchall("PRAGMA journal_mode=WAL")
        assert mode == "wal"
        cursor = await reader_mid_query(reader)
        await writer.execute("INSERT INTO t VALUES (10)")
        await writer.commit()  # no wait for the reader
        # The reader still reads the snapshot its query started with...
        assert await cursor.fetchall() == [(1,), (2,)]
        await cursor.close()
        # ...and its next query sees the commit.
        assert (10,) in await reader.execute_fetchall("SELECT x FROM t")


async def test_in_wal_mode_there_is_still_one_writer_at_a_time(tmp_path):
    path = tmp_path / "any.db"
    await table_with_rows(path)
    async with (
        aiosqlite.connect(path) as first,
        aiosqlite.connect(path, timeout=0) as second,
    ):
        await first.execute("PRAGMA journal_mode=WAL")
        await first.execute("INSERT INTO t VALUES (10)")
        with pytest.raises(sqlite3.OperationalError, match=LOCKED):
            await second.execute("INSERT INTO t VALUES (11)")
        await first.commit()
