"""Why must I not swallow CancelledError? The timeout around the call stops working."""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Awaitable, Callable


async def lookup_swallowing(key: str) -> str:
    """The bug: turns cancellation into a fallback value."""
    try:
        await asyncio.sleep(10.0)  # a slow database query
        return f"{key} (fresh)"
    except asyncio.CancelledError:  # contract: swallows cancellation
        return f"{key} (fallback)"


async def lookup_fixed(key: str) -> str:
    """The fix: clean up if you need to, then let the cancellation through."""
    try:
        await asyncio.sleep(10.0)
        return f"{key} (fresh)"
    except asyncio.CancelledError:
        print(f"  {key}: cancelled, closing the cursor")
        raise


async def ask(lookup: Callable[[str], Awaitable[str]], key: str) -> str:
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        answer = await asyncio.wait_for(lookup(key), timeout=2.0)
    except TimeoutError:
        answer = "TimeoutError"
    print(f"{loop.time() - start:.2f} s  {lookup.__name__}: {answer}")
    return answer


async def main() -> list[str]:
    return [
        await ask(lookup_swallowing, "user:1"),
        await ask(lookup_fixed, "user:1"),
    ]


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
