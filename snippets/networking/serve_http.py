"""How do I serve HTTP requests concurrently? An aiohttp server, many requests."""

# --8<-- [start:recipe]
import asyncio

import aiohttp
from aiohttp import web

HOST = "127.0.0.1"
in_flight = web.AppKey("in_flight", list[int])  # [requests now, most at once]


async def hello(request: web.Request) -> web.Response:
    counts = request.app[in_flight]
    counts[0] += 1
    counts[1] = max(counts)
    try:
        await asyncio.sleep(1.0)  # stands in for a database query or an API call
        return web.json_response({"hello": request.match_info["name"]})
    finally:
        counts[0] -= 1


def make_app() -> web.Application:
    app = web.Application()
    app[in_flight] = [0, 0]
    app.router.add_get("/hello/{name}", hello)
    return app


async def fetch(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as response:
        response.raise_for_status()
        body: dict[str, str] = await response.json()
        return body["hello"]


async def main(requests: int = 10) -> list[str]:
    loop = asyncio.get_running_loop()
    app = make_app()
    runner = web.AppRunner(app)  # run_app() would block: this runs inside a loop
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)  # port 0: the OS picks a free port
    await site.start()
    port = runner.addresses[0][1]
    try:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            start = loop.time()
            urls = [f"http://{HOST}:{port}/hello/user{n}" for n in range(requests)]
            names = await asyncio.gather(*(fetch(session, url) for url in urls))
            total = loop.time() - start
    finally:
        await runner.cleanup()  # stop listening, close connections
    print(f"{requests} requests of 1.00 s each, answered in {total:.2f} s in all")
    print(f"at most {app[in_flight][1]} requests were in the handler at once")
    print(f"first and last: {names[0]}, {names[-1]}")
    return names


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
