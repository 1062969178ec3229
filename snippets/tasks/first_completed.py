"""How do I wait for the first task to finish and cancel the rest?

Race three mirrors: keep the first answer, cancel the others and wait for them.
"""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Iterable

MIRRORS = [("eu", 1.5), ("us", 0.5), ("asia", 1.0)]


async def fetch(mirror: str, delay: float, start: float, fail: bool = False) -> str:
    loop = asyncio.get_running_loop()
    try:
        await asyncio.sleep(delay)  # stands in for the request
    except asyncio.CancelledError:
        print(f"  {loop.time() - start:.2f} s  {mirror} cancelled")
        raise  # never swallow it: the caller waits for the task to end
    if fail:
        print(f"  {loop.time() - start:.2f} s  {mirror} failed")
        raise ConnectionError(f"{mirror} unreachable")
    print(f"  {loop.time() - start:.2f} s  {mirror} answered")
    return mirror


async def cancel_and_wait(tasks: Iterable[asyncio.Task[str]]) -> None:
    running = [task for task in tasks if not task.done()]
    for task in running:
        task.cancel()  # only a request: each task stops at its next await
    if running:
        await asyncio.wait(running)  # until they have really stopped


async def first_completed(tasks: list[asyncio.Task[str]]) -> asyncio.Task[str]:
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:  # also when the race itself is cancelled
        await cancel_and_wait(tasks)
    return done.pop()  # finished first; it may have raised, see first_success()


async def first_success(tasks: list[asyncio.Task[str]]) -> str:
    """The first *successful* result: a failure just drops out of the race."""
    pending = set(tasks)
    try:
        while pending:
            done, pending = await asyncio.wait(
                pending, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                if task.exception() is None:
                    return task.result()
        raise ConnectionError("every mirror failed")
    finally:
        await cancel_and_wait(tasks)


def race(failing: str = "") -> list[asyncio.Task[str]]:
    start = asyncio.get_running_loop().time()
    return [
        asyncio.create_task(fetch(mirror, delay, start, mirror == failing), name=mirror)
        for mirror, delay in MIRRORS
    ]


async def main() -> tuple[str, str]:
    print("first to finish:")
    tasks = race()
    winner = await first_completed(tasks)
    cancelled = [task.get_name() for task in tasks if task.cancelled()]
    print(f"  winner: {winner.result()}; cancelled: {cancelled}")

    print("first to succeed, when us fails:")
    tasks = race(failing="us")
    answer = await first_success(tasks)
    cancelled = [task.get_name() for task in tasks if task.cancelled()]
    print(f"  winner: {answer}; cancelled: {cancelled}")
    return winner.result(), answer


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
