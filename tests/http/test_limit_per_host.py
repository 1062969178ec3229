"""Claims of docs/http/limit-per-host.md, against real servers on 127.0.0.1."""

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest
from aiohttp import web

from tests.http.local_server import LocalServer, serve
from tests.support import load_module, run_main


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(float(request.query.get("seconds", "1")))
    return web.Response(text="done")


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with serve({"/": slow}) as state:
        yield state


async def test_limit_per_host_holds_each_host_to_2_and_ports_are_separate_hosts(
    recipe,
):
    run = await run_main(recipe)
    assert run.result["with_aiohttp"] == (2, 4)  # 2 per host, 2 hosts: 4 in all


async def test_one_httpx_client_per_host_gives_the_same_per_host_limit(recipe):
    run = await run_main(recipe)
    assert run.result["with_httpx"] == (2, 4)


async def test_httpx_max_connections_counts_every_host_of_the_client(recipe):
    run = await run_main(recipe)
    assert run.result["with_one_httpx_client"] == (1, 2)  # 2 in all, not per host


@pytest.mark.parametrize("way", ["with_aiohttp", "with_httpx"])
async def test_the_server_sees_exactly_the_limit_never_more(recipe, server, way):
    module = load_module(recipe)
    module.PER_HOST = 3
    await getattr(module, way)([f"{server.base}/"] * 10)
    assert server.peak == 3
    assert server.hits["/"] == 10


async def test_aiohttp_total_timeout_includes_the_wait_for_a_connection(server):
    connector = aiohttp.TCPConnector(limit_per_host=1)
    timeout = aiohttp.ClientTimeout(total=5)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def fetch() -> str:
            try:
                async with session.get(f"{server.base}/?seconds=1.5") as response:
                    return await response.text()
            except TimeoutError:
                return "timeout"

        results = await asyncio.gather(*(fetch() for _ in range(6)))
    # one at a time, 1.5 s each: the 4th would end at 6 s, past its 5 s budget
    assert results == ["done"] * 3 + ["timeout"] * 3


async def fetch_all_httpx(url: str, count: int) -> list[str]:
    """`count` requests at once through one connection; 5 s to get a connection."""
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(
        limits=limits, timeout=httpx.Timeout(30, pool=5)
    ) as client:

        async def fetch() -> str:
            try:
                response = await client.get(url)
            except httpx.PoolTimeout:
                return "pool timeout"
            return response.text

        return await asyncio.gather(*(fetch() for _ in range(count)))


async def test_httpx_pool_timeout_restarts_whenever_a_connection_frees_up(server):
    url = f"{server.base}/?seconds=1.5"
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await fetch_all_httpx(url, 6)
    assert results == ["done"] * 6  # the last one waited 7.5 s in line, pool=5
    assert loop.time() - start == 9.0


async def test_httpx_pool_timeout_fires_when_no_connection_frees_up_in_time(server):
    url = f"{server.base}/?seconds=6"
    assert await fetch_all_httpx(url, 2) == ["done", "pool timeout"]


async def test_aiohttp_defaults_are_100_connections_and_no_per_host_limit():
    connector = aiohttp.TCPConnector()
    try:
        assert (connector.limit, connector.limit_per_host) == (100, 0)
    finally:
        await connector.close()


async def test_an_httpx_client_opens_at_most_100_connections_by_default(server):
    async with httpx.AsyncClient(timeout=30) as client:
        urls = [f"{server.base}/"] * 120
        await asyncio.gather(*(client.get(url) for url in urls))
    assert server.peak == 100
