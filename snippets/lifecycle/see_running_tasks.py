"""How do I see all running tasks and where they are stuck? A hung program dumps its
tasks, and each one's chain of awaits, to find a deadlock."""

# --8<-- [start:recipe]
import asyncio
import linecache
import os
from types import CoroutineType
from typing import Any


async def transfer(first: asyncio.Lock, second: asyncio.Lock) -> None:
    async with first:
        await asyncio.sleep(0.1)  # ... meanwhile the other transfer takes `second`
        async with second:  # the bug: the two transfers lock in opposite orders
            pass


async def consume(queue: asyncio.Queue[str]) -> None:
    while True:
        item = await queue.get()  # the producer never came: waits forever
        queue.task_done()
        print(item)


async def tick() -> None:
    beats = 0
    while True:
        await asyncio.sleep(1)  # healthy: wakes up every second
        beats += 1


def awaits(coro: Any) -> list[str]:
    """The chain of coroutines a task is suspended in, outermost first."""
    chain = []
    while isinstance(coro, CoroutineType) and coro.cr_frame is not None:
        frame = coro.cr_frame
        name = os.path.basename(frame.f_code.co_filename)
        if os.path.dirname(frame.f_code.co_filename).endswith("asyncio"):
            chain.append(f"{coro.__qualname__}() in asyncio")  # lines vary by version
        else:
            line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
            code = line.split("#")[0].strip()  # the source line, without comment
            chain.append(f"{coro.__qualname__}() {name}:{frame.f_lineno}  {code}")
        coro = coro.cr_await  # what this coroutine is waiting for
    return chain


def dump_tasks() -> dict[str, list[str]]:
    """Every task but the current one, by name, with where it is suspended."""
    found = {}
    others = asyncio.all_tasks() - {asyncio.current_task()}
    for task in sorted(others, key=lambda t: t.get_name()):
        state = "done" if task.done() else "pending"
        coro = task.get_coro()
        running = coro.__qualname__ if isinstance(coro, CoroutineType) else repr(coro)
        print(f"{task.get_name()} ({state}), running {running}():")
        found[task.get_name()] = chain = awaits(coro)
        for step in chain:
            print(f"    {step}")
    return found


async def main() -> dict[str, list[str]]:
    a, b = asyncio.Lock(), asyncio.Lock()
    queue: asyncio.Queue[str] = asyncio.Queue()
    tasks = [
        asyncio.create_task(transfer(a, b), name="transfer-a-to-b"),
        asyncio.create_task(transfer(b, a), name="transfer-b-to-a"),
        asyncio.create_task(consume(queue), name="consumer"),
        asyncio.create_task(tick(), name="ticker"),
    ]
    await asyncio.sleep(5)  # the program "hangs": what is everyone doing?
    found = dump_tasks()
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks)
    return found


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
