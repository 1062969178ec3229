"""Why do I see "Task exception was never retrieved"? A failed task nobody awaited."""

# --8<-- [start:recipe]
import asyncio
from typing import Any


async def fetch_user(user_id: int) -> str:
    """Pretend to call a service that drops the connection."""
    await asyncio.sleep(0.5)
    raise ConnectionError(f"user {user_id}: connection reset")


async def forgotten_task() -> list[str]:
    """The bug: the task fails, and nothing ever awaits it or asks for its result."""
    loop = asyncio.get_running_loop()
    reported: list[str] = []

    def record(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # What asyncio would log to stderr, kept so the recipe can print it.
        reported.append(f"{context['message']}: {context['exception']!r}")

    previous = loop.get_exception_handler()
    loop.set_exception_handler(record)
    try:
        task = asyncio.create_task(fetch_user(1))
        await asyncio.sleep(1)  # the task fails meanwhile; nobody looks
        del task  # the last reference goes: asyncio reports the lost exception
    finally:
        loop.set_exception_handler(previous)
    return reported


async def awaited_task() -> str:
    """The fix: await the task, where you can handle its exception."""
    task = asyncio.create_task(fetch_user(1))
    try:
        return await task
    except ConnectionError as exc:
        return f"handled: {exc}"


async def main() -> dict[str, object]:
    reported = await forgotten_task()
    for line in reported:
        print(f"bug: {line}")
    handled = await awaited_task()
    print(f"fix: {handled}")
    return {"reported": reported, "handled": handled}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
