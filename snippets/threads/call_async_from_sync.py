"""How do I call async code from synchronous code?"""

# --8<-- [start:recipe]
import asyncio

PRICES = {"apple": 1.25, "pear": 0.8, "plum": 2.5}


async def fetch_price(item: str) -> float:
    """The async code you want to call: stands in for a network request."""
    await asyncio.sleep(0.1)
    return PRICES[item]


async def which_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


def sync_program() -> list[float]:
    """Ordinary synchronous code: no event loop is running here."""
    price = asyncio.run(fetch_price("apple"))  # one call: a fresh loop, then closed
    print(f"asyncio.run(fetch_price('apple')) -> {price}")

    loops = [asyncio.run(which_loop()) for _ in range(3)]
    print(f"asyncio.run() three times: {len(set(loops))} event loops")

    with asyncio.Runner() as runner:  # many calls: keep one loop open between them
        prices = [runner.run(fetch_price(item)) for item in PRICES]
        shared = [runner.run(which_loop()) for _ in range(3)]
    print(f"asyncio.Runner(): prices {prices}, {len(set(shared))} event loop for all")
    return prices


# --8<-- [end:recipe]
# --8<-- [start:main]
async def main() -> list[float]:
    # The page's tests await main(); a running loop forbids asyncio.run() here,
    # so the synchronous program runs in a worker thread, where no loop runs.
    return await asyncio.to_thread(sync_program)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
