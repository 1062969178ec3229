"""How do async generators, async for and async comprehensions work?"""

# --8<-- [start:recipe]
import asyncio
import itertools
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing


async def ticker(count: int, delay: float) -> AsyncGenerator[int, None]:
    """An async generator: `async def` with `yield`. It can await between values."""
    try:
        for i in range(count):
            await asyncio.sleep(delay)  # waiting for the next value, say a message
            yield i
    finally:
        print(f"  ticker({count}) cleans up")  # when it ends or is closed


async def ticks_within(seconds: float, delay: float) -> AsyncGenerator[int, None]:
    """Wrong: it yields inside asyncio.timeout(), so the timeout also runs while the
    consumer's code does, between two values."""
    async with asyncio.timeout(seconds):
        for i in itertools.count():
            await asyncio.sleep(delay)
            yield i


async def consume(
    values: AsyncGenerator[int, None], log: Callable[[str], None]
) -> None:
    async with aclosing(values):
        async for value in values:
            log(f"got {value}")
            await asyncio.sleep(0.5)  # the consumer's own work on each value


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

    print("yield inside asyncio.timeout():")
    # 1.3 s: in the consumer's 0.9-1.4 s sleep, 0.4 s clear of the generator's.
    consumer = asyncio.create_task(consume(ticks_within(1.3, 0.2), log))
    await asyncio.wait([consumer])
    log(f"consumer task cancelled: {consumer.cancelled()}")  # not a TimeoutError

    print("asyncio.timeout() around the consumer's loop:")
    try:
        async with asyncio.timeout(1.3):  # the consumer's own: it gets the error
            await consume(ticker(100, 0.2), log)
    except TimeoutError:
        log("TimeoutError in the consumer")
    return {"squares": squares, "odd": sorted(odd), "doubled": doubled}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
