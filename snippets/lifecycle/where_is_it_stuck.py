"""Is my stuck asyncio program waiting or blocked, and where? A service that gets
stuck one of two ways, to look at from another terminal with Python 3.15's sampling
profiler: `python where_is_it_stuck.py waits 600` (a request waits for a reply that
never comes) or `python where_is_it_stuck.py blocks 600` (a task blocks the loop)."""

# --8<-- [start:recipe]
import asyncio
import sys
import time


async def fetch(replies: asyncio.Queue[str]) -> str:
    return await replies.get()  # the orders service never replies


async def handle(request: str, replies: asyncio.Queue[str]) -> str:
    print(f"{request} waits for its reply", flush=True)
    return await fetch(replies)


def write_report(seconds: float) -> None:
    time.sleep(seconds)  # the other bug: a blocking call, run on the event loop


async def export(seconds: float) -> None:
    await asyncio.sleep(0.1)
    write_report(seconds)


async def main(fault: str = "waits", seconds: str = "5") -> str:
    deadline = float(seconds)
    replies: asyncio.Queue[str] = asyncio.Queue()
    try:
        async with asyncio.timeout(deadline), asyncio.TaskGroup() as tg:
            if fault == "blocks":
                tg.create_task(export(deadline), name="export")
            tg.create_task(handle("request-1", replies), name="request-1")
    except TimeoutError:
        outcome = f"request-1 got no reply within {deadline} s"
    else:
        outcome = "request-1 got its reply"
    print(outcome)
    return outcome


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
# --8<-- [end:recipe]
