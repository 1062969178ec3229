"""How do I clean up when my task is cancelled? try/finally and async with."""

# --8<-- [start:recipe]
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


def elapsed(start: float) -> str:
    return f"{asyncio.get_running_loop().time() - start:.2f} s"


@asynccontextmanager
async def connection(start: float) -> AsyncIterator[None]:
    print(f"{elapsed(start)}  connection opened")
    try:
        yield
    finally:  # runs on success, on error and on cancellation
        await asyncio.sleep(0.5)  # a polite goodbye to the server
        print(f"{elapsed(start)}  connection closed")


async def job(start: float) -> None:
    async with connection(start):
        try:
            await asyncio.sleep(10.0)  # the real work
        except asyncio.CancelledError:
            print(f"{elapsed(start)}  job: cancelled")  # only on cancellation
            raise  # then let it propagate
        finally:
            await asyncio.sleep(0.25)  # awaiting here is fine
            print(f"{elapsed(start)}  job: temp file removed")


async def main() -> bool:
    start = asyncio.get_running_loop().time()
    task = asyncio.create_task(job(start))
    await asyncio.sleep(2.0)
    task.cancel()
    await asyncio.wait([task])  # wait until the cleanup has finished
    print(f"{elapsed(start)}  main: task cancelled: {task.cancelled()}")
    return task.cancelled()


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
