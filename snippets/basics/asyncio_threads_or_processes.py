"""When should I use asyncio, threads or processes? The same jobs, timed each way."""

# --8<-- [start:recipe]
import asyncio
import multiprocessing
import time
from collections.abc import AsyncIterator, Awaitable
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager

CPU_JOBS = 2  # as many as the machine has cores
LIMIT = 80_000  # each CPU job counts the primes below this: a fraction of a second
IO_JOBS = 4
WAIT = 0.3  # seconds each I/O job waits


def count_primes(limit: int) -> int:
    """CPU-bound: pure Python arithmetic, no waiting at all."""
    return sum(
        1 for n in range(2, limit) if all(n % d for d in range(2, int(n**0.5) + 1))
    )


def blocking_io(delay: float) -> float:
    """A blocking library call (think requests.get) that waits without async."""
    time.sleep(delay)
    return delay


async def async_io(delay: float) -> float:
    """An asyncio-native I/O call (think an aiohttp request)."""
    await asyncio.sleep(delay)
    return delay


def one_after_another(limit: int, jobs: int) -> list[int]:
    return [count_primes(limit) for _ in range(jobs)]


def start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """A tiny job per worker starts the processes. It blocks: run it in a thread."""
    for answer in [pool.submit(count_primes, 2) for _ in range(workers)]:
        answer.result()


@asynccontextmanager
async def process_pool(workers: int) -> AsyncIterator[ProcessPoolExecutor]:
    """A process pool started, and shut down, in a thread: never on the loop."""
    # forkserver: Python 3.14+'s default on Linux; fork, the default before, is
    # unsafe in a process that runs threads.
    forkserver = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=forkserver)
    try:
        await asyncio.to_thread(start_workers, pool, workers)
        yield pool
    finally:
        await asyncio.to_thread(pool.shutdown, cancel_futures=True)


async def timed(label: str, work: Awaitable[object]) -> float:
    start = time.perf_counter()
    await work
    elapsed = time.perf_counter() - start
    print(f"{label:<38} {elapsed:.2f} s")
    return elapsed


async def main() -> dict[str, float]:
    loop = asyncio.get_running_loop()
    seconds: dict[str, float] = {}

    # CPU-bound: only separate processes run Python code on several cores at once.
    async with process_pool(CPU_JOBS) as pool:
        jobs = [
            loop.run_in_executor(pool, count_primes, LIMIT) for _ in range(CPU_JOBS)
        ]
        seconds["cpu, processes"] = await timed(
            f"CPU x{CPU_JOBS}, ProcessPoolExecutor", asyncio.gather(*jobs)
        )
    seconds["cpu, one at a time"] = await timed(
        f"CPU x{CPU_JOBS}, one after another",
        asyncio.to_thread(one_after_another, LIMIT, CPU_JOBS),
    )
    threads = [asyncio.to_thread(count_primes, LIMIT) for _ in range(CPU_JOBS)]
    seconds["cpu, threads"] = await timed(
        f"CPU x{CPU_JOBS}, threads", asyncio.gather(*threads)
    )

    # Blocking I/O: threads overlap the waits (a blocked thread releases the GIL).
    calls = [asyncio.to_thread(blocking_io, WAIT) for _ in range(IO_JOBS)]
    seconds["blocking io, threads"] = await timed(
        f"blocking I/O x{IO_JOBS}, asyncio.to_thread", asyncio.gather(*calls)
    )

    # Async I/O: one thread; the event loop overlaps the waits.
    waits = [async_io(WAIT) for _ in range(IO_JOBS)]
    seconds["async io"] = await timed(
        f"async I/O x{IO_JOBS}, asyncio.gather", asyncio.gather(*waits)
    )
    return seconds


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
