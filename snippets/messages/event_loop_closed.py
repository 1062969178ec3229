"""How do I fix "RuntimeError: Event loop is closed"? Do not keep a loop around."""

# --8<-- [start:recipe]
import asyncio

PRICES = {"tea": 3.5, "cake": 4.25}


class CachingClient:
    """The bug: it remembers the loop it was first used on."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None

    async def fetch(self, item: str) -> float:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        reply: asyncio.Future[float] = self._loop.create_future()
        self._loop.call_later(0.5, reply.set_result, PRICES[item])
        return await reply


class Client:
    """The fix: look up the running loop each time it is needed."""

    async def fetch(self, item: str) -> float:
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[float] = loop.create_future()
        loop.call_later(0.5, reply.set_result, PRICES[item])
        return await reply


async def main() -> dict[str, object]:
    cached, fixed = CachingClient(), Client()
    # An earlier asyncio.run() (here in a worker thread) uses both clients;
    # asyncio.run() closes its loop when it returns.
    await asyncio.to_thread(asyncio.run, cached.fetch("tea"))
    await asyncio.to_thread(asyncio.run, fixed.fetch("tea"))
    error = ""
    try:
        await cached.fetch("cake")
    except RuntimeError as exc:
        print(f"bug: RuntimeError: {exc}")
        error = str(exc)
    price = await fixed.fetch("cake")
    print(f"fix: Client().fetch('cake') -> {price}")
    return {"error": error, "price": price}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
