"""How do I cancel all remaining tasks when one fails?

asyncio.TaskGroup cancels the others itself; asyncio.wait(return_when=FIRST_EXCEPTION)
then cancel and wait does the same without wrapping the error.
"""

# --8<-- [start:recipe]
import asyncio

Job = tuple[str, float, bool]  # name, seconds, whether it fails
ALL_SUCCEED: list[Job] = [("a", 1.0, False), ("b", 0.5, False)]
ONE_FAILS: list[Job] = [("a", 0.25, False), ("b", 0.5, True), ("c", 1.5, False)]


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
    async with asyncio.TaskGroup() as tg:
        tasks = [
            tg.create_task(job(name, delay, fail, start), name=name)
            for name, delay, fail in jobs
        ]
    return [task.result() for task in tasks]  # or the group raised an ExceptionGroup


# --8<-- [end:recipe]


# --8<-- [start:wait]
async def run_all_with_wait(jobs: list[Job], start: float) -> list[str]:
    """The same policy without a group: raises the first error itself, unwrapped."""
    tasks = [
        asyncio.create_task(job(name, delay, fail, start), name=name)
        for name, delay, fail in jobs
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:  # on the first error, or if run_all_with_wait() itself is cancelled
        for task in tasks:
            task.cancel()  # does nothing to a task that is already done
        await asyncio.wait(tasks)  # until the cancelled ones have stopped
    errors = [e for t in tasks if not t.cancelled() and (e := t.exception())]
    if errors:
        raise errors[0]  # the first in argument order; see Gotchas for the others
    return [task.result() for task in tasks]


# --8<-- [end:wait]


# --8<-- [start:main]
async def main() -> tuple[list[str], str]:
    loop = asyncio.get_running_loop()
    print("all succeed:")
    results = await run_all(ALL_SUCCEED, loop.time())
    print(f"  results: {results}")
    print("one fails:")
    start = loop.time()
    outcome = "no error"
    try:
        await run_all(ONE_FAILS, start)
    except* ValueError as group:  # the errors arrive wrapped in an ExceptionGroup
        print(f"  {loop.time() - start:.2f} s  run_all raised {group!r}")
        outcome = repr(group.exceptions)
    return results, outcome


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
