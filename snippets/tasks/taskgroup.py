"""How do I use asyncio.TaskGroup?

Start tasks in a group, wait for all of them, and see a failure cancel the rest.
"""

# --8<-- [start:recipe]
import asyncio


async def job(name: str, delay: float, start: float, fail: bool = False) -> str:
    await asyncio.sleep(delay)
    now = asyncio.get_running_loop().time()
    if fail:
        print(f"  {now - start:.2f} s  {name} failed")
        raise ValueError(f"{name} failed")
    print(f"  {now - start:.2f} s  {name} done")
    return name


async def all_succeed(start: float) -> list[str]:
    async with asyncio.TaskGroup() as tg:
        task_a = tg.create_task(job("a", 1.0, start))
        task_b = tg.create_task(job("b", 0.5, start))
    # The block exits only when every task in the group has finished.
    return [task_a.result(), task_b.result()]


def state(task: asyncio.Task[str]) -> str:
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    return f"raised {error!r}" if error else f"returned {task.result()!r}"


# --8<-- [start:cancel-siblings]
async def one_fails(start: float) -> dict[str, str]:
    loop = asyncio.get_running_loop()
    tasks: dict[str, asyncio.Task[str]] = {}
    try:
        async with asyncio.TaskGroup() as tg:
            tasks["a"] = tg.create_task(job("a", 1.0, start))
            tasks["b"] = tg.create_task(job("b", 0.5, start, fail=True))
            tasks["c"] = tg.create_task(job("c", 2.0, start))
    except* ValueError as group:  # errors arrive wrapped in an ExceptionGroup
        print(f"  {loop.time() - start:.2f} s  caught {group!r}")
    states = {name: state(task) for name, task in tasks.items()}
    print(f"  {states}")
    return states
    # --8<-- [end:cancel-siblings]


async def main() -> tuple[list[str], dict[str, str]]:
    loop = asyncio.get_running_loop()
    print("all succeed:")
    results = await all_succeed(loop.time())
    print(f"  results: {results}")
    print("one fails:")
    states = await one_fails(loop.time())
    return results, states


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
