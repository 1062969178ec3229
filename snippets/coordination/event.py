"""How do I signal between tasks with asyncio.Event? A start signal, a stop signal."""

# --8<-- [start:recipe]
import asyncio
import contextlib


def stamp(start: float, text: str) -> float:
    elapsed = asyncio.get_running_loop().time() - start
    print(f"{elapsed:.2f} s  {text}")
    return elapsed


async def waiter(name: str, ready: asyncio.Event, start: float) -> float:
    await ready.wait()  # blocks until ready.set(); returns at once if already set
    return stamp(start, f"{name} goes")


async def heartbeat(stop: asyncio.Event, start: float) -> int:
    beats = 0
    while not stop.is_set():
        beats += 1
        stamp(start, f"heartbeat {beats}")
        # Sleep one second, but wake up at once if `stop` is set meanwhile.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                await stop.wait()
    stamp(start, "heartbeat stopped")
    return beats


async def main() -> dict[str, list[float] | int]:
    start = asyncio.get_running_loop().time()

    # 1. One set() releases every task waiting on the event.
    ready = asyncio.Event()
    waiters = [asyncio.create_task(waiter(f"task-{n}", ready, start)) for n in range(3)]
    await asyncio.sleep(1.0)  # for example, loading the configuration
    stamp(start, "ready.set()")
    ready.set()
    went = await asyncio.gather(*waiters)
    went.append(await waiter("late task", ready, start))  # still set: no wait

    # 2. An event as a stop signal that also cuts a sleep short.
    stop = asyncio.Event()
    beating = asyncio.create_task(heartbeat(stop, start))
    await asyncio.sleep(2.5)
    stamp(start, "stop.set()")
    stop.set()
    beats = await beating
    return {"went": went, "beats": beats}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
