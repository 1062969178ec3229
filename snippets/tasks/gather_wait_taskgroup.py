"""gather vs wait vs TaskGroup: which one should I use?

The same three jobs (b fails) through asyncio.TaskGroup, asyncio.gather() and
asyncio.wait().
"""

# --8<-- [start:recipe]
import asyncio

JOBS = [("a", 1.0, False), ("b", 0.5, True), ("c", 1.5, False)]  # b fails


async def job(name: str, delay: float, fail: bool, start: float) -> str:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(delay)
    if fail:
        print(f"  {loop.time() - start:.2f} s  {name} raises ValueError")
        raise ValueError(f"{name} failed")
    print(f"  {loop.time() - start:.2f} s  {name} done")
    return name


def start_jobs(start: float) -> list[asyncio.Task[str]]:
    return [
        asyncio.create_task(job(name, delay, fail, start), name=name)
        for name, delay, fail in JOBS
    ]


def state(task: asyncio.Task[str]) -> str:
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    return f"raised {error!r}" if error else f"returned {task.result()!r}"


async def with_taskgroup(start: float) -> dict[str, str]:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = [
                tg.create_task(job(name, delay, fail, start), name=name)
                for name, delay, fail in JOBS
            ]
    except* ValueError as group:  # every error, wrapped; the others are cancelled
        print(f"  {loop.time() - start:.2f} s  TaskGroup raised {group!r}")
    return {task.get_name(): state(task) for task in tasks}


async def with_gather(start: float) -> dict[str, str]:
    loop = asyncio.get_running_loop()
    tasks = start_jobs(start)
    try:
        results = await asyncio.gather(*tasks)  # a list, in argument order
        print(f"  results: {results}")
    except ValueError as error:  # the first error, at once
        print(f"  {loop.time() - start:.2f} s  gather raised {error!r}")
    finally:
        await asyncio.wait(tasks)  # gather cancelled nothing: wait for the rest
    return {task.get_name(): state(task) for task in tasks}


async def with_wait(start: float) -> dict[str, str]:
    loop = asyncio.get_running_loop()
    tasks = start_jobs(start)
    try:
        done, pending = await asyncio.wait(tasks, timeout=1.2)  # never raises
        print(
            f"  {loop.time() - start:.2f} s  wait returned"
            f" done={sorted(t.get_name() for t in done)}"
            f" pending={sorted(t.get_name() for t in pending)}"
        )
    finally:
        for task in tasks:
            task.cancel()  # the timeout cancelled nothing: cancel what is left
        await asyncio.wait(tasks)
    return {task.get_name(): state(task) for task in tasks}


# --8<-- [end:recipe]


# --8<-- [start:main]
async def main() -> dict[str, dict[str, str]]:
    loop = asyncio.get_running_loop()
    outcomes = {}
    tools = [
        ("TaskGroup", with_taskgroup),
        ("gather", with_gather),
        ("wait", with_wait),
    ]
    for name, run in tools:
        print(f"{name}:")
        outcomes[name] = await run(loop.time())
        print(f"  {outcomes[name]}")
    return outcomes


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
