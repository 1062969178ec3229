"""How do I retry a failing coroutine with exponential backoff and jitter?"""

# --8<-- [start:recipe]
import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
TRANSIENT = (ConnectionError, TimeoutError)  # the errors worth another try


async def retry(
    operation: Callable[[], Awaitable[T]],
    *,
    attempts: int = 5,
    base: float = 0.5,
    cap: float = 8.0,
    rng: random.Random | None = None,
) -> T:
    """Call `operation` until it succeeds, waiting longer after each failure."""
    rng = rng or random.Random()
    for attempt in range(1, attempts):
        try:
            return await operation()
        except TRANSIENT as exc:
            ceiling = min(cap, base * 2 ** (attempt - 1))  # 0.5, 1, 2, 4... s
            delay = round(rng.uniform(0, ceiling), 2)  # "full jitter", 10 ms steps
            print(f"  attempt {attempt}: {exc!r}, retrying in {delay:.2f} s")
            await asyncio.sleep(delay)
    return await operation()  # the last attempt: its error propagates


class FlakyServer:
    """Fails `failures` times with ConnectionError, then answers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    async def fetch(self) -> str:
        self.calls += 1
        await asyncio.sleep(0.1)  # the request itself
        if self.calls <= self.failures:
            raise ConnectionError("connection reset")
        return "200 OK"


# --8<-- [end:recipe]
# --8<-- [start:tenacity]
import tenacity  # noqa: E402  (pip install tenacity)


@tenacity.retry(
    retry=tenacity.retry_if_exception_type(TRANSIENT),
    wait=tenacity.wait_random_exponential(multiplier=0.5, max=8.0),
    stop=tenacity.stop_after_attempt(5),
    reraise=True,  # raise the last error itself, not tenacity.RetryError
)
async def fetch_with_tenacity(server: FlakyServer) -> str:
    """The same policy: 5 attempts, random waits below 0.5, 1, 2, 4 s."""
    return await server.fetch()


# --8<-- [end:tenacity]
# --8<-- [start:main]
async def main() -> str:
    loop = asyncio.get_running_loop()
    start = loop.time()
    server = FlakyServer(failures=3)
    # Seeded only so that this demo prints the same delays on every run.
    answer = await retry(server.fetch, rng=random.Random(2024))
    print(f"{answer} after {server.calls} calls, {loop.time() - start:.2f} s")
    return answer


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
