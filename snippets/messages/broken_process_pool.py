"""How do I fix "BrokenProcessPool: A process in the process pool was terminated
abruptly" and "Can't pickle local object"?"""

# --8<-- [start:recipe]
import asyncio
import functools
import multiprocessing
import os
import pickle
import re
import signal
import traceback
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager

# What ProcessPoolExecutor() uses on Linux from Python 3.14; asked for here on every
# version, so that each prints what a 3.14 program would (see "How it works").
FORKSERVER = multiprocessing.get_context("forkserver")


def multiply(n: int, factor: int) -> int:
    """A module-level function: a worker finds it by importing this module."""
    return n * factor


def exits(code: int) -> int:
    """A worker that ends itself, as os._exit() or a C library's abort() would."""
    os._exit(code)


def killed() -> int:
    """A worker killed from outside: what the out-of-memory killer does."""
    os.kill(os.getpid(), signal.SIGKILL)
    return 0  # never reached


def worker() -> int:
    return os.getpid()


def workers_of(pool: ProcessPoolExecutor, jobs: int) -> set[int]:
    """The processes that ran `jobs` jobs, one after another. It blocks (and the
    pool may start a process for a job), so call it in a thread."""
    return {pool.submit(worker).result() for _ in range(jobs)}


def started_pool(max_tasks_per_child: int | None) -> ProcessPoolExecutor:
    """A one-worker pool, its worker started. Both steps block (the first pool of a
    program starts helper processes), so call it in a thread."""
    pool = ProcessPoolExecutor(
        max_workers=1, mp_context=FORKSERVER, max_tasks_per_child=max_tasks_per_child
    )
    try:
        workers_of(pool, 1)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return pool


@asynccontextmanager
async def process_pool(
    max_tasks_per_child: int | None = None,
) -> AsyncIterator[ProcessPoolExecutor]:
    """A pool that never blocks the loop: started and shut down in a thread."""
    pool = await asyncio.to_thread(started_pool, max_tasks_per_child)
    try:
        yield pool
    finally:
        await asyncio.to_thread(pool.shutdown, cancel_futures=True)


def printed(error: BaseException) -> str:
    """The last lines of the traceback Python prints for the exception; and, on
    3.15, the cause it prints above a BrokenProcessPool. Addresses and process ids
    are masked: they change from run to run."""
    lines = traceback.format_exception_only(error)
    if isinstance(error, BrokenProcessPool) and error.__cause__ is not None:
        cause = str(error.__cause__).strip("\n'")  # a _RemoteTraceback
        lines.append(f"caused by: {cause}\n")
    text = "".join(lines).rstrip()
    text = re.sub(r" at 0x[0-9a-f]+", " at 0x…", text)
    return re.sub(r"Process \d+ ", "Process <pid> ", text)


async def attempt(
    pool: ProcessPoolExecutor, job: Callable[..., int], *args: int
) -> str:
    loop = asyncio.get_running_loop()
    try:
        return f"-> {await loop.run_in_executor(pool, job, *args)}"
    except (BrokenProcessPool, AttributeError, pickle.PicklingError) as error:
        return printed(error)


def times(factor: int) -> Callable[[int], int]:
    def multiply_by(n: int) -> int:
        return n * factor

    return multiply_by


async def main() -> dict[str, str]:
    found: dict[str, str] = {}
    async with process_pool() as pool:
        found["a worker ends itself with os._exit(1)"] = await attempt(pool, exits, 1)
        found["the next job, on the same pool"] = await attempt(pool, multiply, 2, 3)
    async with process_pool() as pool:
        found["a worker killed with SIGKILL"] = await attempt(pool, killed)
    async with process_pool() as pool:
        found["a lambda"] = await attempt(pool, lambda n: n * 3, 2)
        found["a function defined in a function"] = await attempt(pool, times(3), 2)
        # The fixes: a module-level function, and functools.partial() where you
        # wrote a lambda or a nested function to fix an argument.
        found["multiply, a module-level function"] = await attempt(pool, multiply, 2, 3)
        triple = functools.partial(multiply, factor=3)
        found["functools.partial(multiply, factor=3)"] = await attempt(pool, triple, 2)
    # Against a worker that grows until the system kills it: a new process after
    # every few jobs (here, after every job).
    async with process_pool(max_tasks_per_child=1) as pool:
        workers = await asyncio.to_thread(workers_of, pool, 3)
        found["max_tasks_per_child=1"] = f"3 jobs ran in {len(workers)} processes"
    for what, outcome in found.items():
        print(f"{what}:")
        print("  " + outcome.replace("\n", "\n  "))
    return found


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
