"""How do I fix "RuntimeError: This event loop is already running"?"""

# --8<-- [start:recipe]
import asyncio
import warnings


async def fetch_price(item: str) -> float:
    """Pretend to ask a price service."""
    await asyncio.sleep(0.5)
    return {"tea": 3.5, "cake": 4.25}[item]


def get_price(item: str) -> float:
    """An old-style synchronous wrapper: it drives the current loop itself."""
    loop = asyncio.get_event_loop()
    return loop.run_until_complete(fetch_price(item))


async def call_wrapper_from_async() -> list[str]:
    """The bug: the wrapper tries to run the loop that is running this code."""
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            get_price("tea")
        except RuntimeError as exc:
            seen.append(f"RuntimeError: {exc}")
    # The coroutine it refused is dropped without being awaited
    # (python -X dev adds where it was created: keep the first line).
    seen += [f"{w.category.__name__}: {str(w.message).splitlines()[0]}" for w in caught]
    return seen


pending: set[asyncio.Task[float]] = set()


def on_order(item: str) -> None:
    """A plain callback that runs inside the loop (say, from a library):
    it cannot wait, so it schedules the async work as a task instead."""
    task = asyncio.get_running_loop().create_task(fetch_price(item))
    pending.add(task)
    task.add_done_callback(pending.discard)


async def main() -> dict[str, object]:
    for line in await call_wrapper_from_async():
        print(f"bug: {line}")
    # Fix 1: in async code, await instead of run_until_complete().
    price = await fetch_price("tea")
    print(f"fix 1: await fetch_price('tea') -> {price}")
    # Fix 2: in a sync callback inside the loop, schedule a task; await it later.
    on_order("cake")
    prices = await asyncio.gather(*pending)
    print(f"fix 2: task scheduled by on_order('cake') -> {prices[0]}")
    return {"price": price, "scheduled": prices[0]}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
