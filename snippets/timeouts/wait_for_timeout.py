"""How do I give up waiting after a timeout? asyncio.wait_for() with a deadline."""

# --8<-- [start:recipe]
import asyncio


async def fetch(name: str, delay: float) -> str:
    """Pretend to download `name`: the sleep stands in for a slow server."""
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"  {name}: cancelled")
        raise  # always let cancellation through
    return name


async def fetch_or_none(name: str, delay: float, timeout: float) -> str | None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        result = await asyncio.wait_for(fetch(name, delay), timeout=timeout)
    except TimeoutError:  # not `except TimeoutError`: 3.10 misses it
        print(f"{name}: gave up after {loop.time() - start:.2f} s")
        return None
    print(f"{name}: got it after {loop.time() - start:.2f} s")
    return result


# --8<-- [end:recipe]
# --8<-- [start:timeout]
async def fetch_or_none_311(name: str, delay: float, timeout: float) -> str | None:
    """The same on Python 3.11+, with the asyncio.timeout() context manager."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(timeout):
            result = await fetch(name, delay)
    except TimeoutError:  # on 3.11+, asyncio.TimeoutError is TimeoutError
        print(f"{name}: gave up after {loop.time() - start:.2f} s")
        return None
    print(f"{name}: got it after {loop.time() - start:.2f} s")
    return result


# --8<-- [end:timeout]
# --8<-- [start:main]
async def main() -> list[str | None]:
    return [
        await fetch_or_none("fast.json", delay=1.0, timeout=2.0),
        await fetch_or_none("slow.json", delay=10.0, timeout=2.0),
    ]


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
