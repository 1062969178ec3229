"""How do I use PostgreSQL from asyncio? With asyncpg: a pool, a transaction, and the
"another operation is in progress" error.

Give a DSN on the command line or in DATABASE_URL (the recipe creates and drops a
table named recipe_accounts), or run it bare: it then starts a throwaway PostgreSQL
server in a temporary directory, which needs the PostgreSQL server binaries (Debian
and Ubuntu: `apt install postgresql`).
"""

# --8<-- [start:recipe]
import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

QUERY_SECONDS = 0.5  # each demo query sleeps this long on the server


async def create_accounts(pool: asyncpg.Pool) -> None:
    await pool.execute(
        "DROP TABLE IF EXISTS recipe_accounts;"
        " CREATE TABLE recipe_accounts"
        " (name text PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0))"
    )
    await pool.executemany(
        "INSERT INTO recipe_accounts VALUES ($1, $2)", [("alice", 100), ("bob", 50)]
    )


async def balances(pool: asyncpg.Pool) -> dict[str, int]:
    rows = await pool.fetch("SELECT name, balance FROM recipe_accounts ORDER BY name")
    return {row["name"]: row["balance"] for row in rows}


async def transfer(pool: asyncpg.Pool, source: str, target: str, amount: int) -> None:
    async with pool.acquire() as conn, conn.transaction():  # commit, or roll back
        await conn.execute(
            "UPDATE recipe_accounts SET balance = balance + $1 WHERE name = $2",
            amount,
            target,
        )
        await conn.execute(  # the CHECK (balance >= 0) fails on an overdraft
            "UPDATE recipe_accounts SET balance = balance - $1 WHERE name = $2",
            amount,
            source,
        )


async def transfers(pool: asyncpg.Pool) -> dict[str, int]:
    await transfer(pool, "alice", "bob", 30)
    print(f"after alice -> bob 30: {await balances(pool)}")
    try:
        await transfer(pool, "bob", "alice", 500)  # bob has 80
    except asyncpg.CheckViolationError:
        print(f"bob -> alice 500 rolled back: {await balances(pool)}")
    return await balances(pool)


async def slow_query(conn: asyncpg.Connection | asyncpg.Pool, n: int) -> int:
    value: int = await conn.fetchval(  # typed Any: the query's ::int says int
        "SELECT $1::int FROM pg_sleep($2)", n, QUERY_SECONDS
    )
    return value


async def share_one_connection(dsn: str) -> list[int | BaseException]:
    conn = await asyncpg.connect(dsn)
    try:
        # Wrong: two tasks use one connection at the same time. (return_exceptions
        # lets the first query finish before the connection closes.)
        results = await asyncio.gather(
            slow_query(conn, 1), slow_query(conn, 2), return_exceptions=True
        )
        return list(results)  # a list already: type checkers see a tuple
    finally:
        await conn.close()


async def use_the_pool(pool: asyncpg.Pool) -> list[int]:
    # Right: each query borrows its own connection from the pool.
    return await asyncio.gather(*(slow_query(pool, n) for n in (1, 2, 3)))


async def demo(dsn: str) -> dict[str, object]:
    loop = asyncio.get_running_loop()
    async with asyncpg.create_pool(dsn, min_size=1, max_size=3) as pool:
        await create_accounts(pool)
        final = await transfers(pool)

        shared = await share_one_connection(dsn)
        print(f"one connection, two tasks: {shared}")

        start = loop.time()
        pooled = await use_the_pool(pool)
        print(f"pool, three tasks: {pooled} in {loop.time() - start:.2f} s")
        await pool.execute("DROP TABLE recipe_accounts")
    return {"balances": final, "shared": shared, "pooled": pooled}


def postgres_bin() -> Path:
    """The directory of initdb and pg_ctl: on PATH, or Debian's versioned one."""
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    debian = Path("/usr/lib/postgresql").glob("*/bin/initdb")  # */ is the version
    if newest := max(debian, key=lambda path: int(path.parts[-3]), default=None):
        return newest.parent
    raise RuntimeError("no DSN given, and no PostgreSQL server binaries found")


async def run(*args: str | Path, user: str | None, cwd: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        *map(str, args),
        user=user,
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {stderr.decode()}")


@asynccontextmanager
async def throwaway_postgres() -> AsyncIterator[str]:
    """A fresh PostgreSQL server in a temporary directory, reachable only through a
    Unix socket in that directory (no TCP port), removed on exit."""
    bin_dir = postgres_bin()
    # PostgreSQL refuses to run as root: run it as the `postgres` user then.
    user = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="pg-"))
    try:
        if user:
            shutil.chown(base, user)
        data = base / "data"
        initdb = (bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust")
        await run(*initdb, "--no-sync", user=user, cwd=base)
        pg_ctl = (bin_dir / "pg_ctl", "-D", data, "-w")  # -w: wait until done
        options = f"-c listen_addresses='' -k '{base}' -c fsync=off"
        await run(
            *pg_ctl, "-l", base / "log", "-o", options, "start", user=user, cwd=base
        )
        try:
            yield f"postgresql://postgres@/postgres?host={base}"
        finally:
            await run(*pg_ctl, "-m", "fast", "stop", user=user, cwd=base)
    finally:  # deleting 40 MB of files blocks: do it in a thread
        await asyncio.to_thread(shutil.rmtree, base)


async def main(dsn: str | None = None) -> dict[str, object]:
    dsn = dsn or os.environ.get("DATABASE_URL")
    if dsn:
        return await demo(dsn)
    async with throwaway_postgres() as local_dsn:  # no DSN given: start a server
        return await demo(local_dsn)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else None))
# --8<-- [end:recipe]
