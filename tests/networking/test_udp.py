"""Claims of docs/networking/udp.md."""

import asyncio
import contextlib
import errno
import socket
import sys

import pytest

from tests.support import load_module, run_main

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="ICMP errors reach the socket this way on Linux"
)


@contextlib.asynccontextmanager
async def endpoint(module, protocol, **addresses):
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(protocol, **addresses)
    try:
        yield transport, proto
    finally:
        transport.close()
        await proto.closed


async def test_each_datagram_gets_its_uppercase_reply(recipe):
    run = await run_main(recipe)
    assert run.result == ["PING", "HELLO", "DATAGRAM"]
    assert run.output.splitlines()[0] == "sent 'ping', got 'PING'"


async def test_message_boundaries_are_kept(recipe):
    """Three datagrams sent back to back arrive as three, never merged."""
    module = load_module(recipe)
    async with endpoint(module, module.Endpoint, local_addr=(module.HOST, 0)) as (
        receiver,
        inbox,
    ):
        port = receiver.get_extra_info("sockname")[1]
        async with endpoint(
            module, module.Endpoint, remote_addr=(module.HOST, port)
        ) as (sender, _):
            for data in (b"one", b"two", b"three"):
                sender.sendto(data)
            got = [
                (await asyncio.wait_for(inbox.received.get(), 2))[0] for _ in range(3)
            ]
    assert got == [b"one", b"two", b"three"]


@linux_only
async def test_sending_to_a_closed_port_succeeds_and_the_error_comes_later(recipe):
    module = load_module(recipe)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((module.HOST, 0))
        closed_port = probe.getsockname()[1]  # nothing listens once it is closed
    async with endpoint(
        module, module.Endpoint, remote_addr=(module.HOST, closed_port)
    ) as (transport, client):
        transport.sendto(b"anyone there?")  # no exception here
        with pytest.raises(asyncio.TimeoutError):  # and no reply, ever
            await asyncio.wait_for(client.received.get(), module.TIMEOUT)
    assert [type(e) for e in client.errors] == [ConnectionRefusedError]


async def test_a_datagram_over_64_kib_is_refused_through_error_received(recipe):
    module = load_module(recipe)
    async with endpoint(module, module.Endpoint, local_addr=(module.HOST, 0)) as (
        receiver,
        _,
    ):
        port = receiver.get_extra_info("sockname")[1]
        async with endpoint(
            module, module.Endpoint, remote_addr=(module.HOST, port)
        ) as (sender, client):
            sender.sendto(b"x" * 70_000)  # does not raise...
            await asyncio.sleep(0)
    assert len(client.errors) == 1  # ...the error goes to error_received()
    assert client.errors[0].errno == errno.EMSGSIZE
