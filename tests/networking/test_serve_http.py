"""Claims of docs/networking/serve-http.md."""

import asyncio
import time

import aiohttp
from aiohttp import web

from tests.support import load_module, run_main


async def peak_in_flight(module, app, requests):
    """Fire `requests` requests at `app` at once; return the handler's peak."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, module.HOST, 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s:
            url = f"http://{module.HOST}:{port}/hello/x"
            await asyncio.gather(*(module.fetch(s, url) for _ in range(requests)))
    finally:
        await runner.cleanup()
    return app[module.in_flight][1]


async def test_ten_one_second_requests_take_one_second_not_ten(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 1.0
    assert run.result == [f"user{n}" for n in range(10)]  # in request order


async def test_all_ten_requests_were_in_the_handler_at_the_same_time(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "10 requests of 1.00 s each, answered in 1.00 s in all",
        "at most 10 requests were in the handler at once",
        "first and last: user0, user9",
    ]


async def test_a_blocking_handler_serves_one_request_at_a_time(recipe):
    module = load_module(recipe)
    app = web.Application()
    app[module.in_flight] = [0, 0]

    async def blocking(request):
        counts = request.app[module.in_flight]
        counts[0] += 1
        counts[1] = max(counts)
        time.sleep(0.05)  # noqa: ASYNC251 - the mistake this test demonstrates
        counts[0] -= 1
        return web.json_response({"hello": "x"})

    app.router.add_get("/hello/{name}", blocking)
    assert await peak_in_flight(module, app, 10) == 1
    assert await peak_in_flight(module, module.make_app(), 10) == 10


async def test_the_client_opens_at_most_100_connections_by_default(recipe):
    run = await run_main(recipe, requests=150)
    assert "at most 100 requests were in the handler at once" in run.output
    assert run.elapsed == 2.0  # 100 in the first second, 50 in the next
