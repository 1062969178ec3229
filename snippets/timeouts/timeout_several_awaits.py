"""How do I put one timeout around several awaits? async with asyncio.timeout()."""

# --8<-- [start:recipe]
import asyncio


def elapsed(start: float) -> str:
    return f"{asyncio.get_running_loop().time() - start:.2f} s"


async def call(name: str, seconds: float, start: float) -> None:
    await asyncio.sleep(seconds)  # stands in for a network call
    print(f"{elapsed(start)}  {name} done")


async def checkout() -> bool:
    """Three calls, one 3 s budget for all of them together."""
    start = asyncio.get_running_loop().time()
    try:
        async with asyncio.timeout(3.0):
            await call("login", 1.0, start)
            await call("reserve stock", 1.0, start)
            await call("charge card", 2.0, start)  # would end at 4 s
    except TimeoutError:  # raised where the `async with` block ends
        print(f"{elapsed(start)}  checkout timed out")
        return False
    return True


async def read_while_busy(gaps: list[float]) -> int:
    """Allow 1 s between chunks, however long the whole read takes."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    received = 0
    try:
        async with asyncio.timeout(1.0) as deadline:
            for gap in gaps:
                await asyncio.sleep(gap)  # waiting for the next chunk
                received += 1
                print(f"{elapsed(start)}  chunk {received}")
                deadline.reschedule(loop.time() + 1.0)  # move the deadline
    except TimeoutError:
        print(f"{elapsed(start)}  no chunk for 1 s: gave up")
    return received


# --8<-- [end:recipe]
# --8<-- [start:main]
async def main() -> tuple[bool, int]:
    paid = await checkout()
    chunks = await read_while_busy([0.5, 0.5, 0.5, 5.0])
    return paid, chunks


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
