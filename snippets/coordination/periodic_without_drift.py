"""How do I run something periodically without drift? Fixed delay vs fixed rate."""

# --8<-- [start:recipe]
import asyncio
import math


async def fixed_delay(ticks: int, interval: float, work_time: float) -> list[float]:
    """Sleep `interval` after each run: the period is interval + work time."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    runs = []
    for _ in range(ticks):
        runs.append(loop.time() - start)
        await asyncio.sleep(work_time)  # the periodic job itself
        await asyncio.sleep(interval)
    return runs


async def fixed_rate(ticks: int, interval: float, work_time: float) -> list[float]:
    """Run at start, start + interval, start + 2 * interval... on the loop clock."""
    loop = asyncio.get_running_loop()
    start = next_run = loop.time()
    runs = []
    for _ in range(ticks):
        runs.append(loop.time() - start)
        await asyncio.sleep(work_time)  # the periodic job itself
        next_run += interval
        now = loop.time()
        if now > next_run:  # the job overran: skip the ticks it missed, no burst
            next_run += math.ceil((now - next_run) / interval) * interval
        await asyncio.sleep(next_run - now)  # sleep only what is left of the period
    return runs


async def main(work_time: float = 0.3) -> dict[str, list[float]]:
    delay, rate = await asyncio.gather(
        fixed_delay(5, 1.0, work_time), fixed_rate(5, 1.0, work_time)
    )
    print("run  fixed delay  fixed rate")
    for n, (d, r) in enumerate(zip(delay, rate, strict=True), 1):
        print(f"{n:>3}  {d:>9.2f} s  {r:>8.2f} s")
    return {"fixed delay": delay, "fixed rate": rate}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
