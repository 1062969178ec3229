"""How do I wait for the first task to finish and cancel the rest?

Race three mirrors: keep the first answer, cancel the others and wait for them.
"""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Collection, Iterable

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
    # Tasks that finish in the same loop step are all in `done`: take the first in
    # the caller's order, not whichever the set yields. It may have raised.
    return next(task for task in tasks if task in done)


async def first_success(tasks: list[asyncio.Task[str]]) -> str:
    """The first *successful* result: a failure just drops out of the race.
    When every contender fails, raise all their errors in an ExceptionGroup."""
    pending = set(tasks)
    try:
        while pending:
            done, pending = await asyncio.wait(
                pending, return_when=asyncio.FIRST_COMPLETED
            )
            # Read the error of *every* finished task, not only up to the first
            # success: an error nobody reads is logged as "never retrieved".
            answered = [t for t in tasks if t in done and t.exception() is None]
            if answered:
                return answered[0].result()
    finally:
        await cancel_and_wait(tasks)
    # All done, all failed. BaseExceptionGroup() makes an ExceptionGroup when, as
    # here, every error is an Exception: TaskGroup raises its errors the same way.
    errors = [e for task in tasks if (e := task.exception()) is not None]
    raise BaseExceptionGroup("every mirror failed", errors)


def race(failing: Collection[str] = ()) -> list[asyncio.Task[str]]:
    start = asyncio.get_running_loop().time()
    return [
        asyncio.create_task(fetch(mirror, delay, start, mirror in failing), name=mirror)
        for mirror, delay in MIRRORS
    ]


async def main() -> tuple[str, str, list[str]]:
    print("first to finish:")
    tasks = race()
    winner = await first_completed(tasks)
    cancelled = [task.get_name() for task in tasks if task.cancelled()]
    print(f"  winner: {winner.result()}; cancelled: {cancelled}")

    print("first to succeed, when us fails:")
    tasks = race(failing=["us"])
    answer = await first_success(tasks)
    cancelled = [task.get_name() for task in tasks if task.cancelled()]
    print(f"  winner: {answer}; cancelled: {cancelled}")

    print("first to succeed, when every mirror fails:")
    errors: list[str] = []
    try:
        await first_success(race(failing=["eu", "us", "asia"]))
    except* ConnectionError as group:
        errors = [str(error) for error in group.exceptions]
        print(f"  no winner: {errors}")
    return winner.result(), answer, errors


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
