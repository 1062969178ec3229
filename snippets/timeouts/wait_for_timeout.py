"""How do I give up waiting after a timeout? asyncio.timeout() around the await."""

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
        async with asyncio.timeout(timeout):
            result = await fetch(name, delay)
    except TimeoutError:  # raised where the `async with` block ends
        print(f"{name}: gave up after {loop.time() - start:.2f} s")
        return None
    print(f"{name}: got it after {loop.time() - start:.2f} s")
    return result


# --8<-- [end:recipe]
# --8<-- [start:wait_for]
async def fetch_or_none_wait_for(name: str, delay: float, timeout: float) -> str | None:
    """The same with asyncio.wait_for(): one call instead of a block."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        result = await asyncio.wait_for(fetch(name, delay), timeout=timeout)
    except TimeoutError:
        print(f"{name}: gave up after {loop.time() - start:.2f} s")
        return None
    print(f"{name}: got it after {loop.time() - start:.2f} s")
    return result


# --8<-- [end:wait_for]
# --8<-- [start:main]
async def main() -> list[str | None]:
    return [
        await fetch_or_none("fast.json", delay=1.0, timeout=2.0),
        await fetch_or_none("slow.json", delay=10.0, timeout=2.0),
    ]


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
