"""How do I run CPU-bound work without blocking the event loop?"""

# --8<-- [start:recipe]
import asyncio
import itertools
import multiprocessing
import time
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager

JOBS = 2  # as many as the machine has cores
LIMIT = 80_000  # each job counts the primes below this: a fraction of a second


def count_primes(limit: int) -> int:
    """CPU-bound: pure Python arithmetic that never waits."""
    return sum(
        1 for n in range(2, limit) if all(n % d for d in range(2, int(n**0.5) + 1))
    )


def start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """Send the pool one tiny job per worker and wait for the answers: the pool
    starts its processes (and the program's forkserver, the first time) meanwhile.
    It blocks, so call it in a thread."""
    for answer in [pool.submit(count_primes, 2) for _ in range(workers)]:
        answer.result()


@asynccontextmanager
async def process_pool(workers: int) -> AsyncIterator[ProcessPoolExecutor]:
    """A process pool that never blocks the event loop: starting its processes,
    and waiting for them to exit, both happen in a thread."""
    # forkserver: what Python 3.14+ uses on Linux anyway. Before 3.14 the default
    # is fork, which is unsafe once the program runs threads (to_thread does).
    forkserver = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=forkserver)
    try:
        await asyncio.to_thread(start_workers, pool, workers)
        yield pool
    finally:
        await asyncio.to_thread(pool.shutdown, cancel_futures=True)


async def heartbeat(ticks: list[float]) -> None:
    """Stands in for the rest of the program, which must keep running meanwhile."""
    loop = asyncio.get_running_loop()
    try:
        while True:
            ticks.append(loop.time())
            await asyncio.sleep(0.05)
    finally:
        ticks.append(loop.time())  # when it was stopped: a last stall shows too


async def main() -> dict[str, object]:
    loop = asyncio.get_running_loop()
    ticks: list[float] = []
    beat = asyncio.create_task(heartbeat(ticks))
    try:
        start = time.perf_counter()
        async with process_pool(JOBS) as pool:
            started = time.perf_counter() - start
            start = time.perf_counter()
            jobs = [
                loop.run_in_executor(pool, count_primes, LIMIT) for _ in range(JOBS)
            ]
            results = await asyncio.gather(*jobs)
            in_processes = time.perf_counter() - start
    finally:
        beat.cancel()
        await asyncio.wait([beat])  # let it finish cancelling
    gap = max(b - a for a, b in itertools.pairwise(ticks))
    print(f"started {JOBS} worker processes, in a thread: {started:.2f} s")
    print(f"{JOBS} jobs in a process pool: {in_processes:.2f} s, results {results}")
    print(f"heartbeat kept ticking: longest gap between ticks {gap:.2f} s")

    # For comparison: the same jobs one after another (in a thread, so the loop
    # stays free; on the loop itself they would also stop the heartbeat).
    start = time.perf_counter()
    await asyncio.to_thread(lambda: [count_primes(LIMIT) for _ in range(JOBS)])
    one_by_one = time.perf_counter() - start
    print(f"the same jobs one after another: {one_by_one:.2f} s")
    return {
        "results": results,
        "ticks": len(ticks),
        "longest gap": gap,
        "started": started,
        "in processes": in_processes,
        "one by one": one_by_one,
    }


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
