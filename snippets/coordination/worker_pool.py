"""How do I run a pool of N workers over a queue and stop them cleanly?"""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Iterable

STOP = None  # the sentinel: a value no real job can have


async def work(name: str, job: int, start: float) -> None:
    await asyncio.sleep(1.0)  # stands in for a download or a query
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  {name} finished job {job}")


async def worker(name: str, queue: asyncio.Queue[int | None], start: float) -> int:
    """Take jobs until the sentinel arrives; return how many this worker did."""
    done = 0
    while True:
        job = await queue.get()
        if job is STOP:
            return done
        await work(name, job, start)
        done += 1


async def run_pool(jobs: Iterable[int], size: int) -> list[int]:
    queue: asyncio.Queue[int | None] = asyncio.Queue(maxsize=size)  # back-pressure
    start = asyncio.get_running_loop().time()
    workers = [
        asyncio.create_task(worker(f"worker-{n}", queue, start)) for n in range(size)
    ]
    for job in jobs:  # jobs may be a generator: only `size` wait in the queue
        await queue.put(job)
    for _ in workers:  # one sentinel per worker, after the jobs
        await queue.put(STOP)
    return await asyncio.gather(*workers)  # each worker returns after its sentinel


# --8<-- [end:recipe]
# --8<-- [start:shutdown]
async def worker_until_shutdown(
    name: str, queue: asyncio.Queue[int], start: float
) -> int:
    """Python 3.13+: take jobs until the queue is shut down and empty."""
    done = 0
    while True:
        try:
            job = await queue.get()
        except asyncio.QueueShutDown:  # shut down, and no job left
            return done
        await work(name, job, start)
        done += 1


async def run_pool_with_shutdown(jobs: Iterable[int], size: int) -> list[int]:
    """Python 3.13+: the same pool, stopped by shutting the queue down."""
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=size)
    start = asyncio.get_running_loop().time()
    workers = [
        asyncio.create_task(worker_until_shutdown(f"worker-{n}", queue, start))
        for n in range(size)
    ]
    for job in jobs:
        await queue.put(job)
    queue.shutdown()  # no more puts; get() raises QueueShutDown once the queue is empty
    return await asyncio.gather(*workers)


# --8<-- [end:shutdown]
# --8<-- [start:main]
async def main(jobs: int = 7, size: int = 3) -> list[int]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    done = await run_pool(range(jobs), size)
    print(f"jobs per worker: {done}; total {loop.time() - start:.2f} s")
    return done


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
