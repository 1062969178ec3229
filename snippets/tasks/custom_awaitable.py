"""How do I make my own awaitable object?

Give the class an __await__ method that returns an iterator: the __await__ of a
coroutine or of a Future. A Future lets a callback deliver the result later.
"""

# --8<-- [start:recipe]
import asyncio
import itertools
from collections.abc import Generator
from typing import Any


class Delay:
    """`await Delay(0.5)` waits 0.5 s and returns 0.5: __await__ delegates to a
    coroutine, so each await runs it afresh."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __await__(self) -> Generator[Any, None, float]:
        return self._wait().__await__()

    async def _wait(self) -> float:
        await asyncio.sleep(self.seconds)
        return self.seconds


class Reply:
    """The answer to one request: a Future that a callback completes."""

    def __init__(self, request_id: int) -> None:
        self.request_id = request_id
        self._future: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def deliver(self, text: str) -> None:
        if not self._future.done():  # nobody waits any more: drop it
            self._future.set_result(text)

    def __await__(self) -> Generator[Any, None, str]:
        return self._future.__await__()


class Connection:
    """A stand-in for a protocol: replies arrive later, through a callback."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._waiting: dict[int, Reply] = {}

    def request(self, text: str, latency: float) -> Reply:
        reply = Reply(next(self._ids))
        self._waiting[reply.request_id] = reply
        loop = asyncio.get_running_loop()
        loop.call_later(latency, self.on_message, reply.request_id, text.upper())
        return reply

    def on_message(self, request_id: int, text: str) -> None:
        """What a Protocol's data_received() would call: a plain function."""
        self._waiting.pop(request_id).deliver(text)


async def main() -> tuple[float, list[str]]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    slept = await Delay(0.5)
    print(f"{loop.time() - start:.2f} s  await Delay(0.5) returned {slept}")

    connection = Connection()
    replies = [connection.request("ping", 1.0), connection.request("hello", 0.25)]
    texts = await asyncio.gather(*replies)  # gather takes any awaitable
    print(f"{loop.time() - start:.2f} s  replies: {texts}")

    not_awaitable: Any = 42
    try:
        await not_awaitable
    except TypeError as error:
        print(f"{loop.time() - start:.2f} s  await 42: TypeError: {error}")
    return slept, texts


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
