"""What is the difference between a coroutine, a Task and a Future?

The same kind of result three ways: a coroutine you await, a Task the loop runs on its
own, and a Future that something else completes.
"""

# --8<-- [start:recipe]
import asyncio


async def double(x: int) -> int:
    await asyncio.sleep(1.0)
    return x * 2


async def main() -> tuple[int, int, str]:
    loop = asyncio.get_running_loop()
    start = loop.time()

    # A coroutine: a paused call of an async def. It runs only when awaited.
    coro = double(1)
    print(f"coroutine: {type(coro).__name__}")
    from_coro = await coro  # runs it here, inside the current task
    print(f"  awaited: {from_coro} at {loop.time() - start:.2f} s")

    # A Task: a coroutine handed to the loop, which runs it concurrently.
    task = asyncio.create_task(double(2))
    is_future = isinstance(task, asyncio.Future)
    print(f"task: {type(task).__name__}, is a Future: {is_future}")
    from_task = await task
    print(f"  awaited: {from_task} at {loop.time() - start:.2f} s")
    print(f"  awaited again: {await task} (done already, not run twice)")

    # A Future: an empty slot for a result that someone else sets.
    future: asyncio.Future[str] = loop.create_future()
    loop.call_later(1.0, future.set_result, "hello")  # the "someone else"
    print(f"future: {type(future).__name__}, done: {future.done()}")
    from_future = await future
    print(f"  awaited: {from_future!r} at {loop.time() - start:.2f} s")
    return from_coro, from_task, from_future


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
