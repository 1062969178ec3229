"""Claims of docs/http/fetch-many-urls.md, checked against a real server on 127.0.0.1."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import httpx
import pytest
from aiohttp import web

from tests.support import load_module, run_main, timed, within_bound_sync


@dataclass
class Server:
    base: str
    in_flight: int = 0
    peak: int = 0  # most requests the server was handling at the same time
    received: int = 0  # requests to /delay that reached the server


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    """A real HTTP server on 127.0.0.1 that records its peak concurrency."""
    state = Server(base="")

    async def delay(request: web.Request) -> web.Response:
        state.received += 1
        state.in_flight += 1
        state.peak = max(state.peak, state.in_flight)
        try:
            await asyncio.sleep(float(request.match_info["seconds"]))
        finally:
            state.in_flight -= 1
        return web.Response(text="done")

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]))

    app = web.Application()
    app.router.add_get("/delay/{seconds}", delay)
    app.router.add_get("/status/{code}", status)
    runner = web.AppRunner(app, handler_cancellation=True)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        state.base = f"http://{host}:{port}"
        yield state
    finally:
        await runner.cleanup()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


async def test_each_client_takes_as_long_as_the_slowest_url_not_the_sum(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 4.0  # 2.0 s for aiohttp, then 2.0 s for httpx; not 2 * 3.0
    lines = run.output.splitlines()
    assert lines[lines.index("aiohttp:") + 3] == "  2.00 s  /delay/2  200, 12 bytes"
    assert lines[lines.index("httpx:") + 3] == "  2.00 s  /delay/2  200, 12 bytes"


async def test_all_requests_are_in_flight_at_the_same_time(recipe, server):
    urls = [f"{server.base}/delay/1" for _ in range(10)]
    await run_main(recipe, urls)
    assert server.peak == 10


async def test_a_500_is_reported_for_its_url_and_the_others_still_succeed(recipe):
    run = await run_main(recipe)
    expected = ["200, 12 bytes", "200, 12 bytes", "HTTP error 500"]  # in URL order
    assert run.result == {"aiohttp": expected, "httpx": expected}


async def test_without_raise_for_status_a_500_is_an_ordinary_response(server):
    url = f"{server.base}/status/500"
    timeout = aiohttp.ClientTimeout(total=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(url) as response,
    ):
        assert response.status == 500  # no exception
    async with httpx.AsyncClient(timeout=10) as client:
        assert (await client.get(url)).status_code == 500  # no exception


async def test_a_refused_connection_fails_only_its_own_url(recipe, server):
    urls = [f"{server.base}/delay/1", closed_port_url()]
    run = await run_main(recipe, urls)
    assert run.result == {
        "aiohttp": ["200, 4 bytes", "failed: ClientConnectorError"],
        "httpx": ["200, 4 bytes", "failed: ConnectError"],
    }


async def test_a_hanging_url_times_out_alone_after_timeout_seconds(recipe, server):
    module = load_module(recipe)
    urls = [f"{server.base}/delay/1", f"{server.base}/delay/600"]
    run = await run_main(recipe, urls)
    assert run.elapsed == 2 * module.TIMEOUT  # 10 s per client, not 600
    assert run.result == {
        "aiohttp": ["200, 4 bytes", "failed: TimeoutError"],
        "httpx": ["200, 4 bytes", "failed: ReadTimeout"],
    }


@pytest.mark.parametrize("client", ["aiohttp", "httpx"])
async def test_by_default_at_most_100_connections_are_open_at_once(
    recipe, server, client
):
    fetch_all = getattr(load_module(recipe), f"fetch_all_{client}")
    urls = [f"{server.base}/delay/1" for _ in range(150)]
    run = await timed(lambda: fetch_all(urls))
    assert server.peak == 100
    assert run.elapsed == 2.0  # 100 requests, then the other 50


async def test_an_error_escaping_gather_discards_the_other_results(server):
    async def fetch(session: aiohttp.ClientSession, url: str) -> str:
        async with session.get(url) as response:
            response.raise_for_status()
            return await response.text()

    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        urls = [f"{server.base}/delay/1", f"{server.base}/status/500"]
        with pytest.raises(aiohttp.ClientResponseError):
            await asyncio.gather(*(fetch(session, url) for url in urls))
        await asyncio.sleep(1)  # the slow fetch still runs; its result is lost


@pytest.mark.parametrize("client", ["aiohttp", "httpx"])
async def test_a_request_waiting_for_a_free_connection_is_not_yet_on_the_clock(
    recipe, server, client, monkeypatch
):
    module = load_module(recipe)
    monkeypatch.setattr(module, "TIMEOUT", 1.5)  # less than the 3 s the batch takes
    fetch_all = getattr(module, f"fetch_all_{client}")
    urls = [f"{server.base}/delay/1" for _ in range(250)]  # 100, 100, then 50
    run = await timed(lambda: fetch_all(urls))
    assert run.result == ["200, 4 bytes"] * 250  # none timed out while in line
    assert server.peak == 100
    assert run.elapsed == 3.0


async def test_without_the_semaphore_requests_time_out_while_they_wait_in_line(server):
    urls = [f"{server.base}/delay/1" for _ in range(250)]

    async def with_aiohttp() -> list[str]:
        timeout = aiohttp.ClientTimeout(total=1.5)
        async with aiohttp.ClientSession(timeout=timeout) as session:

            async def fetch(url: str) -> str:
                try:
                    async with session.get(url) as response:
                        await response.read()
                except TimeoutError as error:
                    return type(error).__name__
                return "ok"

            return await asyncio.gather(*(fetch(url) for url in urls))

    async def with_httpx() -> list[str]:
        async with httpx.AsyncClient(timeout=1.5) as client:

            async def fetch(url: str) -> str:
                try:
                    await client.get(url)
                except httpx.TimeoutException as error:
                    return type(error).__name__
                return "ok"

            return await asyncio.gather(*(fetch(url) for url in urls))

    # aiohttp: 100 done at 1 s; 100 sent at 1 s and cut off at 1.5 s; 50 never sent.
    assert await with_aiohttp() == ["ok"] * 100 + ["TimeoutError"] * 150
    assert server.received == 200
    server.received = 0
    # httpx: 200 done (the second 100 waited 1 s for a connection, within pool=1.5);
    # the last 50 found none in time and were never sent.
    assert await with_httpx() == ["ok"] * 200 + ["PoolTimeout"] * 50
    assert server.received == 200


def client_creation_seconds(**options) -> float:
    """How long httpx.AsyncClient(**options) blocks its caller: the fastest of 5."""

    async def create() -> float:
        start = time.perf_counter()
        client = httpx.AsyncClient(**options)
        seconds = time.perf_counter() - start
        await client.aclose()
        return seconds

    return min(asyncio.run(create()) for _ in range(5))


@pytest.mark.looptime(False)
def test_a_new_httpx_client_blocks_to_load_the_ca_certificates(recipe):
    """Without verify=, httpx.AsyncClient() builds an SSLContext and loads the CA
    bundle, blocking its caller; with the recipe's SSL_CONTEXT it takes less than a
    tenth of that."""
    module = load_module(recipe)

    def measure() -> tuple[float, float]:
        reused = client_creation_seconds(verify=module.SSL_CONTEXT)
        return client_creation_seconds(), reused

    fresh, reused = within_bound_sync(measure, lambda run: run[0] > 10 * run[1])
    assert fresh > 10 * reused
