"""Claims of docs/networking/tls-streams.md."""

import asyncio
import contextlib
import socket
import ssl
import sys

import pytest

from tests.support import load_module, run_main, within_bound


@contextlib.asynccontextmanager
async def tls_server(module):
    server_context, client_context = module.make_contexts()
    server = await module.start_tls_server(server_context)
    try:
        yield server.sockets[0].getsockname()[1], client_context
    finally:
        server.close()
        await server.wait_closed()


async def talk(module, port, **tls):
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(module.HOST, port, **tls), 5
    )
    try:
        writer.write(b"hi\n")
        return await asyncio.wait_for(reader.readline(), 5)
    finally:
        writer.close()
        await writer.wait_closed()


async def test_the_message_goes_through_tls_and_back(recipe):
    run = await run_main(recipe)
    assert run.result == "SECRET MESSAGE"
    assert run.output.splitlines() == [
        "TLSv1.3 with a certificate for (('DNS', 'localhost'), ('IP Address', '127.0.0.1'))",
        "reply: 'SECRET MESSAGE'",
    ]


async def test_a_client_that_does_not_trust_the_ca_fails_verification(recipe):
    module = load_module(recipe)
    async with tls_server(module) as (port, _):
        stranger = ssl.create_default_context()  # the system's CAs, not ours
        with pytest.raises(
            ssl.SSLCertVerificationError, match="unable to get local issuer"
        ):
            await talk(module, port, ssl=stranger, server_hostname="localhost")


async def test_a_name_the_certificate_does_not_carry_fails_verification(recipe):
    module = load_module(recipe)
    async with tls_server(module) as (port, client_context):
        with pytest.raises(ssl.SSLCertVerificationError, match=r"[Hh]ostname mismatch"):
            await talk(module, port, ssl=client_context, server_hostname="example.com")


async def test_server_hostname_defaults_to_the_host_you_connect_to(recipe):
    """The certificate also names 127.0.0.1, so connecting by IP verifies too."""
    module = load_module(recipe)
    async with tls_server(module) as (port, client_context):
        assert await talk(module, port, ssl=client_context) == b"HI\n"


async def plain_client(module, port, data):
    """A client that forgot ssl=: it sends `data` in the clear, then reads. What it
    reads (b"": the server hung up), and after how many seconds of loop time."""
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(module.HOST, port), 5
    )
    try:
        start = loop.time()
        writer.write(data)
        reply = await asyncio.wait_for(reader.read(), 120)
        return reply, loop.time() - start
    finally:
        writer.close()
        await writer.wait_closed()


@pytest.mark.parametrize(
    "data",
    [b"hello", b"hello\n", b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ids=["5 bytes", "6 bytes", "an HTTP request"],
)
async def test_five_plaintext_bytes_fail_the_handshake_at_once(recipe, data):
    """Not a TLS record header: the handshake fails, and the server hangs up at once,
    with no alert and no answer (the handler never runs)."""
    module = load_module(recipe)
    handled = []
    module.uppercase = lambda reader, writer: handled.append(writer)  # never called
    async with tls_server(module) as (port, _):
        assert await plain_client(module, port, data) == (b"", 0.0)
    assert handled == []


@pytest.mark.parametrize("data", [b"hi\n", b"hiya"], ids=["3 bytes", "4 bytes"])
async def test_fewer_bytes_wait_for_the_recipes_handshake_timeout(recipe, data):
    module = load_module(recipe)
    async with tls_server(module) as (port, _):
        assert await plain_client(module, port, data) == (b"", module.TIMEOUT)
    assert module.TIMEOUT == 5.0


async def test_five_bytes_that_start_a_tls_record_wait_too(recipe):
    """A handshake record header (type 22, TLS 1.0, 5 bytes long): the server waits
    for the 5 bytes it announces."""
    module = load_module(recipe)
    async with tls_server(module) as (port, _):
        header = b"\x16\x03\x01\x00\x05"
        assert await plain_client(module, port, header) == (b"", module.TIMEOUT)


async def test_without_ssl_handshake_timeout_a_short_input_waits_60_s(recipe):
    module = load_module(recipe)
    server_context, _ = module.make_contexts()
    server = await asyncio.start_server(
        module.uppercase, module.HOST, 0, ssl=server_context
    )  # ssl_handshake_timeout left at its default
    try:
        port = server.sockets[0].getsockname()[1]
        assert await plain_client(module, port, b"hi\n") == (b"", 60.0)
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.looptime(False)
async def test_both_cases_on_the_real_clock(recipe):
    """The same with real time passing: a 0.5 s handshake timeout holds the short
    input that long, and five bytes are refused well within it."""
    module = load_module(recipe)
    server_context, _ = module.make_contexts()
    server = await asyncio.start_server(
        module.uppercase, module.HOST, 0, ssl=server_context, ssl_handshake_timeout=0.5
    )
    try:
        port = server.sockets[0].getsockname()[1]
        reply, waited = await plain_client(module, port, b"hi\n")
        assert reply == b""
        assert waited >= 0.5
        reply, waited = await within_bound(
            lambda: plain_client(module, port, b"hello"), lambda run: run[1] < 0.25
        )
        assert reply == b""
        assert waited < 0.25
    finally:
        server.close()
        await server.wait_closed()


async def test_an_idle_client_after_the_handshake_is_hung_up_on_after_timeout(recipe):
    """The handshake timeout does not cover the session: uppercase() gives each
    read its own TIMEOUT, so a client that completes the handshake and then sends
    nothing is hung up on (with a clean b"") after 5 s, not held forever."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with tls_server(module) as (port, client_context):
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                module.HOST, port, ssl=client_context, server_hostname="localhost"
            ),
            5,
        )
        try:
            start = loop.time()
            reply = await asyncio.wait_for(reader.read(), 120)
            assert (reply, loop.time() - start) == (b"", module.TIMEOUT)
        finally:
            writer.close()
            await writer.wait_closed()


async def test_an_idle_client_does_not_hold_up_the_servers_shutdown(recipe):
    """On 3.12+ server.wait_closed() waits for every handler: with an idle client
    connected, it returns once that client's read has timed out."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    server_context, client_context = module.make_contexts()
    server = await module.start_tls_server(server_context)
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.wait_for(
        asyncio.open_connection(
            module.HOST, port, ssl=client_context, server_hostname="localhost"
        ),
        5,
    )
    try:
        start = loop.time()
        server.close()
        await asyncio.wait_for(server.wait_closed(), 120)
        assert loop.time() - start <= module.TIMEOUT
    finally:
        writer.close()
        await writer.wait_closed()


def blocking_tls_client(port: int, context: ssl.SSLContext) -> bytes:
    """Send a line, then read until the server hangs up. suppress_ragged_eofs=False:
    a close without close_notify raises SSLEOFError instead of returning b""."""
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as plain,
        context.wrap_socket(
            plain, server_hostname="localhost", suppress_ragged_eofs=False
        ) as tls,
    ):
        tls.sendall(b"hi\n")
        received = b""
        while chunk := tls.recv(1024):
            received += chunk
        return received


@pytest.mark.looptime(False)
@pytest.mark.parametrize("close", ["close", "abort"])
async def test_writer_close_sends_close_notify(recipe, close):
    """writer.close() ends the session with close_notify: a blocking ssl client's
    recv() returns b"" cleanly. transport.abort() does not, and the same client gets
    SSLEOFError, so the test tells the two apart."""
    module = load_module(recipe)
    server_context, client_context = module.make_contexts()

    async def once(reader, writer):
        writer.write((await asyncio.wait_for(reader.readline(), 5)).upper())
        await writer.drain()
        if close == "close":
            writer.close()
        else:
            writer.transport.abort()
        await writer.wait_closed()

    server = await asyncio.start_server(once, module.HOST, 0, ssl=server_context)
    try:
        port = server.sockets[0].getsockname()[1]
        if close == "close":
            received = await asyncio.to_thread(
                blocking_tls_client, port, client_context
            )
            assert received == b"HI\n"
        else:
            with pytest.raises(ssl.SSLEOFError):
                await asyncio.to_thread(blocking_tls_client, port, client_context)
    finally:
        server.close()
        await server.wait_closed()


async def test_a_client_that_never_reads_is_cut_off_after_the_timeouts(recipe):
    """drain() waits at most TIMEOUT for the client to read; then close() cannot
    flush the replies either, and after another TIMEOUT the handler aborts."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    ended = loop.create_future()
    uppercase = module.uppercase

    async def timed(reader, writer):
        start = loop.time()
        try:
            await uppercase(reader, writer)
        except Exception as error:  # noqa: BLE001 - reported below
            ended.set_result((loop.time() - start, error))
        else:
            ended.set_result((loop.time() - start, None))

    module.uppercase = timed
    async with tls_server(module) as (port, client_context):
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(
                module.HOST, port, ssl=client_context, server_hostname="localhost"
            ),
            5,
        )
        try:
            writer.writelines(b"x" * 1000 + b"\n" for _ in range(20_000))  # never read
            elapsed, error = await asyncio.wait_for(ended, 120)
            assert error is None  # the failed TLS shutdown is not the handler's error
            assert module.TIMEOUT <= elapsed <= 2 * module.TIMEOUT
        finally:
            writer.transport.abort()


async def test_without_a_read_timeout_an_idle_client_holds_up_wait_closed(recipe):
    """The gotcha's counterfactual: a handler whose readline() has no timeout. On
    3.12+ server.wait_closed() waits for it (here: still waiting after 120 s); 3.11's
    wait_closed() did not wait for handlers."""
    module = load_module(recipe)
    server_context, client_context = module.make_contexts()

    async def no_timeout(reader, writer):
        try:
            await reader.readline()
        finally:
            writer.close()

    server = await asyncio.start_server(
        no_timeout, module.HOST, 0, ssl=server_context, ssl_handshake_timeout=5
    )
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.wait_for(
        asyncio.open_connection(
            module.HOST, port, ssl=client_context, server_hostname="localhost"
        ),
        5,
    )
    try:
        server.close()
        if sys.version_info >= (3, 12):
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(asyncio.shield(server.wait_closed()), 120)
        else:
            await asyncio.wait_for(server.wait_closed(), 0.1)
    finally:
        writer.close()
        await writer.wait_closed()
        await asyncio.wait_for(server.wait_closed(), 5)  # the handler saw b""
