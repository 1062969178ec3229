"""How do I cancel a task and wait until it has really stopped? Cancel, then wait."""

# --8<-- [start:recipe]
import asyncio
from typing import Any


def elapsed(start: float) -> str:
    return f"{asyncio.get_running_loop().time() - start:.2f} s"


async def upload(start: float) -> None:
    try:
        await asyncio.sleep(10.0)  # sending the file
    except asyncio.CancelledError:
        print(f"{elapsed(start)}  upload: cancelled, deleting the partial file")
        await asyncio.sleep(1.5)  # cleanup takes time too
        print(f"{elapsed(start)}  upload: partial file deleted")
        raise


async def cancel_and_wait(
    task: asyncio.Task[Any], timeout: float | None = None
) -> None:
    """Cancel `task` and return once it has stopped, its cleanup included.

    TimeoutError: `task` still runs `timeout` seconds after cancel() (it ignored
    it). Any other error: `task` raised it instead of stopping. If we are
    cancelled meanwhile, we wait on, then raise our CancelledError.
    """
    task.cancel()
    loop = asyncio.get_running_loop()
    deadline = None if timeout is None else loop.time() + timeout
    try:
        await stopped(task, deadline)
    except asyncio.CancelledError:
        # We are cancelled too. Wait on, so that nobody is left to find the
        # cleanup half done, then pass it on (a second cancel() stops us at once).
        await stopped(task, deadline)
        raise
    if not task.done():
        raise TimeoutError(f"the task is still running {timeout} s after cancel()")
    if not task.cancelled():
        task.result()  # it did not stop but returned, or raised: raise its error


async def stopped(task: asyncio.Task[Any], deadline: float | None) -> None:
    """Wait until `task` is done, or until `deadline` on the loop's clock."""
    loop = asyncio.get_running_loop()
    timeout = None if deadline is None else max(0.0, deadline - loop.time())
    # Not `await task`: cancelling us would then cancel `task` once more, and cut
    # its cleanup short. wait() leaves `task` alone.
    await asyncio.wait([task], timeout=timeout)


# --8<-- [end:recipe]
# --8<-- [start:main]
async def main() -> tuple[bool, bool]:
    start = asyncio.get_running_loop().time()
    task = asyncio.create_task(upload(start))
    await asyncio.sleep(2.0)
    print(f"{elapsed(start)}  main: cancelling the upload")
    await cancel_and_wait(task, timeout=5.0)  # a bound, should it never stop
    print(f"{elapsed(start)}  main: upload stopped, cancelled() = {task.cancelled()}")
    return task.cancelled(), task.cancel()  # cancel() on a done task: False


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
