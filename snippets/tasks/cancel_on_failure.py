"""How do I cancel all remaining tasks when one fails?

asyncio.wait(return_when=FIRST_EXCEPTION), then cancel and await the rest;
on Python 3.11+, asyncio.TaskGroup does it for you.
"""

# --8<-- [start:recipe]
import asyncio

Job = tuple[str, float, bool]  # name, seconds, whether it fails
ALL_SUCCEED: list[Job] = [("a", 1.0, False), ("b", 0.5, False)]
ONE_FAILS: list[Job] = [("a", 1.0, False), ("b", 0.5, True), ("c", 1.5, False)]


async def job(name: str, delay: float, fail: bool, start: float) -> str:
    loop = asyncio.get_running_loop()
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"  {loop.time() - start:.2f} s  {name} cancelled")
        raise
    if fail:
        print(f"  {loop.time() - start:.2f} s  {name} raises ValueError")
        raise ValueError(f"{name} failed")
    print(f"  {loop.time() - start:.2f} s  {name} done")
    return name


async def run_all(jobs: list[Job], start: float) -> list[str]:
    """Like gather(), but the first error cancels the other tasks."""
    tasks = [
        asyncio.create_task(job(name, delay, fail, start), name=name)
        for name, delay, fail in jobs
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:  # on the first error, or if run_all() itself is cancelled
        for task in tasks:
            task.cancel()  # does nothing to a task that is already done
        await asyncio.wait(tasks)  # until the cancelled ones have stopped
    errors = [t.exception() for t in tasks if not t.cancelled() and t.exception()]
    if errors:
        raise errors[0]  # the first in argument order; see Gotchas for the others
    return [task.result() for task in tasks]


# --8<-- [end:recipe]


# --8<-- [start:taskgroup]
async def run_all_taskgroup(jobs: list[Job], start: float) -> list[str]:
    """Python 3.11+: the group cancels the other tasks itself."""
    async with asyncio.TaskGroup() as tg:
        tasks = [
            tg.create_task(job(name, delay, fail, start), name=name)
            for name, delay, fail in jobs
        ]
    return [task.result() for task in tasks]  # or an ExceptionGroup was raised


# --8<-- [end:taskgroup]


# --8<-- [start:main]
async def main() -> tuple[list[str], str]:
    loop = asyncio.get_running_loop()
    print("all succeed:")
    results = await run_all(ALL_SUCCEED, loop.time())
    print(f"  results: {results}")
    print("one fails:")
    start = loop.time()
    try:
        await run_all(ONE_FAILS, start)
    except ValueError as error:
        print(f"  {loop.time() - start:.2f} s  run_all raised {error!r}")
        return results, repr(error)
    return results, "no error"


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
