"""How do I inspect task state, names and the running tasks?

done(), cancelled(), result(), exception(), get_name()/set_name(), all_tasks(),
current_task() and get_coro() on three tasks: one succeeds, one fails, one is
cancelled.
"""

# --8<-- [start:recipe]
import asyncio
import types


async def download(url: str, chunks: int) -> int:
    me = asyncio.current_task()  # the task running this coroutine
    assert me is not None  # None only outside any task
    for done in range(chunks):
        me.set_name(f"{url} {done}/{chunks}")  # progress, visible from outside
        await asyncio.sleep(0.5)
    me.set_name(f"{url} {chunks}/{chunks}")
    return chunks


async def parse(path: str) -> int:
    await asyncio.sleep(0.5)
    raise ValueError(f"{path}: bad row 3")


def describe(task: asyncio.Task[int]) -> str:
    if not task.done():
        return "running"
    if task.cancelled():  # check first: exception() would raise CancelledError
        return "cancelled"
    error = task.exception()
    return f"failed with {error!r}" if error else f"returned {task.result()!r}"


async def main() -> dict[str, str]:
    loop = asyncio.get_running_loop()
    start = loop.time()

    def log(text: str) -> None:
        print(f"{loop.time() - start:.2f} s  {text}")

    tasks = [
        asyncio.create_task(download("a.json", 2), name="a.json"),
        asyncio.create_task(download("big.iso", 10), name="big.iso"),
        asyncio.create_task(parse("bad.csv"), name="bad.csv"),
    ]
    first = tasks[0]
    log(f"{first.get_name()}: done()={first.done()} cancelled()={first.cancelled()}")
    coro = first.get_coro()
    assert isinstance(coro, types.CoroutineType)  # what calling an async def returns
    log(f"{first.get_name()} runs {coro.__qualname__}()")
    for read in (first.result, first.exception):
        try:
            read()
        except asyncio.InvalidStateError as error:
            log(f"{read.__name__}() too early: InvalidStateError({error})")

    await asyncio.sleep(0.75)
    others = asyncio.all_tasks() - {asyncio.current_task()}
    log(f"all_tasks(): {sorted(task.get_name() for task in others)}")

    await asyncio.sleep(0.5)
    big = tasks[1]
    big.cancel()
    log(f"{big.get_name()}: cancel() asked, done()={big.done()}")
    await asyncio.wait(tasks)
    states = {task.get_name(): describe(task) for task in tasks}
    for name, state in states.items():
        log(f"{name}: {state}")
    return states


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
