"""How do I set timeouts on HTTP requests? aiohttp, httpx, and an overall bound.

Runs six requests at once against a local demo server: one endpoint sends nothing
for 10 s, the other sends its 5-byte body one byte per second. Then five 1-second
requests through a pool of two connections, where aiohttp's `total` counts the wait
for a free connection.
"""

# Not part of the recipe: httpx imports its transport and async backend on first
# use, a blocking pause that `python -X dev` reports as a slow callback. Import
# them before the event loop starts.
import anyio._backends._asyncio  # noqa: F401  # isort: skip
import httpcore  # noqa: F401  # isort: skip

# --8<-- [start:recipe]
import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

import aiohttp
import httpx
from aiohttp import web

SSL_CONTEXT = httpx.create_ssl_context()  # build once: it blocks for 0.1 s or more


async def get_aiohttp(
    session: aiohttp.ClientSession, url: str, timeouts: aiohttp.ClientTimeout
) -> bytes:
    async with session.get(url, timeout=timeouts) as response:
        return await response.read()


async def get_aiohttp_when_free(
    session: aiohttp.ClientSession,
    slots: asyncio.Semaphore,
    url: str,
    timeouts: aiohttp.ClientTimeout,
) -> bytes:
    """`total` counts the wait for a pooled connection: wait for a slot first."""
    async with slots:  # as many slots as the session's pool has connections
        return await get_aiohttp(session, url, timeouts)


async def get_httpx(
    client: httpx.AsyncClient, url: str, timeouts: httpx.Timeout
) -> bytes:
    response = await client.get(url, timeout=timeouts)
    return response.content


async def get_httpx_within(
    client: httpx.AsyncClient, url: str, timeouts: httpx.Timeout, overall: float
) -> bytes:
    """httpx times each phase; wait_for() bounds the whole request."""
    return await asyncio.wait_for(get_httpx(client, url, timeouts), overall)


async def attempt(request: Awaitable[bytes], start: float) -> tuple[str, float]:
    """What happened to the request, and after how many seconds."""
    try:
        outcome = f"{len(await request)} bytes"
    except (TimeoutError, httpx.TimeoutException) as error:
        outcome = type(error).__name__
    return outcome, asyncio.get_running_loop().time() - start


async def compare(base: str) -> dict[str, str]:
    """Six requests at once to a server with /slow-headers and /slow-body."""
    headers, body = f"{base}/slow-headers", f"{base}/slow-body"
    total_2 = aiohttp.ClientTimeout(total=2)  # the whole request
    sock_read_2 = aiohttp.ClientTimeout(sock_read=2)  # each read from the socket
    each_2 = httpx.Timeout(2.0)  # connect, each read, each write, pool: 2 s each
    start = asyncio.get_running_loop().time()
    async with (
        aiohttp.ClientSession() as session,
        httpx.AsyncClient(verify=SSL_CONTEXT) as client,
    ):
        requests = {
            "aiohttp total=2, slow headers": get_aiohttp(session, headers, total_2),
            "aiohttp total=2, slow body": get_aiohttp(session, body, total_2),
            "aiohttp sock_read=2, slow body": get_aiohttp(session, body, sock_read_2),
            "httpx Timeout(2), slow headers": get_httpx(client, headers, each_2),
            "httpx Timeout(2), slow body": get_httpx(client, body, each_2),
            "httpx + wait_for(3), slow body": get_httpx_within(client, body, each_2, 3),
        }
        results = await asyncio.gather(*(attempt(r, start) for r in requests.values()))
    outcomes = {}
    for label, (outcome, elapsed) in zip(requests, results, strict=True):
        print(f"{label:<34} {elapsed:.2f} s  {outcome}")
        outcomes[label] = outcome
    return outcomes


async def through_two_connections(base: str) -> dict[str, str]:
    """Five 1 s requests at once, 2 connections, total=1.5: the last ones wait."""
    url, total = f"{base}/one-second", aiohttp.ClientTimeout(total=1.5)
    print("\nfive 1 s requests at once, 2 connections:")
    outcomes = {}
    for label, slots in [
        ("aiohttp total=1.5", None),
        ("aiohttp total=1.5 + Semaphore(2)", asyncio.Semaphore(2)),
    ]:
        start = asyncio.get_running_loop().time()
        pool = aiohttp.TCPConnector(limit=2)  # at most 2 connections at once
        async with aiohttp.ClientSession(connector=pool) as session:
            requests = [
                get_aiohttp(session, url, total)
                if slots is None
                else get_aiohttp_when_free(session, slots, url, total)
                for _ in range(5)
            ]
            results = await asyncio.gather(*(attempt(r, start) for r in requests))
        tally = Counter("done" if o.endswith("bytes") else o for o, _ in results)
        outcomes[label] = ", ".join(f"{n} {outcome}" for outcome, n in tally.items())
        ended = max(elapsed for _, elapsed in results)
        print(f"{label:<34} {ended:.2f} s  {outcomes[label]}")
    return outcomes


async def run_all(base: str) -> dict[str, str]:
    return await compare(base) | await through_two_connections(base)


async def main(base: str | None = None) -> dict[str, str]:
    if base is not None:
        return await run_all(base)
    async with demo_server() as url:  # no server given: start the local demo
        return await run_all(url)


@asynccontextmanager
async def demo_server() -> AsyncIterator[str]:
    """A local server that answers slowly, to try the timeouts on."""

    async def slow_headers(request: web.Request) -> web.Response:
        await asyncio.sleep(10)  # nothing at all for 10 s
        return web.Response(text="late")

    async def slow_body(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)  # headers go out at once
        for _ in range(5):
            await asyncio.sleep(1)
            await response.write(b".")  # then one byte per second
        return response

    async def one_second(request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.Response(text="done")

    app = web.Application()
    app.router.add_get("/one-second", one_second)
    app.router.add_get("/slow-headers", slow_headers)
    app.router.add_get("/slow-body", slow_body)
    runner = web.AppRunner(app, handler_cancellation=True)  # stop when clients leave
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()  # port 0: any free port
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
