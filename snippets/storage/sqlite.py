"""How do I use SQLite from asyncio? With aiosqlite, on a temporary database file."""

# --8<-- [start:recipe]
import asyncio
import sqlite3
import tempfile
from pathlib import Path

import aiosqlite

BOOKS = [
    ("Dune", "Herbert", 1965),
    ("Neuromancer", "Gibson", 1984),
    ("Hyperion", "Simmons", 1989),
    ("Foundation", "Asimov", 1951),
]


async def create_and_fill(path: Path) -> None:
    # timeout: how long a write waits for another connection's lock (5 s by default)
    async with aiosqlite.connect(path, timeout=5.0) as db:  # closed on exit
        # WAL: readers no longer block a writer's commit, nor it them. The mode is
        # stored in the database file, so every later connection uses it too.
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute(
            "CREATE TABLE IF NOT EXISTS books"
            " (title TEXT PRIMARY KEY, author TEXT NOT NULL, year INTEGER)"
        )
        await db.executemany("INSERT INTO books VALUES (?, ?, ?)", BOOKS)
        await db.commit()  # without it, the rows are gone when the connection closes
        # A batch that fails halfway: Dune is already there.
        try:
            await db.executemany(
                "INSERT INTO books VALUES (?, ?, ?)",
                [("Solaris", "Lem", 1961), ("Dune", "Herbert", 1965)],
            )
            await db.commit()
        except sqlite3.IntegrityError as error:
            await db.rollback()  # undoes Solaris too: all or nothing
            print(f"batch rolled back: {error}")


async def count_books(path: Path) -> int:
    count: int
    async with aiosqlite.connect(path) as db:
        [(count,)] = await db.execute_fetchall("SELECT count(*) FROM books")
    return count


async def books_before(path: Path, year: int) -> list[str]:
    async with aiosqlite.connect(path) as db:
        db.row_factory = aiosqlite.Row  # rows by column name: row["title"]
        async with db.execute(
            "SELECT title, year FROM books WHERE year < ? ORDER BY year", (year,)
        ) as cursor:
            return [f"{row['title']} ({row['year']})" async for row in cursor]


async def run(path: Path) -> dict[int, list[str]]:
    await create_and_fill(path)
    print(f"{await count_books(path)} books stored")
    years = [1960, 1970, 1990]
    # Three readers at once: each connection runs its queries in its own thread.
    found = await asyncio.gather(*(books_before(path, year) for year in years))
    for year, titles in zip(years, found, strict=True):
        print(f"before {year}: {', '.join(titles)}")
    return dict(zip(years, found, strict=True))


async def main() -> dict[int, list[str]]:
    with tempfile.TemporaryDirectory() as directory:  # a throwaway database file
        return await run(Path(directory) / "books.db")


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
