"""How do I fix "There is no current event loop" from get_event_loop()? Ask for the
running loop, or create the loop yourself and set it before old code asks."""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


async def fetch_price(item: str) -> float:
    await asyncio.sleep(0.1)
    return {"tea": 3.5, "cake": 4.25}[item]


class LegacyClient:
    """Old library code: it takes 'the' event loop when it is created, often at
    import time (a module-level `client = LegacyClient()`)."""

    def __init__(self) -> None:
        self.loop = asyncio.get_event_loop()  # raises if no loop is set
        self.connected = self.loop.create_future()  # belongs to that loop
        self.loop.call_soon(self.connected.set_result, True)

    async def get_price(self, item: str) -> float:
        await self.connected  # only works on the loop it was created with
        return await fetch_price(item)


def legacy_get_price(item: str) -> float:
    """The bug: old code asks for 'the' event loop where none is set."""
    client = LegacyClient()
    return client.loop.run_until_complete(client.get_price(item))


def with_asyncio_run(item: str) -> float:
    """Fix 2, synchronous code: asyncio.run() makes, runs and closes a loop."""
    return asyncio.run(fetch_price(item))


def with_runner(item: str) -> float:
    """Fix 3, old code included: asyncio.Runner sets its loop as the current one
    and keeps it for every runner.run() until the block ends."""
    with asyncio.Runner() as runner:
        runner.get_loop()  # creates the loop and sets it as the current one
        client = LegacyClient()  # where `import legacy_library` would go
        return runner.run(client.get_price(item))


def with_a_loop_you_set(item: str) -> float:
    """Fix 4, the same by hand: create and set a loop, run on it, then clean up."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        client = LegacyClient()
        return loop.run_until_complete(client.get_price(item))
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def call(function: Callable[[str], float], item: str) -> str:
    try:
        return f"{function(item)}"
    except RuntimeError as exc:
        return f"RuntimeError: {exc}"


async def main() -> dict[str, str]:
    # Fix 1, async code: get_running_loop() inside a coroutine always works.
    loop = asyncio.get_running_loop()
    print(f"fix 1: get_running_loop() in main() is running: {loop.is_running()}")
    results = {}
    # Synchronous code outside any loop: a worker thread, where no loop is ever set.
    with ThreadPoolExecutor(thread_name_prefix="worker") as pool:
        for label, function, item in [
            ("bug: legacy_get_price('tea')", legacy_get_price, "tea"),
            ("fix 2: with_asyncio_run('cake')", with_asyncio_run, "cake"),
            ("fix 3: with_runner('tea')", with_runner, "tea"),
            ("fix 4: with_a_loop_you_set('tea')", with_a_loop_you_set, "tea"),
        ]:
            result = await loop.run_in_executor(pool, call, function, item)
            print(f"{label} -> {result}")
            results[function.__name__] = result
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
