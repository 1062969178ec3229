"""How do async generators, async for and async comprehensions work?"""

# --8<-- [start:recipe]
import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing


async def ticker(count: int, delay: float) -> AsyncIterator[int]:
    """An async generator: `async def` with `yield`. It can await between values."""
    try:
        for i in range(count):
            await asyncio.sleep(delay)  # waiting for the next value, say a message
            yield i
    finally:
        print(f"  ticker({count}) cleans up")  # when it ends or is closed


async def double(n: int) -> int:
    await asyncio.sleep(0.1)
    return 2 * n


async def main() -> dict[str, list[int]]:
    loop = asyncio.get_running_loop()
    start = loop.time()

    def log(message: str) -> None:
        print(f"  {loop.time() - start:.2f} s  {message}")

    print("async for:")
    async for value in ticker(3, 0.5):
        log(f"got {value}")

    print("async comprehensions:")
    squares = [i * i async for i in ticker(4, 0.25)]
    log(f"squares: {squares}")
    odd = {i async for i in ticker(4, 0.25) if i % 2}
    log(f"odd: {odd}")
    doubled = [await double(i) for i in range(3)]  # await inside a comprehension
    log(f"doubled: {doubled}")

    print("break out early, then aclose():")
    numbers = ticker(100, 0.5)
    async for value in numbers:
        log(f"got {value}, break")
        break
    log("after the break: no cleanup yet")
    await numbers.aclose()  # raises GeneratorExit at the paused yield: finally runs

    print("break out early inside aclosing():")
    async with aclosing(ticker(100, 0.5)) as numbers:
        async for value in numbers:
            log(f"got {value}, break")
            break
        log("still inside aclosing()")
    log("after aclosing()")
    return {"squares": squares, "odd": sorted(odd), "doubled": doubled}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
