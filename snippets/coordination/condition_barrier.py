"""When do I need a Condition or a Barrier? Buyers waiting for enough stock."""

# --8<-- [start:recipe]
import asyncio


def stamp(start: float, text: str) -> float:
    elapsed = asyncio.get_running_loop().time() - start
    print(f"{elapsed:.2f} s  {text}")
    return elapsed


class Stock:
    def __init__(self) -> None:
        self.items = 0
        self.changed = asyncio.Condition()  # a lock plus "wake me when it changes"


async def buyer(name: str, wants: int, stock: Stock, start: float) -> float:
    async with stock.changed:  # wait() and notify() need the lock held
        # Sleeps until notified AND the predicate holds; re-checks on every wake-up.
        await stock.changed.wait_for(lambda: stock.items >= wants)
        stock.items -= wants
        return stamp(start, f"{name} takes {wants}, {stock.items} left")


async def supplier(stock: Stock, deliveries: list[int], start: float) -> None:
    for amount in deliveries:
        await asyncio.sleep(1.0)
        async with stock.changed:
            stock.items += amount
            stamp(start, f"delivery of {amount}, {stock.items} in stock")
            stock.changed.notify_all()  # every buyer re-checks its own predicate


# --8<-- [end:recipe]


# --8<-- [start:barrier]
async def runner(
    name: str, warmup: float, barrier: asyncio.Barrier, start: float
) -> float:
    await asyncio.sleep(warmup)
    stamp(start, f"{name} ready")
    await barrier.wait()  # blocks until all 3 parties have arrived
    return stamp(start, f"{name} goes")


async def race(barrier: asyncio.Barrier) -> list[float]:
    """Three runners warm up for 1, 2 and 3 s, then start together."""
    start = asyncio.get_running_loop().time()
    return await asyncio.gather(
        *(runner(f"runner-{n}", n, barrier, start) for n in (1, 2, 3))
    )


# --8<-- [end:barrier]


# --8<-- [start:main]
async def main() -> tuple[list[float], list[float]]:
    print("Condition: each buyer waits for enough stock")
    start = asyncio.get_running_loop().time()
    stock = Stock()
    buyers = [
        asyncio.create_task(buyer(name, wants, stock, start))
        for name, wants in [("alice", 3), ("bob", 1), ("carol", 4)]
    ]
    await supplier(stock, [2, 2, 4], start)
    bought = await asyncio.gather(*buyers)
    print("Barrier: the runners start together")
    went = await race(asyncio.Barrier(3))
    return bought, went


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
