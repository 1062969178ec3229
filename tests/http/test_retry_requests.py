"""Claims of docs/http/retry-requests.md, against a real server on 127.0.0.1."""

import asyncio
import socket
from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest
from aiohttp import web

from tests.http.local_server import LocalServer, serve, silent
from tests.support import load_module, run_main, timed

FAILURES = 2  # /fail-twice answers 503 this many times, then 200


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    state: LocalServer

    async def fail_twice(request: web.Request) -> web.Response:
        if state.hits[request.path] <= FAILURES:
            return web.Response(status=503)
        return web.Response(text="finally")

    async def always_503(request: web.Request) -> web.Response:
        return web.Response(status=503)

    async def drop_first(request: web.Request) -> web.Response:
        if state.hits[request.path] == 1:
            assert request.transport is not None
            request.transport.close()  # hang up without an answer
        return web.Response(text="second time lucky")

    routes = {
        "/fail-twice": fail_twice,
        "/always-503": always_503,
        "/drop-first": drop_first,
        "/silent": silent,
    }
    async with serve(routes) as state:
        yield state


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


async def get(module, client_name: str, url: str, **timeouts: float):
    """Run the recipe's get_<client_name>() on `url`, timed; raises what it raises."""
    if client_name == "aiohttp":
        timeout = aiohttp.ClientTimeout(**{"total": 10, **timeouts})
        async with aiohttp.ClientSession(timeout=timeout) as session:
            return await timed(lambda: module.get_aiohttp(session, url))
    async with httpx.AsyncClient(timeout=timeouts.get("total", 10)) as client:
        return await timed(lambda: module.get_httpx(client, url))


CLIENTS = pytest.mark.parametrize("client_name", ["aiohttp", "httpx"])


async def test_each_client_gets_the_flaky_page_on_the_third_try(recipe):
    run = await run_main(recipe)
    assert run.result == {
        "aiohttp": ["got 'hello'", "gave up: ClientResponseError"],
        "httpx": ["got 'hello'", "gave up: HTTPStatusError"],
    }
    assert run.elapsed == 3.0  # 0.5 + 1.0 s of backoff for each client


@CLIENTS
async def test_a_503_is_retried_with_growing_pauses_until_it_succeeds(
    recipe, server, client_name
):
    run = await get(load_module(recipe), client_name, f"{server.base}/fail-twice")
    assert run.result == "finally"
    assert server.hits["/fail-twice"] == 3  # two failures, then success
    assert run.elapsed == 0.5 + 1.0


@CLIENTS
async def test_it_gives_up_after_4_attempts_and_raises(recipe, server, client_name):
    module = load_module(recipe)
    with pytest.raises(module.RetryableStatusError, match="HTTP 503"):
        await get(module, client_name, f"{server.base}/always-503")
    assert server.hits["/always-503"] == 4


async def test_the_pauses_double_0_5_then_1_then_2_seconds(recipe, server):
    loop = asyncio.get_running_loop()
    start = loop.time()
    module = load_module(recipe)
    with pytest.raises(module.RetryableStatusError):
        await get(module, "aiohttp", f"{server.base}/always-503")
    assert loop.time() - start == 0.5 + 1.0 + 2.0


@pytest.mark.parametrize(
    ("client_name", "error"),
    [("aiohttp", aiohttp.ClientResponseError), ("httpx", httpx.HTTPStatusError)],
)
async def test_a_404_is_not_retried(recipe, server, client_name, error):
    with pytest.raises(error):
        await get(load_module(recipe), client_name, f"{server.base}/nowhere")
    assert server.hits["/nowhere"] == 1


@pytest.mark.parametrize(
    ("client_name", "error"),
    [("aiohttp", aiohttp.ClientConnectorError), ("httpx", httpx.ConnectError)],
)
async def test_a_refused_connection_is_retried_then_raised(recipe, client_name, error):
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(error):
        await get(load_module(recipe), client_name, closed_port_url())
    assert loop.time() - start == 3.5  # 4 attempts, 3 pauses


@CLIENTS
async def test_a_connection_dropped_without_an_answer_is_retried(
    recipe, server, client_name
):
    run = await get(load_module(recipe), client_name, f"{server.base}/drop-first")
    assert run.result == "second time lucky"
    assert server.hits["/drop-first"] == 2


@CLIENTS
async def test_each_attempt_gets_the_whole_timeout_again(recipe, server, client_name):
    module = load_module(recipe)
    error = asyncio.TimeoutError if client_name == "aiohttp" else httpx.ReadTimeout
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(error):
        await get(module, client_name, f"{server.base}/silent", total=2)
    assert server.hits["/silent"] == module.ATTEMPTS
    assert loop.time() - start == 4 * 2 + 3.5  # not 2 s: 4 timeouts plus 3 pauses


async def test_httpx_transport_retries_never_retry_an_http_error_status(server):
    transport = httpx.AsyncHTTPTransport(retries=3)
    async with httpx.AsyncClient(transport=transport, timeout=10) as client:
        response = await client.get(f"{server.base}/always-503")
    assert response.status_code == 503
    assert server.hits["/always-503"] == 1


async def test_a_plain_aiohttp_session_does_not_retry_an_error_status(server):
    timeout = aiohttp.ClientTimeout(total=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(f"{server.base}/always-503") as response,
    ):
        assert response.status == 503
    assert server.hits["/always-503"] == 1
