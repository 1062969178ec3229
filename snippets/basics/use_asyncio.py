"""How do I use asyncio in Python? Three downloads that wait at the same time."""

# --8<-- [start:imports]
import asyncio

# --8<-- [end:imports]
# --8<-- [start:awaitable_imports]
import sys
from collections.abc import Generator
from typing import Any

# --8<-- [end:awaitable_imports]


# --8<-- [start:recipe]
async def fetch(name: str, delay: float, start: float) -> str:
    """Pretend to download `name`: the sleep stands in for waiting on the network."""
    await asyncio.sleep(delay)
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  {name} done")
    return name


# --8<-- [end:recipe]


# --8<-- [start:awaitable]
class Job:
    """An awaitable that is not a coroutine: an object with __await__."""

    def __init__(self, name: str, delay: float) -> None:
        self.name, self.delay = name, delay

    def __await__(self) -> Generator[Any, None, str]:
        yield from asyncio.sleep(self.delay).__await__()
        return self.name


if sys.version_info >= (3, 14):  # asyncio.run() takes any awaitable from 3.14

    def run_job() -> str:
        """Python 3.14+: asyncio.run() takes any awaitable."""
        return asyncio.run(Job("d.json", 0.1))


def run_job_before_3_14() -> str:
    async def wrapper() -> str:  # a coroutine that awaits it, on every version
        return await Job("d.json", 0.1)

    return asyncio.run(wrapper())


# --8<-- [end:awaitable]


# --8<-- [start:main]
async def main() -> list[str]:
    start = asyncio.get_running_loop().time()
    results = await asyncio.gather(
        fetch("a.json", 2.0, start),
        fetch("b.json", 1.0, start),
        fetch("c.json", 0.5, start),
    )
    total = asyncio.get_running_loop().time() - start
    print(f"results: {results}")
    print(f"total: {total:.2f} s (the delays add up to 3.50 s)")
    return list(results)  # a list already: type checkers see a tuple


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
