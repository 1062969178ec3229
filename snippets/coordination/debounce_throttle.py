"""How do I debounce or throttle events? Search-as-you-type, both ways."""

# --8<-- [start:recipe]
import asyncio
import math
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Gate(Generic[T]):
    """Coalesces pushed values; a single task calls `action` with the latest one."""

    _latest: T  # set by the first push(), before the task that reads it starts

    def __init__(self, seconds: float, action: Callable[[T], Awaitable[None]]) -> None:
        self.seconds = seconds
        self.action = action
        self._pending = False
        self._last_push = self._last_call = -math.inf
        self._task: asyncio.Task[None] | None = None

    def push(self, value: T) -> None:
        self._latest, self._pending = value, True
        self._last_push = asyncio.get_running_loop().time()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    def _ready_at(self) -> float:
        raise NotImplementedError

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:  # a push during the action means one more round
            left = self._ready_at() - loop.time()
            while left > 0:  # a debounce deadline moves while we sleep
                await asyncio.sleep(left)
                left = self._ready_at() - loop.time()
            value, self._pending = self._latest, False
            self._last_call = loop.time()
            await self.action(value)

    async def drain(self) -> None:
        """Wait until the latest value has been handled (call before shutting down)."""
        if self._task is not None:
            await self._task


class Debounce(Gate[T]):
    """Call once the values have stopped coming for `seconds`."""

    def _ready_at(self) -> float:
        return self._last_push + self.seconds


class Throttle(Gate[T]):
    """Call at most once per `seconds`: the first value at once, then the latest."""

    def _ready_at(self) -> float:
        return self._last_call + self.seconds


async def main() -> dict[str, list[str]]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    searches: dict[str, list[str]] = {"debounce": [], "throttle": []}

    def searcher(name: str) -> Callable[[str], Awaitable[None]]:
        async def search(text: str) -> None:
            print(f"{loop.time() - start:.2f} s  {name:<8} -> search {text!r}")
            searches[name].append(text)

        return search

    gates = [Debounce(0.5, searcher("debounce")), Throttle(0.5, searcher("throttle"))]
    # The user types "async" (a key every 0.2 s), pauses, then types "io".
    keys = [(0.0, "a"), (0.2, "s"), (0.4, "y"), (0.6, "n"), (0.8, "c")]
    keys += [(2.0, "i"), (2.2, "o")]
    text = ""
    for at, key in keys:
        await asyncio.sleep(start + at - loop.time())
        text += key
        for gate in gates:
            gate.push(text)
    for gate in gates:
        await gate.drain()
    counts = {name: len(done) for name, done in searches.items()}
    print(f"{len(keys)} keystrokes, searches run: {counts}")
    return searches


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
