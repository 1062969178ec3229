"""How do I run CPU-bound Python in parallel with InterpreterPoolExecutor?"""

# --8<-- [start:recipe]
import asyncio
import itertools
import multiprocessing
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field

JOBS = 2  # as many as the machine has cores
LIMIT = 80_000  # each job counts the primes below this: a fraction of a second


def count_primes(limit: int) -> int:
    """CPU-bound: pure Python arithmetic that never waits."""
    return sum(
        1 for n in range(2, limit) if all(n % d for d in range(2, int(n**0.5) + 1))
    )


# --8<-- [end:recipe]


# --8<-- [start:pool]
def cpu_pool(workers: int) -> Executor:
    """A pool that runs Python code on several cores: from Python 3.14,
    sub-interpreters, each in its own thread with its own GIL; before, processes."""
    if sys.version_info >= (3, 14):
        from concurrent.futures import InterpreterPoolExecutor  # noqa: PLC0415

        return InterpreterPoolExecutor(max_workers=workers)
    forkserver = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(max_workers=workers, mp_context=forkserver)


# --8<-- [end:pool]


# --8<-- [start:measure]
@dataclass
class Figures:
    started: float = 0.0  # seconds until every worker had run a tiny job
    gap: float = 0.0  # the heartbeat's longest wait meanwhile
    jobs: float = 0.0  # seconds for the JOBS jobs
    results: list[int] = field(default_factory=list)


def start_workers(pool: Executor, workers: int) -> None:
    """Send the pool one tiny job per worker and wait for the answers: the pool
    starts its workers meanwhile. It blocks, so call it in a thread."""
    for answer in [pool.submit(count_primes, 2) for _ in range(workers)]:
        answer.result()


async def start(pool: Executor, workers: int) -> None:
    if isinstance(pool, ProcessPoolExecutor):
        # A process pool starts its processes in the thread that submits, which
        # waits meanwhile: that must not be the loop's thread.
        await asyncio.to_thread(start_workers, pool, workers)
    else:
        # A thread pool starts a thread per job and returns at once; each thread
        # of an interpreter pool then creates its interpreter itself.
        loop = asyncio.get_running_loop()
        tiny = [loop.run_in_executor(pool, count_primes, 2) for _ in range(workers)]
        await asyncio.gather(*tiny)


async def heartbeat(ticks: list[float]) -> None:
    """Stands in for the rest of the program, which must keep running meanwhile."""
    loop = asyncio.get_running_loop()
    try:
        while True:
            ticks.append(loop.time())
            await asyncio.sleep(0.01)
    finally:
        ticks.append(loop.time())  # when it was stopped: a last stall shows too


async def measure(pool: Executor) -> Figures:
    """Start the pool while a heartbeat ticks, then run JOBS jobs in it."""
    loop = asyncio.get_running_loop()
    figures = Figures()
    ticks: list[float] = []
    beat = asyncio.create_task(heartbeat(ticks))
    try:
        begin = time.perf_counter()
        await start(pool, JOBS)
        figures.started = time.perf_counter() - begin
        await asyncio.sleep(0.01)  # one more tick, after the start
    finally:
        beat.cancel()
        await asyncio.wait([beat])  # let it finish cancelling
    figures.gap = max(b - a for a, b in itertools.pairwise(ticks))
    try:
        begin = time.perf_counter()
        jobs = [loop.run_in_executor(pool, count_primes, LIMIT) for _ in range(JOBS)]
        figures.results = await asyncio.gather(*jobs)
        figures.jobs = time.perf_counter() - begin
    finally:
        await asyncio.to_thread(pool.shutdown, cancel_futures=True)
    return figures


def one_after_another() -> Figures:
    begin = time.perf_counter()
    results = [count_primes(LIMIT) for _ in range(JOBS)]
    return Figures(jobs=time.perf_counter() - begin, results=results)


async def main() -> dict[str, Figures]:
    forkserver = multiprocessing.get_context("forkserver")
    pools: dict[str, Callable[[], Executor]] = {
        "threads": lambda: ThreadPoolExecutor(max_workers=JOBS),
        "interpreters": lambda: cpu_pool(JOBS),  # InterpreterPoolExecutor
        "processes": lambda: ProcessPoolExecutor(JOBS, mp_context=forkserver),
    }
    measured = {name: await measure(make()) for name, make in pools.items()}
    print(f"starting {JOBS} workers, while a heartbeat ticks every 0.01 s:")
    for name, figures in measured.items():
        print(
            f"  {name:<13} {figures.started:.2f} s"
            f" (the heartbeat's longest gap: {figures.gap:.2f} s)"
        )
    # In a thread, so that the loop stays free (and the GIL is shared the same way).
    measured["one after another"] = await asyncio.to_thread(one_after_another)
    print(f"{JOBS} jobs of count_primes({LIMIT:_}):")
    for name, figures in measured.items():
        print(f"  {name:<18} {figures.jobs:.2f} s, results {figures.results}")
    return measured


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:measure]
