"""Claims of docs/networking/detect-closed-connection.md."""

import asyncio
import contextlib
import socket
import struct

import pytest

from tests.support import load_module, run_main

HOST = "127.0.0.1"


@contextlib.asynccontextmanager
async def connection(handler):
    """A real loopback server running `handler`, and a client connected to it."""
    handlers = []

    def on_connect(reader, writer):
        handlers.append(asyncio.create_task(handler(reader, writer)))

    server = await asyncio.start_server(on_connect, HOST, 0)
    try:
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            yield reader, writer
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
        await asyncio.gather(*handlers)


async def close_at_once(reader, writer):
    writer.close()
    await writer.wait_closed()


async def test_each_way_of_leaving_is_told_apart(recipe):
    run = await run_main(recipe)
    assert run.result == {
        "polite": "closed cleanly after 2 messages",
        "truncated": "closed mid-message after 1 messages (b'cut')",
        "rude": "connection reset after 1 messages",
    }
    assert run.output.splitlines() == [
        "   polite: closed cleanly after 2 messages",
        "truncated: closed mid-message after 1 messages (b'cut')",
        "     rude: connection reset after 1 messages",
    ]


async def test_read_returns_empty_bytes_and_at_eof_after_a_clean_close(recipe):
    async with connection(close_at_once) as (reader, _):
        assert await asyncio.wait_for(reader.read(100), 5) == b""
        assert await reader.readline() == b""  # and again, every time
        assert reader.at_eof()


async def test_readexactly_raises_incomplete_read_error_with_the_partial_bytes(recipe):
    async def send_three_bytes(reader, writer):
        writer.write(b"abc")
        await close_at_once(reader, writer)

    async with connection(send_three_bytes) as (reader, _):
        with pytest.raises(asyncio.IncompleteReadError) as caught:
            await asyncio.wait_for(reader.readexactly(10), 5)
    assert (caught.value.partial, caught.value.expected) == (b"abc", 10)
    assert isinstance(caught.value, EOFError)


async def test_a_reset_raises_connection_reset_error_and_wait_closed_reraises_it(
    recipe,
):
    outcome = {}

    async def read_until_reset(reader, writer):
        with pytest.raises(ConnectionResetError):
            await asyncio.wait_for(reader.read(100), 5)
        writer.close()
        with pytest.raises(ConnectionResetError):  # the same error, again
            await writer.wait_closed()
        outcome["checked"] = True

    async with connection(read_until_reset) as (_, writer):
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
    assert outcome == {"checked": True}


async def test_the_first_write_to_a_closed_peer_succeeds_a_later_one_fails(recipe):
    async with connection(close_at_once) as (reader, writer):
        assert await asyncio.wait_for(reader.read(100), 5) == b""
        writer.write(b"first")
        await writer.drain()  # no error: the kernel accepted the bytes
        with pytest.raises(ConnectionError):  # ConnectionResetError or BrokenPipeError
            await write_a_few_more(writer)


async def write_a_few_more(writer):
    for _ in range(3):
        await asyncio.sleep(0.01)  # the peer's RST comes back
        writer.write(b"again")
        await writer.drain()


async def test_a_silent_peer_is_noticed_only_by_a_timeout(recipe):
    release = asyncio.Event()

    async def stay_silent(reader, writer):
        await release.wait()
        await close_at_once(reader, writer)

    async with connection(stay_silent) as (reader, _):
        loop = asyncio.get_running_loop()
        start = loop.time()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(reader.read(100), 30.0)
        assert loop.time() - start == 30.0  # nothing came, nothing raised before
        release.set()


async def test_receive_counts_messages_up_to_a_clean_close(recipe):
    module = load_module(recipe)
    async with connection(module.receive) as (reader, writer):
        writer.write(module.message(b"one") + module.message(b"two"))
        assert await asyncio.wait_for(reader.readexactly(2), 5) == b"++"
        writer.write_eof()
        assert await asyncio.wait_for(reader.read(), 5) == b""
