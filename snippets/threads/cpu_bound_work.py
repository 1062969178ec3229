"""How do I run CPU-bound work without blocking the event loop?"""

# --8<-- [start:recipe]
import asyncio
import itertools
import time
from concurrent.futures import ProcessPoolExecutor

JOBS = 2  # as many as the machine has cores
LIMIT = 80_000  # each job counts the primes below this: about 0.3 s of CPU


def count_primes(limit: int) -> int:
    """CPU-bound: pure Python arithmetic that never waits."""
    return sum(
        1 for n in range(2, limit) if all(n % d for d in range(2, int(n**0.5) + 1))
    )


async def heartbeat(ticks: list[float]) -> None:
    """Stands in for the rest of the program, which must keep running meanwhile."""
    loop = asyncio.get_running_loop()
    while True:
        ticks.append(loop.time())
        await asyncio.sleep(0.05)


async def main() -> dict[str, object]:
    loop = asyncio.get_running_loop()
    ticks: list[float] = []
    with ProcessPoolExecutor(max_workers=JOBS) as pool:
        beat = asyncio.create_task(heartbeat(ticks))
        start = time.perf_counter()
        jobs = [loop.run_in_executor(pool, count_primes, LIMIT) for _ in range(JOBS)]
        results = await asyncio.gather(*jobs)
        in_processes = time.perf_counter() - start
        beat.cancel()
        await asyncio.wait([beat])  # let it finish cancelling
    gap = max(b - a for a, b in itertools.pairwise(ticks))
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
        "in processes": in_processes,
        "one by one": one_by_one,
    }


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
