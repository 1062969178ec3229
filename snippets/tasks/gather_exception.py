"""What happens to the other tasks when one task in gather() raises?

gather() raises the first error at once, but the other tasks are not cancelled.
"""

# --8<-- [start:recipe]
import asyncio

JOBS = [("a", 1.0, False), ("b", 0.5, True), ("c", 1.5, False)]  # b fails


async def job(
    name: str, delay: float, fail: bool, start: float, finished: dict[str, float]
) -> str:
    await asyncio.sleep(delay)
    now = asyncio.get_running_loop().time() - start
    if fail:
        print(f"  {now:.2f} s  {name} raises ValueError")
        raise ValueError(f"{name} failed")
    finished[name] = now  # a side effect: proof that the job ran to the end
    print(f"  {now:.2f} s  {name} finished")
    return name


async def first_error_propagates() -> dict[str, float]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    finished: dict[str, float] = {}
    tasks = [
        asyncio.create_task(job(name, delay, fail, start, finished), name=name)
        for name, delay, fail in JOBS
    ]
    try:
        await asyncio.gather(*tasks)
    except ValueError as error:
        print(f"  {loop.time() - start:.2f} s  gather raised {error!r}")
    running = [task.get_name() for task in tasks if not task.done()]
    print(f"  {loop.time() - start:.2f} s  still running: {running}")
    # Nobody cancelled them: wait for them here (or cancel them yourself).
    await asyncio.wait([task for task in tasks if not task.done()])
    cancelled = [task.get_name() for task in tasks if task.cancelled()]
    print(f"  {loop.time() - start:.2f} s  all done; cancelled: {cancelled}")
    return finished


async def collect_exceptions() -> list[str | BaseException]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await asyncio.gather(
        *(job(name, delay, fail, start, {}) for name, delay, fail in JOBS),
        return_exceptions=True,
    )
    print(f"  {loop.time() - start:.2f} s  gather returned {results!r}")
    return results


async def main() -> tuple[dict[str, float], list[str | BaseException]]:
    print("return_exceptions=False (the default):")
    finished = await first_error_propagates()
    print("return_exceptions=True:")
    results = await collect_exceptions()
    return finished, results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
