"""Why does time.sleep() freeze my asyncio program?"""

# --8<-- [start:recipe]
import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

DELAY = 0.3  # seconds each of the three tasks waits
TASKS = 3


async def with_time_sleep() -> None:
    # Deliberately wrong, to show the damage: time.sleep() blocks the event loop,
    # so no other task can run until it returns.
    time.sleep(DELAY)  # noqa: ASYNC251


async def with_asyncio_sleep() -> None:
    await asyncio.sleep(DELAY)  # hands control back to the loop while it waits


async def with_to_thread() -> None:
    # For a blocking call you cannot change: run it in a worker thread.
    await asyncio.to_thread(time.sleep, DELAY)


async def measure(label: str, wait: Callable[[], Coroutine[Any, Any, None]]) -> float:
    """Run TASKS copies of `wait` concurrently; return the wall-clock seconds."""
    start = time.perf_counter()
    tasks = [asyncio.create_task(wait(), name=f"{label} #{i}") for i in range(TASKS)]
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    print(f"{label:<20} {elapsed:.2f} s = {elapsed / DELAY:.1f} x one sleep")
    return elapsed


class SlowStepReports(logging.Handler):
    """Collects what asyncio's debug mode logs about steps that blocked the loop."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def main() -> dict[str, float]:
    print(f"{TASKS} tasks, each waiting {DELAY:.2f} s")
    loop = asyncio.get_running_loop()
    was_debug = loop.get_debug()
    reports = SlowStepReports()
    logging.getLogger("asyncio").addHandler(reports)
    loop.set_debug(True)  # what `python -X dev` turns on: report steps over 0.1 s
    try:
        timings = {
            "time.sleep": await measure("time.sleep", with_time_sleep),
            "asyncio.sleep": await measure("asyncio.sleep", with_asyncio_sleep),
            "asyncio.to_thread": await measure("asyncio.to_thread", with_to_thread),
        }
    finally:
        loop.set_debug(was_debug)
        logging.getLogger("asyncio").removeHandler(reports)
    for i in range(TASKS):
        name = f"time.sleep #{i}"
        if any(f"name='{name}'" in message for message in reports.messages):
            print(f"debug mode: {name} blocked the loop")
    return timings


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
