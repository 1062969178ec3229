"""How do I fetch many URLs concurrently? With aiohttp and with httpx.

Pass URLs on the command line, or run it bare to fetch from a local demo server.
"""

# Not part of the recipe: httpx imports its transport and async backend on first
# use, a blocking pause that `python -X dev` reports as a slow callback. Import
# them before the event loop starts.
import anyio._backends._asyncio  # noqa: F401  # isort: skip
import httpcore  # noqa: F401  # isort: skip

# --8<-- [start:recipe]
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import aiohttp
import httpx
from aiohttp import web

TIMEOUT = 10.0  # seconds: no single request may take longer, once it is sent
LIMIT = 100  # connections open at once (both libraries' default pool size)
# httpx loads CA certificates for every new client (blocking the loop): load once.
SSL_CONTEXT = httpx.create_ssl_context()


def report(start: float, url: str, outcome: str) -> str:
    elapsed = asyncio.get_running_loop().time() - start
    print(f"  {elapsed:.2f} s  {urlsplit(url).path}  {outcome}")
    return outcome


async def fetch_aiohttp(
    session: aiohttp.ClientSession, slots: asyncio.Semaphore, url: str, start: float
) -> str:
    try:
        # A free slot means a free connection: the request's timeout starts now,
        # not while it waits in line (aiohttp's `total` would count that wait).
        async with slots, session.get(url) as response:
            response.raise_for_status()  # 4xx/5xx -> aiohttp.ClientResponseError
            body = await response.read()
    except aiohttp.ClientResponseError as error:  # from raise_for_status()
        return report(start, url, f"HTTP error {error.status}")
    except (TimeoutError, aiohttp.ClientError) as error:  # network, timeout
        return report(start, url, f"failed: {type(error).__name__}")
    return report(start, url, f"{response.status}, {len(body)} bytes")


async def fetch_all_aiohttp(urls: list[str]) -> list[str]:
    start = asyncio.get_running_loop().time()
    timeout = aiohttp.ClientTimeout(total=TIMEOUT)
    pool = aiohttp.TCPConnector(limit=LIMIT)
    slots = asyncio.Semaphore(LIMIT)  # one per connection in the pool
    async with aiohttp.ClientSession(timeout=timeout, connector=pool) as session:
        fetches = (fetch_aiohttp(session, slots, url, start) for url in urls)
        return await asyncio.gather(*fetches)


async def fetch_httpx(
    client: httpx.AsyncClient, slots: asyncio.Semaphore, url: str, start: float
) -> str:
    try:
        async with slots:  # httpx's `pool` timeout would count the wait in line
            response = await client.get(url)
        response.raise_for_status()  # 4xx/5xx -> httpx.HTTPStatusError
    except httpx.HTTPStatusError as error:  # from raise_for_status()
        return report(start, url, f"HTTP error {error.response.status_code}")
    except httpx.HTTPError as error:  # network errors and timeouts
        return report(start, url, f"failed: {type(error).__name__}")
    return report(start, url, f"{response.status_code}, {len(response.content)} bytes")


async def fetch_all_httpx(urls: list[str]) -> list[str]:
    start = asyncio.get_running_loop().time()
    limits = httpx.Limits(max_connections=LIMIT)
    slots = asyncio.Semaphore(LIMIT)
    async with httpx.AsyncClient(
        timeout=TIMEOUT, limits=limits, verify=SSL_CONTEXT
    ) as client:  # one for all
        fetches = (fetch_httpx(client, slots, url, start) for url in urls)
        return await asyncio.gather(*fetches)


async def fetch_all(urls: list[str]) -> dict[str, list[str]]:
    print("aiohttp:")
    results = {"aiohttp": await fetch_all_aiohttp(urls)}
    print("httpx:")
    results["httpx"] = await fetch_all_httpx(urls)
    return results


async def main(urls: list[str] | None = None) -> dict[str, list[str]]:
    if urls:
        return await fetch_all(urls)
    async with demo_server() as base:  # no URLs given: try it on a local server
        return await fetch_all(
            [f"{base}/delay/2", f"{base}/delay/1", f"{base}/status/500"]
        )


@asynccontextmanager
async def demo_server() -> AsyncIterator[str]:
    """A local server to try the recipe on: /delay/<s> and /status/<code>."""

    async def delay(request: web.Request) -> web.Response:
        seconds = float(request.match_info["seconds"])
        await asyncio.sleep(seconds)
        return web.Response(text=f"waited {seconds} s")

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]))

    app = web.Application()
    app.router.add_get("/delay/{seconds}", delay)
    app.router.add_get("/status/{code}", status)
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
