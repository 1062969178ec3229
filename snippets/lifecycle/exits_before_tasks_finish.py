"""Why does my program exit before my background tasks finish? asyncio.run() ends
when main() returns, and cancels whatever is still running."""

# --8<-- [start:recipe]
import asyncio


def stamp(start: float, message: str) -> None:
    print(f"{asyncio.get_running_loop().time() - start:.2f} s  {message}")


async def job(name: str, seconds: float, start: float) -> str:
    try:
        await asyncio.sleep(seconds)  # sending an email, writing a log record, ...
    except asyncio.CancelledError:
        stamp(start, f"{name} cancelled: it never finished")
        raise
    stamp(start, f"{name} finished")
    return name


def start_jobs(start: float) -> list[asyncio.Task[str]]:
    jobs = {"send-email": 1.0, "write-audit-log": 2.0}
    return [
        asyncio.create_task(job(name, seconds, start), name=name)
        for name, seconds in jobs.items()
    ]


async def forgetful() -> list[asyncio.Task[str]]:
    """The bug: start background jobs, do the main work, return."""
    start = asyncio.get_running_loop().time()
    tasks = start_jobs(start)
    await asyncio.sleep(0.5)  # the main work
    stamp(start, "main returns")
    return tasks


async def waits() -> list[str]:
    """The fix: wait for the jobs before returning."""
    start = asyncio.get_running_loop().time()
    tasks = start_jobs(start)
    await asyncio.sleep(0.5)  # the main work
    results = await asyncio.gather(*tasks)
    stamp(start, "main returns")
    return results


async def main() -> dict[str, list[str]]:
    print("bug: asyncio.run(forgetful())")
    tasks = await forgetful()
    pending = [task.get_name() for task in tasks if not task.done()]
    print(f"      pending when it returned: {pending}")
    # What asyncio.run() does once main() has returned: cancel, wait, close.
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("fix: asyncio.run(waits())")
    finished = await waits()
    return {"pending": pending, "finished": finished}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
