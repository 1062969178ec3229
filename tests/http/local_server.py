"""A real HTTP server on 127.0.0.1 for the http tests (never the internet, never a mock).

``serve(routes)`` starts an aiohttp.web app on a free port with the given GET routes,
counts the requests it is handling at once (``peak``) and per path (``hits``), and
always shuts down, cancelling handlers whose client went away.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class LocalServer:
    base: str = ""  # http://127.0.0.1:<port>
    in_flight: int = 0
    peak: int = 0  # most requests handled at the same time
    hits: Counter[str] = field(default_factory=Counter)  # requests per path


@asynccontextmanager
async def serve(routes: dict[str, Handler]) -> AsyncIterator[LocalServer]:
    state = LocalServer()

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        state.hits[request.path] += 1
        state.in_flight += 1
        state.peak = max(state.peak, state.in_flight)
        try:
            return await handler(request)
        finally:
            state.in_flight -= 1

    app = web.Application(middlewares=[count])
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app, handler_cancellation=True)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        state.base = f"http://{host}:{port}"
        yield state
    finally:
        await runner.cleanup()


async def silent(request: web.Request) -> web.Response:
    """Sends nothing for 10 minutes."""
    await asyncio.sleep(600)
    return web.Response(text="late")


def trickle(size: int, interval: float) -> Handler:
    """Sends headers at once, then a body of `size` bytes, one byte every `interval` s."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(size):
            await asyncio.sleep(interval)
            await response.write(b".")
        return response

    return handler
