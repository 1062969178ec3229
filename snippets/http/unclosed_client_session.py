"""Why do I get "Unclosed client session", and how many sessions should I create?

Runs against a local demo server that counts the TCP connections its clients open.
"""

# Not part of the recipe: httpx imports its transport and async backend on first
# use, a blocking pause that `python -X dev` reports as a slow callback. Import
# them before the event loop starts.
import anyio._backends._asyncio  # noqa: F401  # isort: skip
import httpcore  # noqa: F401  # isort: skip

# --8<-- [start:recipe]
import asyncio
import gc
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import httpx
from aiohttp import web

SSL_CONTEXT = httpx.create_ssl_context()  # build once: it blocks for 0.1 s or more
REQUESTS = 5


# --8<-- [start:leak]
async def leaky_fetch(url: str) -> int:
    """The mistake: a session that is never closed."""
    session = aiohttp.ClientSession()
    async with session.get(url) as response:
        return response.status


# --8<-- [end:leak]


# --8<-- [start:fix]
async def aiohttp_shared(url: str) -> None:
    async with aiohttp.ClientSession() as session:  # one session, closed on exit
        for _ in range(REQUESTS):
            async with session.get(url) as response:
                await response.read()


async def aiohttp_per_request(url: str) -> None:
    for _ in range(REQUESTS):
        async with (
            aiohttp.ClientSession() as session,  # closed, but never reused
            session.get(url) as response,
        ):
            await response.read()


async def httpx_shared(url: str) -> None:
    async with httpx.AsyncClient(timeout=10, verify=SSL_CONTEXT) as client:
        for _ in range(REQUESTS):
            await client.get(url)


async def httpx_per_request(url: str) -> None:
    for _ in range(REQUESTS):
        async with httpx.AsyncClient(timeout=10, verify=SSL_CONTEXT) as client:
            await client.get(url)


# --8<-- [end:fix]


async def show_the_warning(url: str) -> list[str]:
    """Run the mistake and collect what reaches stderr when the session is freed."""
    messages: list[str] = []

    def log(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        messages.append(f"logged: {context['message']}")  # asyncio logs it as ERROR

    def show(
        message: Warning | str, category: type[Warning], *args: object, **kw: object
    ) -> None:  # called as warnings.showwarning() is; uses the first two
        text = str(message).split(" <")[0]  # drop the object's address
        messages.append(f"{category.__name__}: {text}")

    loop = asyncio.get_running_loop()
    loop.set_exception_handler(log)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")  # ResourceWarning is hidden by default
            warnings.showwarning = show
            await leaky_fetch(url)
            gc.collect(1)  # free young garbage, the session too: its __del__ complains
    finally:
        loop.set_exception_handler(None)
    for message in messages:
        print(f"  {message}")
    return messages


async def main() -> dict[str, int]:
    async with demo_server() as server:
        print("Never closed:")
        await show_the_warning(server.url)
        print("Closed, and counted (TCP connections for 5 requests):")
        opened = {}
        for way in (
            aiohttp_shared,
            aiohttp_per_request,
            httpx_shared,
            httpx_per_request,
        ):
            before = len(server.peers)
            await way(server.url)
            opened[way.__name__] = len(server.peers) - before
            print(f"  {way.__name__:<20} {opened[way.__name__]}")
    return opened


class DemoServer:
    """Records the address of each client connection it serves."""

    def __init__(self) -> None:
        self.url = ""
        self.peers: set[tuple[str, int]] = set()

    async def hello(self, request: web.Request) -> web.Response:
        assert request.transport is not None
        self.peers.add(request.transport.get_extra_info("peername"))
        return web.Response(text="hello")


@asynccontextmanager
async def demo_server() -> AsyncIterator[DemoServer]:
    server = DemoServer()
    app = web.Application()
    app.router.add_get("/", server.hello)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()  # port 0: any free port
        host, port = runner.addresses[0][:2]
        server.url = f"http://{host}:{port}/"
        yield server
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
