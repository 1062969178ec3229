"""How do I find what is blocking my event loop? Debug mode names the slow task; a
heartbeat measures how long the loop stalled."""

# --8<-- [start:recipe]
import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any


async def parse_report() -> None:
    await asyncio.sleep(0.05)  # waiting for input: fine
    time.sleep(0.3)  # noqa: ASYNC251  (the bug: it stops the whole loop)


async def parse_report_fixed() -> None:
    await asyncio.sleep(0.05)
    await asyncio.to_thread(time.sleep, 0.3)  # the loop keeps running


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def asyncio_log() -> Iterator[list[logging.LogRecord]]:
    """Collect what asyncio logs (normally it goes to stderr)."""
    recorder = Recorder()
    logger = logging.getLogger("asyncio")
    logger.addHandler(recorder)
    try:
        yield recorder.records
    finally:
        logger.removeHandler(recorder)


SLOW = re.compile(
    r"Executing <Task \w+ name='(.*?)' coro=<(\S+?)\(\).*> took (.+) seconds"
)


def describe(record: logging.LogRecord) -> str | None:
    """Shorten "Executing <Task finished name='x' coro=<f() done, defined at ...>
    result=None created at ...> took 0.301 seconds" to its task, coroutine and time."""
    found = SLOW.fullmatch(record.getMessage())
    if found is None:
        return None
    name, coroutine, seconds = found.groups()
    return f"task {name!r} running {coroutine}() took {float(seconds):.2f} s"


async def heartbeat(stop: asyncio.Event) -> float:
    """Wake every 0.05 s; return the longest gap between two wake-ups."""
    loop = asyncio.get_running_loop()
    last, longest = loop.time(), 0.0
    while not stop.is_set():
        await asyncio.sleep(0.05)
        longest = max(longest, loop.time() - last)
        last = loop.time()
    return longest


async def watch(job: Callable[[], Coroutine[Any, Any, None]]) -> dict[str, Any]:
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(stop))
    name = job.__name__.replace("_", "-")
    with asyncio_log() as records:
        await asyncio.create_task(job(), name=name)
    stop.set()
    lines = [describe(record) or "" for record in records]
    slow = [line for line in lines if line.startswith(f"task {name!r}")]
    return {"slow": slow, "longest_gap": await beat}


async def main() -> dict[str, dict[str, Any]]:
    loop = asyncio.get_running_loop()
    loop.set_debug(True)  # or asyncio.run(main(), debug=True), -X dev, ...
    loop.slow_callback_duration = 0.1  # seconds; the default
    results = {}
    for job in (parse_report, parse_report_fixed):
        results[job.__name__] = found = await watch(job)
        print(f"{job.__name__}:")
        for line in found["slow"] or ["no slow step"]:
            print(f"  asyncio debug: {line}")
        print(f"  heartbeat: longest gap {found['longest_gap']:.2f} s")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
