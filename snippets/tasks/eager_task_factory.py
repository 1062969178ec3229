"""When does the eager task factory make tasks faster?

With asyncio.eager_task_factory (Python 3.12+), a task runs its first step inside
create_task(): a coroutine that finishes without suspending never goes through the
event loop at all. Counted in loop turns, not in seconds.
"""

# --8<-- [start:recipe]
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

if sys.version_info < (3, 12):
    sys.exit("This recipe needs Python 3.12+: asyncio.eager_task_factory is new there")

TaskFactory = Callable[[asyncio.AbstractEventLoop, Coroutine[Any, Any, Any]], Any]
KEYS = [f"user:{n}" for n in range(10)]
CACHE = {key: f"name of {key}" for key in KEYS[:8]}  # 8 hits, 2 misses


async def lookup(key: str) -> str:
    if key in CACHE:
        return CACHE[key]  # a cache hit: returns without ever suspending
    await asyncio.sleep(0.1)  # a miss: a round trip to the database
    return f"fetched {key}"


class TurnCounter:
    """Counts event-loop turns: a callback that reschedules itself runs once a turn."""

    def __init__(self) -> None:
        self.turns = 0
        self._loop = asyncio.get_running_loop()
        self._handle = self._loop.call_soon(self._tick)

    def _tick(self) -> None:
        self.turns += 1
        self._handle = self._loop.call_soon(self._tick)

    def stop(self) -> None:
        self._handle.cancel()


async def fan_out(keys: list[str]) -> tuple[int, list[str]]:
    """One task per key; how many were still pending when create_task returned."""
    tasks = [asyncio.create_task(lookup(key)) for key in keys]
    pending = sum(not task.done() for task in tasks)
    return pending, await asyncio.gather(*tasks)


async def turns_for(keys: list[str]) -> int:
    counter = TurnCounter()  # only while nothing sleeps: it keeps the loop busy
    try:
        await fan_out(keys)
    finally:
        counter.stop()
    return counter.turns


async def order_of_events() -> list[str]:
    events: list[str] = []

    async def body() -> None:
        events.append("task body runs")

    task = asyncio.create_task(body())
    events.append("create_task returned")
    await task
    return events


async def compare(factory: TaskFactory | None) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    loop.set_task_factory(factory)  # None: the default factory
    try:
        hits = KEYS[:8]
        pending_hits, _ = await fan_out(hits)
        turns = await turns_for(hits)
        start = loop.time()
        pending_all, _ = await fan_out(KEYS)
        return {
            "pending after create_task (8 hits)": pending_hits,
            "loop turns to gather them (8 hits)": turns,
            "pending after create_task (8 hits, 2 misses)": pending_all,
            "time to gather them (8 hits, 2 misses)": f"{loop.time() - start:.2f} s",
            "order": await order_of_events(),
        }
    finally:
        loop.set_task_factory(None)


# --8<-- [end:recipe]


# --8<-- [start:per_task]
async def current_name() -> str:
    task = asyncio.current_task()
    assert task is not None
    return task.get_name()


def tracing_factory(created: list[str]) -> TaskFactory:
    """A custom task factory with the Python 3.14 signature: it adds what it wants
    (here, a record of each task) and passes every keyword on to Task."""

    def factory(
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any],
        **kwargs: Any,  # name=, context=, eager_start=: all for Task
    ) -> asyncio.Task[Any]:
        task = asyncio.Task(coro, loop=loop, **kwargs)
        created.append(task.get_name())
        return task

    return factory


if sys.version_info >= (3, 14):  # eager_start= is new in 3.14

    async def per_task() -> dict[str, bool]:
        """Python 3.14+: eager or not, chosen per task with eager_start=."""
        done_at_once: dict[str, bool] = {}
        task = asyncio.create_task(lookup("user:1"), eager_start=True)
        done_at_once["create_task(eager_start=True)"] = task.done()
        await task
        task = asyncio.create_task(lookup("user:2"))
        done_at_once["create_task()"] = task.done()
        await task
        async with asyncio.TaskGroup() as tg:
            task = tg.create_task(lookup("user:3"), eager_start=True)
            done_at_once["tg.create_task(eager_start=True)"] = task.done()
        loop = asyncio.get_running_loop()
        loop.set_task_factory(asyncio.eager_task_factory)
        try:  # opt one task out of the eager factory
            task = asyncio.create_task(lookup("user:4"), eager_start=False)
            done_at_once["eager factory, create_task(eager_start=False)"] = task.done()
            await task
        finally:
            loop.set_task_factory(None)
        for call, done in done_at_once.items():
            print(f"  {call}: done at once: {done}")
        return done_at_once

    async def custom_factory() -> tuple[str, list[str]]:
        """Python 3.14+: a custom factory gets name= and eager_start= and passes
        them on."""
        loop = asyncio.get_running_loop()
        created: list[str] = []
        loop.set_task_factory(tracing_factory(created))
        try:
            task = asyncio.create_task(current_name(), name="worker", eager_start=True)
        finally:
            loop.set_task_factory(None)
        first_step = await task
        print(f"  the first step ran as {first_step!r}; the factory saw {created}")
        return first_step, created


# --8<-- [end:per_task]


# --8<-- [start:main]
async def main() -> dict[str, dict[str, Any]]:
    results = {}
    for name, factory in [("default", None), ("eager", asyncio.eager_task_factory)]:
        results[name] = await compare(factory)
        print(f"{name} task factory:")
        for what, value in results[name].items():
            print(f"  {what}: {value}")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
