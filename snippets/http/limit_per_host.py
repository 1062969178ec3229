"""How do I limit concurrent connections per host? aiohttp and httpx.

Sends 6 requests to each of two local demo servers (two hosts), which record how
many requests they were handling at the same time.
"""

# Not part of the recipe: httpx imports its transport and async backend on first
# use, a blocking pause that `python -X dev` reports as a slow callback. Import
# them before the event loop starts.
import anyio._backends._asyncio  # noqa: F401  # isort: skip
import httpcore  # noqa: F401  # isort: skip

# --8<-- [start:recipe]
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
import httpx
from aiohttp import web

PER_HOST = 2  # at most 2 requests in flight to any one host
SSL_CONTEXT = httpx.create_ssl_context()  # build once: it blocks for 0.1 s or more


async def with_aiohttp(urls: list[str]) -> None:
    connector = aiohttp.TCPConnector(limit_per_host=PER_HOST)  # limit=100 in all
    timeout = aiohttp.ClientTimeout(total=30)  # includes waiting for a connection
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def fetch(url: str) -> None:
            async with session.get(url) as response:
                response.raise_for_status()
                await response.read()

        await asyncio.gather(*(fetch(url) for url in urls))


async def with_httpx(urls: list[str]) -> None:
    """httpx limits connections per client: make one client per host."""
    limits = httpx.Limits(max_connections=PER_HOST)
    timeout = httpx.Timeout(30)  # pool=30: how long a request may wait in line
    async with AsyncExitStack() as stack:
        clients: dict[str, httpx.AsyncClient] = {}
        for host in dict.fromkeys(urlsplit(url).netloc for url in urls):
            client = httpx.AsyncClient(
                limits=limits, timeout=timeout, verify=SSL_CONTEXT
            )
            clients[host] = await stack.enter_async_context(client)

        async def fetch(url: str) -> None:
            response = await clients[urlsplit(url).netloc].get(url)
            response.raise_for_status()

        await asyncio.gather(*(fetch(url) for url in urls))


async def with_one_httpx_client(urls: list[str]) -> None:
    """The same Limits on one client for all hosts: 2 connections in all."""
    limits = httpx.Limits(max_connections=PER_HOST)
    async with httpx.AsyncClient(
        limits=limits, timeout=30, verify=SSL_CONTEXT
    ) as client:

        async def fetch(url: str) -> None:
            response = await client.get(url)
            response.raise_for_status()

        await asyncio.gather(*(fetch(url) for url in urls))


async def main() -> dict[str, tuple[int, int]]:
    ways: list[Callable[[list[str]], Awaitable[None]]] = [
        with_aiohttp,
        with_httpx,
        with_one_httpx_client,
    ]
    peaks = {}
    for way in ways:
        async with demo_servers(2) as (hosts, everywhere):
            urls = [host.url for host in hosts] * 6  # 6 requests to each host
            await way(urls)
        per_host = max(host.load.peak for host in hosts)
        peaks[way.__name__] = (per_host, everywhere.peak)
        print(
            f"{way.__name__:<21}  {len(urls)} requests,"
            f" at most {per_host} at once per host, {everywhere.peak} in all"
        )
    return peaks


@dataclass
class Load:
    """How many requests a server is handling now, and the most at once."""

    now: int = 0
    peak: int = 0

    @contextmanager
    def one_more(self) -> Iterator[None]:
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            yield
        finally:
            self.now -= 1


@dataclass
class Host:
    url: str
    load: Load


@asynccontextmanager
async def demo_servers(count: int) -> AsyncIterator[tuple[list[Host], Load]]:
    """`count` local servers (one "host" each) whose requests take 0.25 s."""
    everywhere = Load()  # all servers together
    hosts: list[Host] = []
    async with AsyncExitStack() as stack:
        for _ in range(count):
            load = Load()

            async def slow(request: web.Request, load: Load = load) -> web.Response:
                with load.one_more(), everywhere.one_more():
                    await asyncio.sleep(0.25)
                return web.Response(text="done")

            app = web.Application()
            app.router.add_get("/", slow)
            runner = web.AppRunner(app)
            await runner.setup()
            stack.push_async_callback(runner.cleanup)
            await web.TCPSite(runner, "127.0.0.1", 0).start()  # port 0: any free port
            host, port = runner.addresses[0][:2]
            hosts.append(Host(f"http://{host}:{port}/", load))
        yield hosts, everywhere


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
