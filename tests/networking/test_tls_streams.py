"""Claims of docs/networking/tls-streams.md."""

import asyncio
import contextlib
import ssl

import pytest

from tests.support import load_module, run_main


@contextlib.asynccontextmanager
async def tls_server(module):
    server_context, client_context = module.make_contexts()
    server = await asyncio.start_server(
        module.uppercase, module.HOST, 0, ssl=server_context
    )
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


async def test_a_plain_tcp_client_gets_no_answer_from_a_tls_server(recipe):
    """Forgetting ssl= on the client: the server waits for a TLS handshake."""
    module = load_module(recipe)
    async with tls_server(module) as (port, _):
        with pytest.raises(asyncio.TimeoutError):
            await talk(module, port)


async def test_OLDCLAIM_a_plain_http_request_gets_no_answer_until_the_timeout(recipe):
    module = load_module(recipe)
    async with tls_server(module) as (port, _):
        reader, writer = await asyncio.open_connection(module.HOST, port)
        writer.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        try:
            with pytest.raises(TimeoutError):  # the page: only the client's timeout ends it
                await asyncio.wait_for(reader.read(100), 5)
        finally:
            writer.close()
            await writer.wait_closed()


async def test_NEW_the_recipes_server_cuts_off_a_stalled_handshake_after_TIMEOUT(recipe):
    module = load_module(recipe)
    server_context, _ = module.make_contexts()
    server = await module.start_tls_server(server_context)
