"""How do I retry failed HTTP requests? With backoff, in aiohttp and in httpx.

Pass URLs on the command line, or run it bare to try it on a local demo server
whose /flaky page fails twice with 503 before it answers.
"""

# Not part of the recipe: httpx imports its transport and async backend on first
# use, a blocking pause that `python -X dev` reports as a slow callback. Import
# them before the event loop starts.
import anyio._backends._asyncio  # noqa: F401  # isort: skip
import httpcore  # noqa: F401  # isort: skip

# --8<-- [start:recipe]
import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from urllib.parse import urlsplit

import aiohttp
import httpx
from aiohttp import web

SSL_CONTEXT = httpx.create_ssl_context()  # build once: it blocks for 0.1 s or more
ATTEMPTS = 4  # the first try and up to 3 retries
BACKOFF = 0.5  # seconds before the first retry, doubled for each next one
RETRY_STATUSES = {429, 500, 502, 503, 504}  # worth another try; 404 is not


class RetryableStatusError(Exception):
    """The server answered, but with a status that may clear up."""


async def pause_before_retry(url: str, attempt: int, error: Exception) -> None:
    delay = BACKOFF * 2 ** (attempt - 1)  # 0.5, 1, 2 s
    why = error if isinstance(error, RetryableStatusError) else type(error).__name__
    print(
        f"  {urlsplit(url).path}: try {attempt} failed ({why}), retry in {delay:.2f} s"
    )
    await asyncio.sleep(delay)


async def get_aiohttp(session: aiohttp.ClientSession, url: str) -> str:
    attempt = 1
    while True:
        try:
            async with session.get(url) as response:
                if response.status in RETRY_STATUSES:
                    raise RetryableStatusError(f"HTTP {response.status}")
                response.raise_for_status()  # any other error status is final
                return await response.text()
        except (
            TimeoutError,
            RetryableStatusError,
            aiohttp.ClientConnectionError,
        ) as error:
            if attempt == ATTEMPTS:
                raise
            await pause_before_retry(url, attempt, error)
        attempt += 1


async def get_httpx(client: httpx.AsyncClient, url: str) -> str:
    attempt = 1
    while True:
        try:
            response = await client.get(url)
            if response.status_code in RETRY_STATUSES:
                raise RetryableStatusError(f"HTTP {response.status_code}")
            response.raise_for_status()  # any other error status is final
            return response.text
        except (
            RetryableStatusError,
            httpx.TransportError,
        ) as error:  # network, timeouts
            if attempt == ATTEMPTS:
                raise
            await pause_before_retry(url, attempt, error)
        attempt += 1


async def try_each(urls: list[str], get: Callable[[str], Awaitable[str]]) -> list[str]:
    loop = asyncio.get_running_loop()
    outcomes = []
    for url in urls:
        start = loop.time()
        try:
            outcome = f"got {await get(url)!r}"
        except (
            TimeoutError,
            RetryableStatusError,
            aiohttp.ClientError,
            httpx.HTTPError,
        ) as error:
            outcome = f"gave up: {type(error).__name__}"
        print(f"  {urlsplit(url).path}: {outcome} after {loop.time() - start:.2f} s")
        outcomes.append(outcome)
    return outcomes


async def fetch_all(urls: list[str]) -> dict[str, list[str]]:
    timeout = aiohttp.ClientTimeout(total=10)  # per attempt
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        httpx.AsyncClient(timeout=10, verify=SSL_CONTEXT) as client,
    ):
        print("aiohttp:")
        outcomes = {"aiohttp": await try_each(urls, partial(get_aiohttp, session))}
        print("httpx:")
        outcomes["httpx"] = await try_each(urls, partial(get_httpx, client))
    return outcomes


async def main(urls: list[str] | None = None) -> dict[str, list[str]]:
    if urls:
        return await fetch_all(urls)
    async with demo_server() as base:  # no URLs given: try it on a local server
        return await fetch_all([f"{base}/flaky", f"{base}/missing"])


@asynccontextmanager
async def demo_server() -> AsyncIterator[str]:
    """/flaky fails with 503 twice out of every three requests; /missing is a 404."""
    requests = 0

    async def flaky(request: web.Request) -> web.Response:
        nonlocal requests
        requests += 1
        if requests % 3:
            return web.Response(status=503, text="try again")
        return web.Response(text="hello")

    app = web.Application()
    app.router.add_get("/flaky", flaky)  # any other path: 404
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()  # port 0: any free port
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or None))
# --8<-- [end:recipe]
