"""How do I cancel a task and wait until it has really stopped? Cancel, then await."""

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


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and return once it has stopped."""
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise  # we were cancelled too, while waiting: pass it on


# --8<-- [end:recipe]
# --8<-- [start:main]
async def main() -> tuple[bool, bool]:
    start = asyncio.get_running_loop().time()
    task = asyncio.create_task(upload(start))
    await asyncio.sleep(2.0)
    print(f"{elapsed(start)}  main: cancelling the upload")
    await cancel_and_wait(task)
    print(f"{elapsed(start)}  main: upload stopped, cancelled() = {task.cancelled()}")
    return task.cancelled(), task.cancel()  # cancel() on a done task: False


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
