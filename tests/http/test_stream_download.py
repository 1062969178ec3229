"""Claims of docs/http/stream-download.md, against a real server on 127.0.0.1."""

import asyncio
import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import httpx
import pytest
from aiohttp import web

from tests.http.local_server import LocalServer, serve
from tests.support import load_module, run_main

SIZE = 16 * 1024 * 1024  # the body: 16 MiB
PIECE = 64 * 1024


async def big(request: web.Request) -> web.StreamResponse:
    """SIZE bytes (or ?size=), produced and sent 64 KiB at a time."""
    size = int(request.query.get("size", SIZE))
    response = web.StreamResponse(headers={"Content-Length": str(size)})
    await response.prepare(request)
    for _ in range(size // PIECE):
        await response.write(b"x" * PIECE)
    await response.write_eof()
    return response


async def slow_big(request: web.Request) -> web.StreamResponse:
    """31 pieces, one every 10 s: a download that takes 310 s."""
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(31):
        await asyncio.sleep(10)
        await response.write(b"x" * PIECE)
    await response.write_eof()
    return response


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with serve({"/big": big, "/slow-big": slow_big}) as state:
        yield state


@contextmanager
def traced() -> Iterator[list[int]]:
    """The peak of memory allocated by Python inside the block, in bytes."""
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
        peak.append(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


async def peak_memory(download: Callable[[], Awaitable[object]]) -> int:
    with traced() as peak:
        await download()
    return peak[0]


async def test_both_clients_save_the_whole_body_in_chunks_of_64_kib(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "aiohttp  8,388,608 bytes saved, in chunks of at most 65,536;"
        " sha256 2daeb1f36095",
        "httpx    8,388,608 bytes saved, in chunks of at most 65,536;"
        " sha256 2daeb1f36095",
    ]
    assert run.result["aiohttp"].largest_chunk == run.result["httpx"].largest_chunk


@pytest.mark.parametrize("mib", [16, 48])
@pytest.mark.parametrize("client_name", ["aiohttp", "httpx"])
async def test_streaming_holds_under_2_mib_whatever_the_size(
    recipe, server, tmp_path: Path, client_name, mib
):
    module = load_module(recipe)
    download = getattr(module, f"download_{client_name}")
    path = tmp_path / "big.bin"
    url = f"{server.base}/big?size={mib * 1024 * 1024}"
    peak = await peak_memory(lambda: download(url, path))
    assert path.stat().st_size == mib * 1024 * 1024
    assert peak < 2 * 1024 * 1024  # the server's buffers included


async def test_reading_the_body_at_once_holds_all_of_it(server):
    async def read_aiohttp() -> None:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{server.base}/big") as response,
        ):
            await response.read()

    async def get_httpx() -> None:
        async with httpx.AsyncClient() as client:
            await client.get(f"{server.base}/big")  # .content: the whole body

    assert await peak_memory(read_aiohttp) >= SIZE
    assert await peak_memory(get_httpx) >= SIZE


async def test_chunks_never_exceed_the_chunk_size(recipe, server, tmp_path: Path):
    module = load_module(recipe)
    for download in (module.download_aiohttp, module.download_httpx):
        result = await download(f"{server.base}/big", tmp_path / "big.bin")
        assert result.size == SIZE
        assert result.largest_chunk == module.CHUNK


async def test_aiohttp_default_timeout_kills_a_download_longer_than_5_minutes(server):
    async with (
        aiohttp.ClientSession() as session,  # default: total=300 s
        session.get(f"{server.base}/slow-big") as response,
    ):
        with pytest.raises(asyncio.TimeoutError):
            async for _ in response.content.iter_chunked(PIECE):
                pass


async def test_the_recipe_timeouts_let_a_long_but_steady_download_finish(
    recipe, server, tmp_path: Path
):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    for download in (module.download_aiohttp, module.download_httpx):
        start = loop.time()
        result = await download(f"{server.base}/slow-big", tmp_path / "slow.bin")
        assert result.size == 31 * PIECE
        assert loop.time() - start == 310.0
