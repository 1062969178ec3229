"""How do I run a coroutine after a delay? Schedule it as a task you can cancel."""

# --8<-- [start:recipe]
import asyncio
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def run_after(
    delay: float, func: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs
) -> asyncio.Task[T]:
    """Run func(*args, **kwargs) in `delay` seconds; cancel the task to call it off."""

    async def delayed() -> T:
        await asyncio.sleep(delay)
        return await func(*args, **kwargs)  # the coroutine is created only now

    return asyncio.create_task(delayed())


async def send_reminder(user: str, start: float) -> str:
    elapsed = asyncio.get_running_loop().time() - start
    print(f"{elapsed:.2f} s  reminder sent to {user}")
    return f"reminded {user}"


async def main() -> dict[str, str]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    alice = run_after(2.0, send_reminder, "alice", start)
    bob = run_after(3.0, send_reminder, "bob", start)
    print(f"{loop.time() - start:.2f} s  two reminders scheduled; main carries on")
    await asyncio.sleep(1.0)
    bob.cancel()  # bob answered: call his reminder off before it runs
    print(f"{loop.time() - start:.2f} s  bob's reminder cancelled")
    result = await alice  # the task's return value, at 2 s
    await asyncio.wait([bob])  # cancelled tasks end too: leave none behind
    print(f"{loop.time() - start:.2f} s  {result!r}; bob cancelled: {bob.cancelled()}")
    return {"alice": result, "bob": "cancelled" if bob.cancelled() else bob.result()}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
