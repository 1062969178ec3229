"""How do I run a task repeatedly in the background and stop it? Cancel the task."""

# --8<-- [start:recipe]
import asyncio


async def monitor(ticks: list[float], interval: float = 1.0) -> None:
    """Check something every `interval` seconds, forever, until cancelled."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        while True:
            await asyncio.sleep(interval)  # cancel() interrupts this await
            ticks.append(loop.time() - start)
            print(f"{ticks[-1]:.2f} s  tick {len(ticks)}: all good")
    finally:  # runs when the task is cancelled: close files, connections...
        print(f"{loop.time() - start:.2f} s  monitor: cleaned up")


async def main() -> tuple[int, bool]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    ticks: list[float] = []
    task = asyncio.create_task(monitor(ticks))  # keep this reference
    await asyncio.sleep(6.5)  # the rest of the program does its work
    print(f"{loop.time() - start:.2f} s  main: stopping the monitor")
    task.cancel()  # only a request: the task stops at its next await
    await asyncio.wait([task])  # wait until it has really stopped
    print(f"ticks: {len(ticks)}, cancelled: {task.cancelled()}")
    return len(ticks), task.cancelled()


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
