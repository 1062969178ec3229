"""In what order does gather() return results?

gather() keeps argument order; as_completed() hands results over in finish order.
"""

# --8<-- [start:recipe]
import asyncio

JOBS = [("slow", 1.5), ("fast", 0.5), ("medium", 1.0)]  # (name, seconds)


async def job(name: str, delay: float, start: float) -> str:
    await asyncio.sleep(delay)
    now = asyncio.get_running_loop().time()
    print(f"  {now - start:.2f} s  {name} finished")
    return name


async def with_gather() -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await asyncio.gather(*(job(n, d, start) for n, d in JOBS))
    print(f"  {loop.time() - start:.2f} s  gather returned {results}")
    return results


async def with_as_completed() -> list[str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = []
    for next_done in asyncio.as_completed([job(n, d, start) for n, d in JOBS]):
        name = await next_done  # whichever job finishes next
        print(f"  {loop.time() - start:.2f} s  as_completed gave {name!r}")
        results.append(name)
    return results


async def main() -> tuple[list[str], list[str]]:
    print("gather():")
    gathered = await with_gather()
    print("as_completed():")
    completed = await with_as_completed()
    return gathered, completed


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
