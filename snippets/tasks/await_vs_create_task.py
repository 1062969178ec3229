"""What is the difference between await and asyncio.create_task()?

Two one-second jobs awaited one by one, then started as tasks first.
"""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Coroutine
from typing import Any


async def job(name: str, start: float) -> str:
    """One second of waiting, standing in for a network call."""
    await asyncio.sleep(1.0)
    now = asyncio.get_running_loop().time()
    print(f"  {now - start:.2f} s  {name} done")
    return name


async def one_by_one() -> float:
    loop = asyncio.get_running_loop()
    start = loop.time()
    await job("a", start)  # runs a to the end...
    await job("b", start)  # ...and only then starts b
    return loop.time() - start


async def tasks_first() -> float:
    loop = asyncio.get_running_loop()
    start = loop.time()
    task_a = asyncio.create_task(job("a", start))  # scheduled, not yet running
    task_b = asyncio.create_task(job("b", start))
    await task_a  # main waits here, so a and b both start now
    await task_b  # already finished (or nearly): no extra wait
    return loop.time() - start


background_tasks: set[asyncio.Task[Any]] = set()


def start_in_background(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    task = asyncio.create_task(coro)
    background_tasks.add(task)  # a strong reference: the loop keeps only a weak one
    task.add_done_callback(background_tasks.discard)  # dropped once it is done
    return task


async def main() -> tuple[float, float]:
    print("await one by one:")
    sequential = await one_by_one()
    print(f"  total: {sequential:.2f} s")

    print("create_task() first, then await:")
    concurrent = await tasks_first()
    print(f"  total: {concurrent:.2f} s")

    print("in the background, with a reference kept:")
    start_in_background(job("c", asyncio.get_running_loop().time()))
    print(f"  tasks kept: {len(background_tasks)}")
    await asyncio.sleep(1.5)  # main goes on with its own work meanwhile
    print(f"  tasks kept: {len(background_tasks)}")
    return sequential, concurrent


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
