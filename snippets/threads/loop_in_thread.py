"""How do I run an event loop in a background thread and submit work to it?"""

import asyncio

# --8<-- [start:recipe]
import concurrent.futures
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class BackgroundLoop:
    """An event loop in its own thread, for synchronous code to hand work to."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="loop")

    def __enter__(self) -> "BackgroundLoop":
        self.thread.start()
        return self

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule `coroutine` on the loop; safe to call from any thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.submit(self._cancel_everything()).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    async def _cancel_everything(self) -> None:
        tasks = asyncio.all_tasks() - {asyncio.current_task()}
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.loop.shutdown_asyncgens()
        await self.loop.shutdown_default_executor()


async def download(name: str, delay: float) -> str:
    await asyncio.sleep(delay)
    return f"{name} ({delay} s)"


async def collect(queue: asyncio.Queue[str], count: int) -> list[str]:
    return [await queue.get() for _ in range(count)]


def sync_program() -> list[str]:
    """Ordinary synchronous code (a GUI, a WSGI app) using one long-lived loop."""
    with BackgroundLoop() as background:
        futures = [
            background.submit(download(name, delay))
            for name, delay in [("a", 0.6), ("b", 0.4), ("c", 0.2)]
        ]
        done = [f.result() for f in concurrent.futures.as_completed(futures)]
        print(f"finished first to last: {done}")
        results = [future.result(timeout=5) for future in futures]
        print(f"results in submission order: {results}")

        # Plain callbacks, such as feeding a queue, go through call_soon_threadsafe.
        queue: asyncio.Queue[str] = asyncio.Queue()
        collected = background.submit(collect(queue, 3))
        for word in ["one", "two", "three"]:
            background.loop.call_soon_threadsafe(queue.put_nowait, word)
        print(f"the loop received: {collected.result(timeout=5)}")

        forgotten = background.submit(asyncio.sleep(3600))
    print(
        f"after shutdown: thread alive {background.thread.is_alive()},"
        f" loop closed {background.loop.is_closed()},"
        f" leftover task cancelled {forgotten.cancelled()}"
    )
    return results


# --8<-- [end:recipe]
# --8<-- [start:main]
async def main() -> list[str]:
    # The page's tests await main(); the synchronous program runs in a worker
    # thread, as it would in a program without asyncio.
    return await asyncio.to_thread(sync_program)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
