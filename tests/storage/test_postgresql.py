"""Claims of docs/storage/postgresql.md, against a real PostgreSQL server (conftest.py)."""

import asyncio
import os
import socket
from pathlib import Path

import asyncpg
import pytest

from tests.support import load_module, run_main, within_bound

# Real server, real sockets: the loop's clock must be the real one.
pytestmark = pytest.mark.looptime(False)

ANOTHER_OPERATION = "cannot perform operation: another operation is in progress"


async def test_prints_balances_the_error_and_the_pooled_results(recipe, postgres_dsn):
    run = await run_main(recipe, postgres_dsn)
    lines = run.output.splitlines()
    assert lines[:3] == [
        "after alice -> bob 30: {'alice': 70, 'bob': 80}",
        "bob -> alice 500 rolled back: {'alice': 70, 'bob': 80}",
        f"one connection, two tasks: [1, InterfaceError('{ANOTHER_OPERATION}')]",
    ]
    assert lines[3].startswith("pool, three tasks: [1, 2, 3] in ")


async def test_a_committed_transfer_moves_the_money(recipe, postgres_dsn):
    run = await run_main(recipe, postgres_dsn)
    assert run.result["balances"] == {"alice": 70, "bob": 80}


async def test_a_failed_transfer_rolls_back_the_statement_that_succeeded(
    recipe, postgres_dsn
):
    module = load_module(recipe)
    async with asyncpg.create_pool(postgres_dsn, min_size=1, max_size=2) as pool:
        await module.create_accounts(pool)
        with pytest.raises(asyncpg.CheckViolationError):
            await module.transfer(pool, "bob", "alice", 500)
        # The credit to alice ran first and succeeded; the rollback undid it.
        assert await module.balances(pool) == {"alice": 100, "bob": 50}


async def test_without_the_transaction_the_first_update_would_stay(
    recipe, postgres_dsn
):
    """The control for the test above: each statement on its own commits at once."""
    module = load_module(recipe)
    async with asyncpg.create_pool(postgres_dsn, min_size=1, max_size=2) as pool:
        await module.create_accounts(pool)
        async with pool.acquire() as conn:
            await conn.execute(
                "UPDATE recipe_accounts SET balance = balance + 500 WHERE name = 'alice'"
            )
            with pytest.raises(asyncpg.CheckViolationError):
                await conn.execute(
                    "UPDATE recipe_accounts SET balance = balance - 500 WHERE name = 'bob'"
                )
        assert await module.balances(pool) == {"alice": 600, "bob": 50}


async def test_sharing_one_connection_between_tasks_raises_interface_error(
    recipe, postgres_dsn
):
    module = load_module(recipe)
    first, second = await module.share_one_connection(postgres_dsn)
    assert first == 1  # the query that got there first still succeeds
    assert type(second) is asyncpg.exceptions._base.InterfaceError
    assert type(second) is asyncpg.InterfaceError
    assert str(second) == ANOTHER_OPERATION


async def test_the_second_query_is_refused_at_once_not_after_the_first(
    recipe, postgres_dsn
):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    conn = await asyncpg.connect(postgres_dsn)
    try:
        first = asyncio.create_task(module.slow_query(conn, 1))
        await asyncio.sleep(0.05)  # the first query is on its way
        start = loop.time()
        with pytest.raises(asyncpg.InterfaceError, match=ANOTHER_OPERATION):
            await module.slow_query(conn, 2)
        refused_after = loop.time() - start
        assert await first == 1
    finally:
        await conn.close()
    assert refused_after / module.QUERY_SECONDS < 0.5


async def test_the_pool_runs_the_three_queries_at_the_same_time(recipe, postgres_dsn):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()

    async def three_queries() -> float:
        async with asyncpg.create_pool(postgres_dsn, min_size=3, max_size=3) as pool:
            start = loop.time()
            assert await module.use_the_pool(pool) == [1, 2, 3]
            return (loop.time() - start) / module.QUERY_SECONDS

    rounds = await within_bound(three_queries, lambda r: r < 2.0)
    # About one query's time (0.5 s), not three in a row (1.5 s).
    assert 1.0 <= rounds < 2.0


async def test_a_lock_makes_one_connection_safe_but_one_query_at_a_time(
    recipe, postgres_dsn
):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    lock = asyncio.Lock()
    conn = await asyncpg.connect(postgres_dsn)

    async def locked(n: int) -> int:
        async with lock:
            return await module.slow_query(conn, n)

    try:
        start = loop.time()
        assert await asyncio.gather(locked(1), locked(2), locked(3)) == [1, 2, 3]
        elapsed = loop.time() - start
    finally:
        await conn.close()
    assert elapsed / module.QUERY_SECONDS >= 3.0  # one after the other


async def test_max_size_bounds_how_many_queries_run_at_once(recipe, postgres_dsn):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()

    async def six_queries() -> tuple[list[int], float]:
        async with asyncpg.create_pool(postgres_dsn, min_size=1, max_size=3) as pool:
            start = loop.time()
            queries = (module.slow_query(pool, n) for n in range(6))
            results = await asyncio.gather(*queries)
            return results, (loop.time() - start) / module.QUERY_SECONDS

    results, rounds = await within_bound(six_queries, lambda r: r[1] < 3.0)
    assert results == list(range(6))
    # Six queries, three connections: two rounds, about 1.0 s.
    assert 2.0 <= rounds < 3.0


async def test_statements_sent_through_the_pool_escape_your_transaction(
    recipe, postgres_dsn
):
    module = load_module(recipe)

    async def abandoned_transaction(pool: asyncpg.Pool) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("UPDATE recipe_accounts SET balance = 0")
            # Wrong: pool.execute borrows another connection, outside the
            # transaction, and commits at once.
            await pool.execute("INSERT INTO recipe_accounts VALUES ('carol', 10)")
            raise RuntimeError("abort")

    async with asyncpg.create_pool(postgres_dsn, min_size=2, max_size=2) as pool:
        await module.create_accounts(pool)
        with pytest.raises(RuntimeError, match="abort"):
            await abandoned_transaction(pool)
        # The UPDATE was rolled back; the INSERT through the pool was not.
        assert await module.balances(pool) == {"alice": 100, "bob": 50, "carol": 10}


async def test_placeholders_are_dollar_numbers_not_question_marks(recipe, postgres_dsn):
    conn = await asyncpg.connect(postgres_dsn)
    try:
        assert await conn.fetchval("SELECT $1::int + $2", 1, 2) == 3
        with pytest.raises(asyncpg.PostgresSyntaxError):
            await conn.fetchval("SELECT ?::int", 1)
    finally:
        await conn.close()


async def test_the_throwaway_server_listens_on_a_unix_socket_and_is_removed(recipe):
    module = load_module(recipe)
    try:
        module.postgres_bin()
    except RuntimeError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {error}")
        pytest.skip(str(error))
    async with module.throwaway_postgres() as dsn:
        directory = Path(dsn.rpartition("host=")[2])
        conn = await asyncpg.connect(dsn)
        try:
            listening = await conn.fetchval("SHOW listen_addresses")
        finally:
            await conn.close()
        assert listening == ""  # no TCP at all
        assert (directory / ".s.PGSQL.5432").is_socket()
        pid = int((directory / "data" / "postmaster.pid").read_text().split()[0])
    assert not directory.exists()  # noqa: ASYNC240
    with (
        socket.socket(socket.AF_UNIX) as sock,
        pytest.raises(FileNotFoundError),
    ):
        sock.connect(str(directory / ".s.PGSQL.5432"))
    for _ in range(50):  # the server process is gone (reaped within moments)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        await asyncio.sleep(0.1)
    else:
        pytest.fail(f"the PostgreSQL server (pid {pid}) still runs")
