"""How do I limit requests per second? A token bucket, and the same with aiolimiter."""

# --8<-- [start:recipe]
import asyncio
from types import TracebackType

from aiolimiter import AsyncLimiter  # only for the comparison: pip install aiolimiter


class TokenBucket:
    """Allows `rate` acquisitions per second on average, in bursts of up to `burst`."""

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)  # starts full: the first `burst` go at once
        self._updated: float | None = None  # loop time of the last refill
        self._lock = asyncio.Lock()  # waiters queue here, first come first served

    async def acquire(self) -> None:
        async with self._lock:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                if self._updated is not None:
                    refill = (now - self._updated) * self.rate
                    self._tokens = min(self.burst, self._tokens + refill)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None  # nothing to give back: time refills the bucket


Limiter = TokenBucket | AsyncLimiter


async def request(n: int, limiter: Limiter, start: float) -> float:
    async with limiter:  # waits until the limiter lets this request through
        sent = asyncio.get_running_loop().time() - start
    print(f"{sent:.2f} s  request {n}")
    return sent


async def send_all(limiter: Limiter, count: int) -> list[float]:
    start = asyncio.get_running_loop().time()
    return await asyncio.gather(*(request(n, limiter, start) for n in range(count)))


async def main(count: int = 10) -> dict[str, list[float]]:
    print("TokenBucket(rate=4, burst=4):")
    bucket = await send_all(TokenBucket(rate=4, burst=4), count)
    print("AsyncLimiter(4, time_period=1):")
    limiter = await send_all(AsyncLimiter(4, time_period=1), count)
    return {"bucket": bucket, "aiolimiter": limiter}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
