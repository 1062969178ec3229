"""When do I use to_thread and when run_in_executor?"""

# --8<-- [start:recipe]
import asyncio
import contextvars
import threading
import time
from concurrent.futures import ThreadPoolExecutor

request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="unset"
)


def blocking_lookup() -> str:
    """A blocking call that logs which request it serves."""
    return request_id.get()


class PeakCounter:
    """Counts how many calls of `work` run at the same time (from any thread)."""

    def __init__(self) -> None:
        self.running = 0
        self.peak = 0
        self._lock = threading.Lock()

    def work(self, seconds: float) -> None:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        time.sleep(seconds)  # blocking work
        with self._lock:
            self.running -= 1


async def main() -> dict[str, object]:
    loop = asyncio.get_running_loop()
    found: dict[str, object] = {}

    request_id.set("req-42")
    found["to_thread"] = await asyncio.to_thread(blocking_lookup)
    print(f"to_thread sees request_id={found['to_thread']}")

    found["run_in_executor"] = await loop.run_in_executor(None, blocking_lookup)
    print(f"run_in_executor sees request_id={found['run_in_executor']}")

    context = contextvars.copy_context()
    found["copied"] = await loop.run_in_executor(None, context.run, blocking_lookup)
    print(f"run_in_executor + copy_context() sees request_id={found['copied']}")

    # run_in_executor takes any executor. A bounded thread pool: never more than 2
    # blocking calls at once, however many wait.
    counter = PeakCounter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [loop.run_in_executor(pool, counter.work, 0.2) for _ in range(6)]
        await asyncio.gather(*jobs)
    found["peak"] = counter.peak
    print(f"ThreadPoolExecutor(max_workers=2): 6 jobs, at most {counter.peak} at once")
    return found


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
