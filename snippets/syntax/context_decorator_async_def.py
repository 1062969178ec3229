"""Why does my context-manager decorator exit before my async function finishes?

A @contextmanager used as a decorator wraps the call; calling an async def only
creates a coroutine. Python 3.15 keeps the context open until the coroutine is done.
"""

# --8<-- [start:recipe]
import asyncio
import inspect
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager


@contextmanager
def timed(label: str) -> Iterator[None]:
    """Prints how long its block took: a `with` block, or a function it decorates."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    print(f"  {label}: enter")
    try:
        yield
    finally:
        print(f"  {label}: exit after {loop.time() - start:.2f} s")


@timed("decorated")  # wraps the call fetch(), which only creates a coroutine
async def fetch() -> str:
    print("  fetch: body runs")
    await asyncio.sleep(0.2)  # stands in for a request
    return "data"


# Fix 1, on every version: the `with` block inside the coroutine.
async def fetch_with_block() -> str:
    with timed("with block"):
        await asyncio.sleep(0.2)
        return "data"


# Fix 2, on every version: a decorator made by @asynccontextmanager.
@asynccontextmanager
async def timed_async(label: str) -> AsyncIterator[None]:
    with timed(label):
        yield


@timed_async("async decorated")  # wraps `await fetch_async_decorated()`
async def fetch_async_decorated() -> str:
    await asyncio.sleep(0.2)
    return "data"


async def main() -> dict[str, bool]:
    seen = {"fetch": inspect.iscoroutinefunction(fetch)}
    print(f"@timed(...) on an async def (iscoroutinefunction: {seen['fetch']}):")
    coroutine = fetch()
    print("  the coroutine exists; awaiting it")
    await coroutine
    print("with timed(...) inside the async def:")
    await fetch_with_block()
    seen["fetch_async_decorated"] = inspect.iscoroutinefunction(fetch_async_decorated)
    print("@timed_async(...) from @asynccontextmanager:")
    await fetch_async_decorated()
    return seen


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
