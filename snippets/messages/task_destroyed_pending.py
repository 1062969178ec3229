"""Why do I see "Task was destroyed but it is pending!"? A task nothing referenced."""

# --8<-- [start:recipe]
import asyncio
import gc
from typing import Any


async def heartbeat() -> None:
    """Wait for a stop signal. Nothing outside this coroutine can reach `stop`."""
    stop: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    await stop


async def dropped_task() -> list[str]:
    """The bug: no reference to the task, so the garbage collector may destroy it."""
    loop = asyncio.get_running_loop()
    reported: list[str] = []

    def record(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # What asyncio would log to stderr, kept so the recipe can print it.
        reported.append(f"{context['message']} ({context['task'].get_name()})")

    previous = loop.get_exception_handler()
    loop.set_exception_handler(record)
    try:
        asyncio.create_task(heartbeat(), name="heartbeat")  # noqa: RUF006 (the bug)
        await asyncio.sleep(1)
        gc.collect()  # a collection can happen at any moment; force one here
    finally:
        loop.set_exception_handler(previous)
    return reported


async def kept_task() -> str:
    """The fix: keep a reference until the task is done, and stop it yourself."""
    background: set[asyncio.Task[None]] = set()
    task = asyncio.create_task(heartbeat(), name="heartbeat")
    background.add(task)
    task.add_done_callback(background.discard)
    await asyncio.sleep(1)
    gc.collect()  # the set keeps the task alive: nothing is destroyed
    task.cancel()
    await asyncio.wait({task})  # wait until it has really stopped
    return f"{task.get_name()} cancelled={task.cancelled()}, {len(background)} left"


async def main() -> dict[str, object]:
    reported = await dropped_task()
    for line in reported:
        print(f"bug: {line}")
    kept = await kept_task()
    print(f"fix: {kept}")
    return {"reported": reported, "kept": kept}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
