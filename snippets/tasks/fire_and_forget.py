"""How do I start a fire-and-forget background task safely?

Keep a reference to each task, report its failure, and stop leftovers at shutdown.
"""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Coroutine
from typing import Any

background_tasks: set[asyncio.Task[Any]] = set()


def report(task: asyncio.Task[Any]) -> None:
    """Done callback: look at the outcome, so no error goes unseen."""
    if task.cancelled():  # task.exception() would raise CancelledError
        print(f"  report: {task.get_name()} was cancelled")
        return
    error = task.exception()  # retrieving it: no "never retrieved" warning
    if error is not None:
        # In an application: logger.error("...", exc_info=error)
        print(f"  report: {task.get_name()} failed: {error!r}")


def fire_and_forget(coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
    task = asyncio.create_task(coro, name=name)
    background_tasks.add(task)  # a strong reference: the loop keeps only a weak one
    task.add_done_callback(background_tasks.discard)  # forgotten once done
    task.add_done_callback(report)
    return task


async def shutdown(grace: float) -> list[str]:
    """Give background tasks `grace` seconds to finish, then cancel the rest."""
    if not background_tasks:
        return []
    _, pending = await asyncio.wait(background_tasks, timeout=grace)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending)  # until they have really stopped
    return sorted(task.get_name() for task in pending)


async def send_email(to: str, start: float) -> None:
    await asyncio.sleep(0.5)
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  email to {to} sent")


async def call_webhook(start: float) -> None:
    await asyncio.sleep(1.0)
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  webhook raises ConnectionError")
    raise ConnectionError("webhook unreachable")


async def refresh_cache(start: float) -> None:
    await asyncio.sleep(10.0)  # longer than the program wants to wait
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  cache refreshed")


async def main() -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    fire_and_forget(send_email("ada@example.com", start), name="email")
    fire_and_forget(call_webhook(start), name="webhook")
    fire_and_forget(refresh_cache(start), name="cache")
    print(f"{loop.time() - start:.2f} s  main started 3 tasks and carries on")
    await asyncio.sleep(1.5)  # the rest of the program
    names = sorted(task.get_name() for task in background_tasks)
    print(f"{loop.time() - start:.2f} s  main is done; still running: {names}")
    cancelled = await shutdown(grace=1.0)
    print(f"{loop.time() - start:.2f} s  shut down; cancelled: {cancelled}")
    return cancelled


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
