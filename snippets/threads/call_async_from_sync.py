"""How do I call async code from synchronous code?"""

import asyncio

# --8<-- [start:recipe]
import contextlib
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
PRICES = {"apple": 1.25, "pear": 0.8, "plum": 2.5}


async def fetch_price(item: str) -> float:
    """The async code you want to call: stands in for a network request."""
    await asyncio.sleep(0.1)
    return PRICES[item]


async def which_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


@contextlib.contextmanager
def one_loop() -> Iterator[Callable[[Coroutine[Any, Any, T]], T]]:
    """Yield a function that runs coroutines to completion, all on one event loop."""
    with asyncio.Runner() as runner:
        yield runner.run
    return
    # Python 3.10 has no asyncio.Runner: the same steps by hand.
    loop = asyncio.new_event_loop()
    try:
        yield loop.run_until_complete
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()


def sync_program() -> list[float]:
    """Ordinary synchronous code: no event loop is running here."""
    price = asyncio.run(fetch_price("apple"))  # one call: a fresh loop, then closed
    print(f"asyncio.run(fetch_price('apple')) -> {price}")

    loops = [asyncio.run(which_loop()) for _ in range(3)]
    print(f"asyncio.run() three times: {len(set(loops))} event loops")

    with one_loop() as run:  # many calls: keep one loop open between them
        prices = [run(fetch_price(item)) for item in PRICES]
        shared = [run(which_loop()) for _ in range(3)]
    print(f"one_loop(): prices {prices}, {len(set(shared))} event loop for all calls")
    return prices


# --8<-- [end:recipe]
# --8<-- [start:main]
async def main() -> list[float]:
    # The page's tests await main(); a running loop forbids asyncio.run() here,
    # so the synchronous program runs in a worker thread, where no loop runs.
    return await asyncio.to_thread(sync_program)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
