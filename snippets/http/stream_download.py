"""How do I stream a large download without loading it into memory?

Pass a URL on the command line, or run it bare to download 8 MiB from a local demo
server. The file is written to a temporary directory and deleted afterwards.
"""

# Not part of the recipe: httpx imports its transport and async backend on first
# use, a blocking pause that `python -X dev` reports as a slow callback. Import
# them before the event loop starts.
import anyio._backends._asyncio  # noqa: F401  # isort: skip
import httpcore  # noqa: F401  # isort: skip

# --8<-- [start:recipe]
import asyncio
import hashlib
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from aiohttp import web

SSL_CONTEXT = httpx.create_ssl_context()  # build once: it blocks for 0.1 s or more
CHUNK = 64 * 1024  # bytes held in memory at a time


@dataclass
class Download:
    size: int = 0
    largest_chunk: int = 0
    digest: Any = field(default_factory=hashlib.sha256)  # checksum as it streams

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.largest_chunk = max(self.largest_chunk, len(chunk))
        self.digest.update(chunk)


async def download_aiohttp(url: str, path: Path) -> Download:
    # No total limit (a big file may take long), but give up if the data stalls.
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=30)
    download = Download()
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(url) as response,
    ):
        response.raise_for_status()
        with path.open("wb") as file:
            async for chunk in response.content.iter_chunked(CHUNK):
                file.write(chunk)  # to the OS cache: fast enough not to block
                download.add(chunk)
    return download


async def download_httpx(url: str, path: Path) -> Download:
    timeout = httpx.Timeout(30, connect=10)  # per read: a long download is fine
    download = Download()
    async with (
        httpx.AsyncClient(timeout=timeout, verify=SSL_CONTEXT) as client,
        client.stream("GET", url) as response,  # not client.get(): that reads it all
    ):
        response.raise_for_status()
        with path.open("wb") as file:
            async for chunk in response.aiter_bytes(CHUNK):
                file.write(chunk)
                download.add(chunk)
    return download


async def download_both(url: str) -> dict[str, Download]:
    downloads = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, download in [
            ("aiohttp", download_aiohttp),
            ("httpx", download_httpx),
        ]:
            path = Path(folder) / f"{name}.bin"
            done = downloads[name] = await download(url, path)
            print(
                f"{name:<8} {path.stat().st_size:,} bytes saved, in chunks of at most"
                f" {done.largest_chunk:,}; sha256 {done.digest.hexdigest()[:12]}"
            )
    return downloads


async def main(url: str | None = None) -> dict[str, Download]:
    if url:
        return await download_both(url)
    async with demo_server(size=8 * 1024 * 1024) as demo_url:  # no URL: try the demo
        return await download_both(demo_url)


@asynccontextmanager
async def demo_server(size: int) -> AsyncIterator[str]:
    """Serves `size` bytes of zeros, produced (and sent) a chunk at a time."""

    async def big(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(size)})
        await response.prepare(request)
        for start in range(0, size, CHUNK):
            await response.write(bytes(min(CHUNK, size - start)))
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/big", big)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()  # port 0: any free port
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}/big"
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else None))
# --8<-- [end:recipe]
