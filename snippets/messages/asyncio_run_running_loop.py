"""How do I fix "asyncio.run() cannot be called from a running event loop"?"""

# --8<-- [start:recipe]
import asyncio
import warnings


async def fetch_price(item: str) -> float:
    """Pretend to ask a price service."""
    await asyncio.sleep(0.5)
    return {"tea": 3.5, "cake": 4.25}[item]


def get_price(item: str) -> float:
    """A synchronous wrapper, like many libraries offer: it starts its own loop."""
    return asyncio.run(fetch_price(item))


async def call_wrapper_from_async() -> list[str]:
    """The bug: calling the wrapper while main()'s loop is already running."""
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            get_price("tea")
        except RuntimeError as exc:
            seen.append(f"RuntimeError: {exc}")
    # The coroutine asyncio.run() refused is dropped without being awaited
    # (python -X dev adds where it was created: keep the first line).
    seen += [f"{w.category.__name__}: {str(w.message).splitlines()[0]}" for w in caught]
    return seen


async def main() -> dict[str, object]:
    for line in await call_wrapper_from_async():
        print(f"bug: {line}")
    # Fix 1: inside async code, await the coroutine instead of asyncio.run().
    price = await fetch_price("tea")
    print(f"fix 1: await fetch_price('tea') -> {price}")
    # Fix 2: a sync API you cannot change runs in a thread, which has no loop.
    threaded = await asyncio.to_thread(get_price, "cake")
    print(f"fix 2: await asyncio.to_thread(get_price, 'cake') -> {threaded}")
    return {"price": price, "threaded": threaded}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
