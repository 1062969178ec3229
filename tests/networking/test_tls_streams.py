"""Claims of docs/networking/tls-streams.md."""

import asyncio
import contextlib
import ssl

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
