"""Claims of docs/http/blocking-library.md. Real threads and real waiting, so every
test runs on the real clock and asserts ratios with generous margins."""

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator

import pytest
import requests
from aiohttp import web

from tests.http.local_server import serve
from tests.support import load_module, run_main, within_bound

pytestmark = pytest.mark.looptime(False)

DELAY = 0.5  # the demo server's answer time


@pytest.fixture
async def slow_url(recipe) -> AsyncIterator[str]:
    """The recipe's own threaded demo server: 0.5 s per answer."""
    async with load_module(recipe).demo_server(delay=DELAY) as url:
        yield url


async def test_a_direct_call_silences_the_heartbeat_and_a_thread_does_not(recipe):
    run = await within_bound(
        lambda: run_main(recipe), lambda r: r.result["in_a_thread"][1] < DELAY / 2
    )
    direct_gap = run.result["direct"][1]
    thread_gap = run.result["in_a_thread"][1]
    assert direct_gap >= 0.9 * DELAY  # no tick while the server answered
    assert thread_gap < DELAY / 2  # kept ticking (nominally every 0.05 s)
    assert direct_gap > 2 * thread_gap


async def test_three_requests_in_three_threads_take_about_as_long_as_one(recipe):
    run = await within_bound(
        lambda: run_main(recipe),
        lambda r: r.result["three_in_threads"][0] < 2 * DELAY,
    )
    one = run.result["in_a_thread"][0]
    three = run.result["three_in_threads"][0]
    assert three < 2 * DELAY  # not 3 x 0.5 s
    assert three < 2 * one


async def test_debug_mode_logs_the_step_that_blocked(recipe, slow_url, caplog):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    try:
        with caplog.at_level(logging.WARNING, logger="asyncio"):
            await asyncio.sleep(0)  # debug mode times the steps from the next one
            await module.direct(slow_url)
            await asyncio.sleep(0)  # the step ends here: it is timed and logged
    finally:
        loop.set_debug(False)
    slow = [r for r in caplog.records if str(r.msg).startswith("Executing")]
    assert len(slow) == 1
    message = slow[0].getMessage()
    assert message.startswith("Executing <Task pending name=")
    assert " running at " in message  # the file and line
    assert slow[0].args[-1] >= 0.9 * DELAY  # seconds the step took


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="hello")


async def test_a_blocking_call_to_a_server_on_the_same_loop_times_out(recipe):
    async with serve({"/": hello}) as server:
        url = f"{server.base}/"
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.get(url, timeout=0.5)  # noqa: ASYNC210 - the mistake
        response = await asyncio.to_thread(requests.get, url, timeout=5)
        assert response.text == "hello"


async def test_a_thread_runs_on_after_wait_for_gives_up(slow_url):
    finished = threading.Event()

    def fetch() -> None:
        requests.get(slow_url, timeout=10)
        finished.set()

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.to_thread(fetch), 0.2 * DELAY)
    assert not finished.is_set()  # wait_for returned, the thread did not stop
    assert await asyncio.to_thread(finished.wait, 10)  # it completes later


async def test_one_call_more_than_the_default_pool_takes_two_rounds(slow_url):
    cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    workers = min(32, cpus + 4)
    loop = asyncio.get_running_loop()

    async def run_at_once(count: int) -> float:
        start = loop.time()
        calls = [
            asyncio.to_thread(requests.get, slow_url, timeout=10) for _ in range(count)
        ]
        await asyncio.gather(*calls)
        return loop.time() - start

    full = await within_bound(lambda: run_at_once(workers), lambda t: t < 1.8 * DELAY)
    one_more = await run_at_once(workers + 1)
    assert full < 1.8 * DELAY  # one round
    assert one_more >= 1.9 * DELAY  # two rounds
