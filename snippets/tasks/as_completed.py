"""How do I get results as soon as each task finishes?

asyncio.as_completed() hands back results in the order the tasks finish.
"""

# --8<-- [start:recipe]
import asyncio
import sys

JOBS = [("a.json", 2.0), ("b.json", 0.5), ("c.json", 1.0)]


async def download(name: str, delay: float) -> str:
    await asyncio.sleep(delay)  # stands in for the network
    return name  # return what identifies the job: as_completed() won't tell you


async def in_finish_order() -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = [asyncio.create_task(download(name, delay)) for name, delay in JOBS]
    results = []
    for next_done in asyncio.as_completed(tasks):
        name = await next_done  # the result of whichever task finished next
        print(f"  {loop.time() - start:.2f} s  {name}")
        results.append(name)
    return results


async def with_timeout(timeout: float) -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = [asyncio.create_task(download(name, delay)) for name, delay in JOBS]
    results = []
    try:
        for next_done in asyncio.as_completed(tasks, timeout=timeout):
            name = await next_done
            print(f"  {loop.time() - start:.2f} s  {name}")
            results.append(name)
    except TimeoutError:  # raised by the await once the deadline has passed
        print(f"  {loop.time() - start:.2f} s  timed out")
    finally:
        for task in tasks:  # as_completed() does not cancel the stragglers
            task.cancel()
        await asyncio.wait(tasks)
    cancelled = sum(task.cancelled() for task in tasks)
    print(f"  got {results}, cancelled {cancelled}")
    return results


# --8<-- [end:recipe]


# --8<-- [start:async_for]
if sys.version_info >= (3, 13):  # as_completed() is async-iterable from 3.13

    async def finished_tasks() -> list[asyncio.Task[str]]:
        """Python 3.13+: `async for` yields the very tasks you passed in."""
        tasks = [asyncio.create_task(download(name, delay)) for name, delay in JOBS]
        finished = []
        task: asyncio.Task[str]  # the stubs say Future: python/typeshed#15644
        async for task in asyncio.as_completed(tasks):  # type: ignore[assignment]
            print(f"  task #{tasks.index(task)} done: {task.result()}")
            finished.append(task)
        return finished


# --8<-- [end:async_for]


# --8<-- [start:main]
async def main() -> tuple[list[str], list[str]]:
    print("as_completed():")
    results = await in_finish_order()
    print("as_completed(timeout=1.5):")
    partial = await with_timeout(1.5)
    return results, partial


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
