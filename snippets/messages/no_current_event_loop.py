"""Why does get_event_loop() warn "There is no current event loop"? Ask for the
running loop instead."""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


async def fetch_price(item: str) -> float:
    await asyncio.sleep(0.5)
    return {"tea": 3.5, "cake": 4.25}[item]


def legacy_get_price(item: str) -> float:
    """The bug: old-style code that asks for 'the' event loop outside any loop."""
    loop = asyncio.get_event_loop()  # no loop running or set here
    return loop.run_until_complete(fetch_price(item))


def explicit_get_price(item: str) -> float:
    """Fix for synchronous code: run the coroutine with asyncio.run()."""
    return asyncio.run(fetch_price(item))


def call(function: Callable[[str], float], item: str) -> str:
    try:
        return f"{function(item)}"
    except RuntimeError as exc:
        return f"RuntimeError: {exc}"


async def main() -> dict[str, object]:
    # Fix for async code: get_running_loop() inside a coroutine always works.
    loop = asyncio.get_running_loop()
    # Outside a running loop (here: a worker thread, where no loop is ever set).
    with ThreadPoolExecutor(thread_name_prefix="worker") as pool:
        bug = await loop.run_in_executor(pool, call, legacy_get_price, "tea")
        fixed = await loop.run_in_executor(pool, call, explicit_get_price, "cake")
    print(f"bug: legacy_get_price('tea') -> {bug}")
    print(f"fix 1: get_running_loop() in main() is running: {loop.is_running()}")
    print(f"fix 2: explicit_get_price('cake') -> {fixed}")
    return {"bug": bug, "fixed": fixed}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
