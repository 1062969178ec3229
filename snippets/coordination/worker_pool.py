"""How do I run a pool of N workers over a queue and stop them cleanly?"""

# --8<-- [start:recipe]
import asyncio
import sys
from collections.abc import Iterable

STOP = None  # the sentinel: a value no real job can have
DOWN = {4}  # jobs whose server is down, to show what the pool does with a failure


async def work(name: str, job: int, start: float) -> None:
    await asyncio.sleep(1.0)  # stands in for a download or a query
    if job in DOWN:
        raise ConnectionError("server unreachable")
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  {name} finished job {job}")


async def do_job(name: str, job: int, start: float, failed: dict[int, OSError]) -> bool:
    """Run one job; record the errors a job is expected to raise, so that one bad
    job does not end the worker. Any other error (a bug) still escapes."""
    try:
        await work(name, job, start)
    except OSError as error:
        now = asyncio.get_running_loop().time()
        print(f"{now - start:.2f} s  {name} failed job {job}: {error}")
        failed[job] = error
        return False
    return True


async def worker(
    name: str,
    queue: asyncio.Queue[int | None],
    start: float,
    failed: dict[int, OSError],
) -> int:
    """Take jobs until the sentinel arrives; return how many this worker did."""
    done = 0
    while True:
        job = await queue.get()
        if job is STOP:
            return done
        if await do_job(name, job, start, failed):
            done += 1


async def run_pool(
    jobs: Iterable[int], size: int
) -> tuple[list[int], dict[int, OSError]]:
    """Jobs done per worker, and the error of each job that failed."""
    queue: asyncio.Queue[int | None] = asyncio.Queue(maxsize=size)  # back-pressure
    failed: dict[int, OSError] = {}
    start = asyncio.get_running_loop().time()
    # If a worker dies all the same, the group cancels this block, which may be
    # stuck in put() on a full queue that nobody empties, and the other workers.
    async with asyncio.TaskGroup() as group:
        workers = [
            group.create_task(worker(f"worker-{n}", queue, start, failed))
            for n in range(size)
        ]
        for job in jobs:  # jobs may be a generator: only `size` wait in the queue
            await queue.put(job)
        for _ in workers:  # one sentinel per worker, after the jobs
            await queue.put(STOP)
    return [task.result() for task in workers], failed  # each stopped at its sentinel


# --8<-- [end:recipe]
# --8<-- [start:shutdown]
if sys.version_info >= (3, 13):  # Queue.shutdown() is new in 3.13

    async def worker_until_shutdown(
        name: str, queue: asyncio.Queue[int], start: float, failed: dict[int, OSError]
    ) -> int:
        """Python 3.13+: take jobs until the queue is shut down and empty."""
        done = 0
        while True:
            try:
                job = await queue.get()
            except asyncio.QueueShutDown:  # shut down, and no job left
                return done
            if await do_job(name, job, start, failed):
                done += 1

    async def run_pool_with_shutdown(
        jobs: Iterable[int], size: int
    ) -> tuple[list[int], dict[int, OSError]]:
        """Python 3.13+: the same pool, stopped by shutting the queue down."""
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=size)
        failed: dict[int, OSError] = {}
        start = asyncio.get_running_loop().time()
        async with asyncio.TaskGroup() as group:
            workers = [
                group.create_task(
                    worker_until_shutdown(f"worker-{n}", queue, start, failed)
                )
                for n in range(size)
            ]
            for job in jobs:
                await queue.put(job)
            queue.shutdown()  # no more puts; get() raises QueueShutDown once empty
        return [task.result() for task in workers], failed


# --8<-- [end:shutdown]
# --8<-- [start:main]
async def main(jobs: int = 7, size: int = 3) -> tuple[list[int], list[int]]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    done, failed = await run_pool(range(jobs), size)
    print(f"jobs per worker: {done}; failed: {sorted(failed)}")
    print(f"total {loop.time() - start:.2f} s")
    return done, sorted(failed)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
