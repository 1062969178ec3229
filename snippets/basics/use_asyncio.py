"""How do I use asyncio in Python? Three downloads that wait at the same time."""

# --8<-- [start:recipe]
import asyncio


async def fetch(name: str, delay: float, start: float) -> str:
    """Pretend to download `name`: the sleep stands in for waiting on the network."""
    await asyncio.sleep(delay)
    now = asyncio.get_running_loop().time()
    print(f"{now - start:.2f} s  {name} done")
    return name


async def main() -> list[str]:
    start = asyncio.get_running_loop().time()
    results = await asyncio.gather(
        fetch("a.json", 2.0, start),
        fetch("b.json", 1.0, start),
        fetch("c.json", 0.5, start),
    )
    total = asyncio.get_running_loop().time() - start
    print(f"results: {results}")
    print(f"total: {total:.2f} s (the delays add up to 3.50 s)")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
