"""Claims of docs/http/http-timeouts.md, checked against a real server on 127.0.0.1."""

import asyncio
import math
from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest

from tests.http.local_server import LocalServer, serve, silent, trickle
from tests.support import load_module, run_main, timed


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    routes = {
        "/silent": silent,
        "/trickle": trickle(size=10, interval=1.5),  # 15 s, never 2 s without a byte
    }
    async with serve(routes) as state:
        yield state


async def test_each_timeout_fires_when_the_page_says(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "aiohttp total=2, slow headers      2.00 s  TimeoutError",
        "aiohttp total=2, slow body         2.00 s  TimeoutError",
        "aiohttp sock_read=2, slow body     5.00 s  5 bytes",
        "httpx Timeout(2), slow headers     2.00 s  ReadTimeout",
        "httpx Timeout(2), slow body        5.00 s  5 bytes",
        "httpx + wait_for(3), slow body     3.00 s  TimeoutError",
    ]
    assert run.elapsed == 5.0


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
