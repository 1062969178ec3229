"""Claims of docs/http/http-timeouts.md, checked against a real server on 127.0.0.1."""

import asyncio
import math
from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest
from aiohttp import web

from tests.http.local_server import LocalServer, serve, silent, trickle
from tests.support import load_module, run_main, timed


async def one_second(request: web.Request) -> web.Response:
    await asyncio.sleep(1)
    return web.Response(text="done")


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    routes = {
        "/silent": silent,
        "/trickle": trickle(size=10, interval=1.5),  # 15 s, never 2 s without a byte
        "/one-second": one_second,
    }
    async with serve(routes) as state:
        yield state


async def test_each_timeout_fires_when_the_page_says(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:6] == [
        "aiohttp total=2, slow headers      2.00 s  TimeoutError",
        "aiohttp total=2, slow body         2.00 s  TimeoutError",
        "aiohttp sock_read=2, slow body     5.00 s  5 bytes",
        "httpx Timeout(2), slow headers     2.00 s  ReadTimeout",
        "httpx Timeout(2), slow body        5.00 s  5 bytes",
        "httpx + wait_for(3), slow body     3.00 s  TimeoutError",
    ]


async def test_queued_requests_use_up_aiohttps_total_unless_a_semaphore_holds_them(
    recipe,
):
    run = await run_main(recipe)
    assert run.output.splitlines()[6:] == [
        "",
        "five 1 s requests at once, 2 connections:",
        "aiohttp total=1.5                  1.50 s  2 done, 3 TimeoutError",
        "aiohttp total=1.5 + Semaphore(2)   3.00 s  5 done",
    ]
    assert run.elapsed == 5.0 + 1.5 + 3.0  # the six requests, then the two batches


async def five_at_once(make, loop) -> list[tuple[str, float]]:
    """Five requests at once: (outcome, when it ended) for each, in order."""
    start = loop.time()

    async def one() -> tuple[str, float]:
        try:
            await make()
        except (TimeoutError, httpx.TimeoutException) as error:
            return type(error).__name__, loop.time() - start
        return "done", loop.time() - start

    return await asyncio.gather(*(one() for _ in range(5)))


async def test_aiohttp_total_counts_the_wait_for_a_pooled_connection(recipe, server):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    url = f"{server.base}/one-second"
    total = aiohttp.ClientTimeout(total=1.5)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=2)
    ) as session:
        results = await five_at_once(
            lambda: module.get_aiohttp(session, url, total), loop
        )
    assert results == [
        ("done", 1.0),
        ("done", 1.0),
        ("TimeoutError", 1.5),
        ("TimeoutError", 1.5),
        ("TimeoutError", 1.5),
    ]
    await asyncio.sleep(0)  # the server's cancelled handlers finish
    # Requests 3 and 4 were sent at 1.0 s and cut off half-way through their 1 s;
    # request 5 never got a connection, so the server never saw it.
    assert server.hits["/one-second"] == 4


async def test_a_semaphore_sized_to_the_pool_starts_the_clock_once_a_connection_is_free(
    recipe, server
):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    url = f"{server.base}/one-second"
    total = aiohttp.ClientTimeout(total=1.5)
    slots = asyncio.Semaphore(2)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=2)
    ) as session:
        results = await five_at_once(
            lambda: module.get_aiohttp_when_free(session, slots, url, total), loop
        )
    assert results == [
        ("done", 1.0),
        ("done", 1.0),
        ("done", 2.0),
        ("done", 2.0),
        ("done", 3.0),
    ]
    assert server.hits["/one-second"] == 5
    assert server.peak == 2


async def test_sock_connect_and_sock_read_do_not_count_the_wait_in_the_pool(server):
    loop = asyncio.get_running_loop()
    url = f"{server.base}/one-second"
    phases = aiohttp.ClientTimeout(sock_connect=1.5, sock_read=1.5)  # no total
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=2)
    ) as session:

        async def get() -> bytes:
            async with session.get(url, timeout=phases) as response:
                return await response.read()

        results = await five_at_once(get, loop)
    assert [outcome for outcome, _ in results] == ["done"] * 5
    assert results[-1] == ("done", 3.0)


async def test_connect_counts_the_wait_in_the_pool_too(server):
    loop = asyncio.get_running_loop()
    url = f"{server.base}/one-second"
    connect = aiohttp.ClientTimeout(connect=1.5)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=2)
    ) as session:

        async def get() -> bytes:
            async with session.get(url, timeout=connect) as response:
                return await response.read()

        results = await five_at_once(get, loop)
    # 3 and 4 got a connection at 1.0 s; 5 would have had to wait until 2.0 s.
    assert results[2:] == [
        ("done", 2.0),
        ("done", 2.0),
        ("ConnectionTimeoutError", 1.5),
    ]
    assert issubclass(aiohttp.ConnectionTimeoutError, TimeoutError)


async def test_httpx_pool_timeout_when_no_connection_comes_free(recipe, server):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(limits=limits) as client:
        holding = asyncio.create_task(
            module.get_httpx(client, f"{server.base}/silent", httpx.Timeout(None))
        )
        await asyncio.sleep(0.5)  # it has the only connection now
        start = loop.time()
        with pytest.raises(httpx.PoolTimeout):
            await module.get_httpx(
                client, f"{server.base}/one-second", httpx.Timeout(2.0)
            )
        assert loop.time() - start == 2.0
        holding.cancel()
        with pytest.raises(asyncio.CancelledError):
            await holding
    assert server.hits["/one-second"] == 0


async def test_aiohttp_total_bounds_the_whole_request_body_included(recipe, server):
    module = load_module(recipe)
    async with aiohttp.ClientSession() as session:
        get = module.get_aiohttp(
            session, f"{server.base}/trickle", aiohttp.ClientTimeout(total=2)
        )
        with pytest.raises(TimeoutError):
            await get


async def test_a_per_read_timeout_never_trips_on_a_trickling_body(recipe, server):
    module = load_module(recipe)
    url = f"{server.base}/trickle"  # a byte every 1.5 s, 15 s in all
    async with aiohttp.ClientSession() as session:
        sock_read = aiohttp.ClientTimeout(sock_read=2)
        run = await timed(lambda: module.get_aiohttp(session, url, sock_read))
        assert (run.result, run.elapsed) == (b"." * 10, 15.0)
    async with httpx.AsyncClient() as client:
        run = await timed(lambda: module.get_httpx(client, url, httpx.Timeout(2.0)))
        assert (run.result, run.elapsed) == (b"." * 10, 15.0)


async def test_a_per_read_timeout_trips_when_the_server_sends_nothing(recipe, server):
    module = load_module(recipe)
    url = f"{server.base}/silent"
    async with aiohttp.ClientSession() as session:
        sock_read = aiohttp.ClientTimeout(sock_read=2)
        with pytest.raises(aiohttp.SocketTimeoutError):
            await module.get_aiohttp(session, url, sock_read)
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ReadTimeout):
            await module.get_httpx(client, url, httpx.Timeout(2.0))


async def test_wait_for_bounds_the_whole_httpx_request(recipe, server):
    module = load_module(recipe)
    url = f"{server.base}/trickle"
    async with httpx.AsyncClient() as client:
        get = module.get_httpx_within(client, url, httpx.Timeout(2.0), overall=3)
        loop = asyncio.get_running_loop()
        start = loop.time()
        with pytest.raises(TimeoutError):
            await get
        assert loop.time() - start == 3.0


async def test_asyncio_timeout_bounds_it_the_same_way(recipe, server):
    module = load_module(recipe)
    url = f"{server.base}/trickle"
    loop = asyncio.get_running_loop()
    async with httpx.AsyncClient() as client:
        start = loop.time()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(3):
                await module.get_httpx(client, url, httpx.Timeout(2.0))
        assert loop.time() - start == 3.0


def test_httpx_timeouts_are_not_timeout_errors():
    assert not issubclass(httpx.ReadTimeout, TimeoutError)
    assert issubclass(httpx.ReadTimeout, httpx.TimeoutException)
    assert issubclass(aiohttp.SocketTimeoutError, TimeoutError)


async def test_the_defaults_are_5_minutes_in_all_for_aiohttp_and_5_s_per_phase_for_httpx():
    async with aiohttp.ClientSession() as session:
        assert session.timeout.total == 300
        assert session.timeout.sock_connect == 30
        assert session.timeout.sock_read is None
    async with httpx.AsyncClient() as client:
        assert client.timeout == httpx.Timeout(5.0)


def test_a_client_timeout_with_only_sock_read_has_no_total_limit():
    assert aiohttp.ClientTimeout(sock_read=2).total is None


async def test_aiohttp_rounds_timeouts_over_5_s_up_to_a_whole_second(recipe, server):
    module = load_module(recipe)
    await asyncio.sleep(0.5)  # start the request at a fractional loop time
    loop = asyncio.get_running_loop()
    start = loop.time()
    async with aiohttp.ClientSession() as session:
        get = module.get_aiohttp(
            session, f"{server.base}/silent", aiohttp.ClientTimeout(total=10)
        )
        with pytest.raises(TimeoutError):
            await get
    fired = loop.time()
    assert fired == math.ceil(start + 10)  # a whole second of the loop clock
    assert fired - start > 10


async def test_ceil_threshold_turns_the_rounding_off(recipe, server):
    module = load_module(recipe)
    await asyncio.sleep(0.5)  # start the request at a fractional loop time
    loop = asyncio.get_running_loop()
    start = loop.time()
    timeouts = aiohttp.ClientTimeout(total=10, ceil_threshold=60)
    async with aiohttp.ClientSession() as session:
        with pytest.raises(TimeoutError):
            await module.get_aiohttp(session, f"{server.base}/silent", timeouts)
    assert loop.time() - start == 10.0


def test_asyncio_timeout_error_is_the_builtin():
    assert asyncio.TimeoutError is TimeoutError


async def test_httpx_waiting_for_a_connection_does_not_use_up_read(recipe, server):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    url = f"{server.base}/one-second"
    limits = httpx.Limits(max_connections=1)
    each = httpx.Timeout(1.2)
    async with httpx.AsyncClient(limits=limits) as client:
        first = asyncio.create_task(module.get_httpx(client, url, each))
        await asyncio.sleep(0.5)  # the first request has the only connection
        start = loop.time()
        # 0.5 s in line, then 1 s of reading: 1.5 s in all, more than any one limit
        assert await module.get_httpx(client, url, each) == b"done"
        assert loop.time() - start == 1.5
        assert await first == b"done"
