"""How do I use requests or another blocking library from async code?

A heartbeat task ticks every 0.05 s while we call requests.get(): called directly,
it stops the ticks; in a thread, it does not. Pass a URL on the command line, or run
it bare to use a local demo server that takes 0.5 s to answer.
"""

# --8<-- [start:recipe]
import asyncio
import logging
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


async def direct(url: str) -> None:
    requests.get(url, timeout=10)  # noqa: ASYNC210  blocks the loop until it returns


async def in_a_thread(url: str) -> None:
    await asyncio.to_thread(requests.get, url, timeout=10)  # the loop runs on


async def three_in_threads(url: str) -> None:
    calls = [asyncio.to_thread(requests.get, url, timeout=10) for _ in range(3)]
    await asyncio.gather(*calls)  # three threads: three requests at once


async def heartbeat(stop: asyncio.Event) -> float:
    """Tick every 0.05 s until stopped; return the longest gap between two ticks."""
    loop = asyncio.get_running_loop()
    last = loop.time()
    longest = 0.0
    while not stop.is_set():
        await asyncio.sleep(0.05)
        longest = max(longest, loop.time() - last)
        last = loop.time()
    return longest


async def measure(
    way: Callable[[str], Awaitable[None]], url: str
) -> tuple[float, float]:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    beats = asyncio.create_task(heartbeat(stop))
    await asyncio.sleep(0.1)  # the heartbeat is ticking
    start = loop.time()
    try:
        await way(url)
    finally:
        elapsed = loop.time() - start
        stop.set()
    gap = await beats
    print(
        f"{way.__name__:<16}  took {elapsed:.2f} s, longest heartbeat gap {gap:.2f} s"
    )
    return elapsed, gap


async def compare(url: str) -> dict[str, tuple[float, float]]:
    results = {}
    with quiet_slow_step_warnings():  # python -X dev (rightly) flags direct()
        results["direct"] = await measure(direct, url)
    for way in (in_a_thread, three_in_threads):
        results[way.__name__] = await measure(way, url)
    return results


async def main(url: str | None = None) -> dict[str, tuple[float, float]]:
    if url:
        return await compare(url)
    async with demo_server() as demo_url:  # no URL given: use a local server
        return await compare(demo_url)


@contextmanager
def quiet_slow_step_warnings() -> Iterator[None]:
    """Drop the "Executing <Task...> took 0.5 seconds" warnings of debug mode."""

    def keep(record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Executing")

    logger = logging.getLogger("asyncio")
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


@asynccontextmanager
async def demo_server(delay: float = 0.5) -> AsyncIterator[str]:
    """A plain threaded HTTP server: unlike one on our event loop, it keeps answering
    while the loop is blocked."""

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep stderr quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)  # port 0: any free port
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        await asyncio.to_thread(server.shutdown)  # waits for serve_forever to stop
        server.server_close()
        thread.join()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else None))
# --8<-- [end:recipe]
