"""How do I limit how many coroutines run at once? Ten jobs, at most three at a time."""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Awaitable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def gather_with_limit(limit: int, aws: Iterable[Awaitable[T]]) -> list[T]:
    """Like gather(), but at most `limit` of the awaitables run at any moment."""
    semaphore = asyncio.BoundedSemaphore(limit)

    async def guarded(aw: Awaitable[T]) -> T:
        async with semaphore:  # waits here while `limit` others are inside
            return await aw

    return await asyncio.gather(*(guarded(aw) for aw in aws))


class Gauge:
    """Counts the jobs running right now and the most that ever ran at once."""

    def __init__(self) -> None:
        self.running = 0
        self.peak = 0


async def job(n: int, seconds: float, gauge: Gauge, start: float) -> int:
    gauge.running += 1
    gauge.peak = max(gauge.peak, gauge.running)
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  job {n} starts")
    await asyncio.sleep(seconds)  # stands in for a request or a query
    gauge.running -= 1
    return n


async def main(jobs: int = 10, limit: int = 3, seconds: float = 1.0) -> int:
    loop = asyncio.get_running_loop()
    start = loop.time()
    gauge = Gauge()
    results = await gather_with_limit(
        limit, (job(n, seconds, gauge, start) for n in range(jobs))
    )
    print(f"results: {results}")
    print(f"at most {gauge.peak} ran at once; total {loop.time() - start:.2f} s")
    return gauge.peak


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
