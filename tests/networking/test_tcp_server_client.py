"""Claims of docs/networking/tcp-server-client.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main

HOST = "127.0.0.1"


async def test_each_client_gets_its_lines_back_in_upper_case(recipe):
    run = await run_main(recipe)
    assert run.result == [["HELLO", "WORLD"], ["ASYNCIO", "STREAMS"]]


async def test_prints_replies_and_connection_count(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "client 1 got ['HELLO', 'WORLD']",
        "client 2 got ['ASYNCIO', 'STREAMS']",
        "server closed after 2 connections",
    ]


async def test_readline_returns_empty_bytes_at_end_of_stream(recipe):
    """The handler's loop ends on b"" (no exception), then it closes its side."""
    module = load_module(recipe)
    server = await asyncio.start_server(module.uppercase, HOST, 0)
    try:
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(b"last\n")
            writer.write_eof()  # "no more data from me"
            assert await asyncio.wait_for(reader.readline(), 5) == b"LAST\n"
            # The server saw b"", left its loop and closed: we see the same b"".
            assert await asyncio.wait_for(reader.readline(), 5) == b""
            assert reader.at_eof()
        finally:
            writer.close()
            await writer.wait_closed()
    finally:
        server.close()
        await server.wait_closed()


async def test_drain_waits_while_the_peer_is_not_reading(recipe):
    """write() only buffers; drain() is where a slow reader holds the writer back."""
    release = asyncio.Event()
    handlers: list[asyncio.Task[None]] = []

    async def never_reads(reader, writer):
        await release.wait()
        writer.close()
        await writer.wait_closed()

    def on_connect(reader, writer):
        handlers.append(asyncio.create_task(never_reads(reader, writer)))

    server = await asyncio.start_server(on_connect, HOST, 0)
    try:
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(b"x" * 50_000_000)  # returns at once: the data is buffered
            assert writer.transport.get_write_buffer_size() > 0
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(writer.drain(), 1.0)
        finally:
            writer.transport.abort()  # drop the unsent data
            await writer.wait_closed()
    finally:
        release.set()
        server.close()
        await server.wait_closed()
        await asyncio.gather(*handlers)


async def test_a_line_longer_than_the_limit_raises_value_error(recipe):
    errors: list[BaseException] = []
    handlers: list[asyncio.Task[None]] = []

    async def read_one_line(reader, writer):
        try:
            await reader.readline()
        except ValueError as error:
            errors.append(error)
        finally:
            writer.close()
            await writer.wait_closed()

    def on_connect(reader, writer):
        handlers.append(asyncio.create_task(read_one_line(reader, writer)))

    server = await asyncio.start_server(on_connect, HOST, 0, limit=1024)
    try:
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(b"y" * 5000 + b"\n")
            await writer.drain()
            assert await asyncio.wait_for(reader.read(), 5) == b""  # server gave up
        finally:
            writer.close()
            await writer.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
        await asyncio.gather(*handlers)
    assert len(errors) == 1
    assert "limit" in str(errors[0])


async def test_wait_closed_does_not_wait_for_handler_coroutines(recipe):
    finished = asyncio.Event()
    handlers: list[asyncio.Task[None]] = []

    async def slow_cleanup(reader, writer):
        writer.close()
        await writer.wait_closed()
        await asyncio.sleep(1)  # cleanup after the connection is gone
        finished.set()

    def on_connect(reader, writer):
        handlers.append(asyncio.create_task(slow_cleanup(reader, writer)))

    server = await asyncio.start_server(on_connect, HOST, 0)
    try:
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            assert await asyncio.wait_for(reader.read(), 5) == b""
        finally:
            writer.close()
            await writer.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
        assert not finished.is_set()  # the handler is still running
        await asyncio.gather(*handlers)
    assert finished.is_set()


async def test_wait_closed_waits_for_open_connections_only_on_3_12_and_later(recipe):
    accepted: list[asyncio.StreamWriter] = []
    server = await asyncio.start_server(lambda r, w: accepted.append(w), HOST, 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection(HOST, port)
    server.close()
    try:
        if sys.version_info >= (3, 12):
            with pytest.raises(TimeoutError):  # the connection is still open
                await asyncio.wait_for(asyncio.shield(server.wait_closed()), 1.0)
        else:
            await asyncio.wait_for(server.wait_closed(), 1.0)  # returns at once
    finally:
        for server_side in accepted:
            server_side.close()
            await server_side.wait_closed()
        assert await asyncio.wait_for(reader.read(), 5) == b""
        writer.close()
        await writer.wait_closed()
        await asyncio.wait_for(server.wait_closed(), 5)


@pytest.mark.skipif(sys.version_info < (3, 13), reason="close_clients() is new in 3.13")
async def test_close_clients_lets_wait_closed_return_on_3_13_and_later(recipe):
    accepted: list[asyncio.StreamWriter] = []
    server = await asyncio.start_server(lambda r, w: accepted.append(w), HOST, 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        server.close()
        server.close_clients()  # closes the connection the handler left open
        await asyncio.wait_for(server.wait_closed(), 5)
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by the server
    finally:
        writer.close()
        await writer.wait_closed()


def test_close_clients_is_new_in_3_13(recipe):
    load_module(recipe)
    has_it = hasattr(asyncio.Server, "close_clients")
    assert has_it == (sys.version_info >= (3, 13))
