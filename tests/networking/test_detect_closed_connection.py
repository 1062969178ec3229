"""Claims of docs/networking/detect-closed-connection.md."""

import asyncio
import contextlib
import errno
import os
import signal
import socket
import struct
import sys

import pytest

from tests.support import load_module, run_main

HOST = "127.0.0.1"

# A peer in a process of its own that sends one message and either reads the
# server's ack ("read") or lets it arrive unread ("unread"); then it is killed with
# SIGKILL ("kill") or crashes with SIGABRT ("crash").
DOOMED_PEER = """
import os, resource, select, socket, sys, time
sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
sock.sendall(bytes.fromhex(sys.argv[2]))
if sys.argv[3] == "read":
    assert sock.recv(1) == b"+"
else:
    assert select.select([sock], [], [], 5)[0]  # the ack is here, unread
print("ready", flush=True)
if sys.argv[4] == "crash":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
    os.abort()
time.sleep(60)  # killed long before this ends
"""


@contextlib.asynccontextmanager
async def connection(handler):
    """A real loopback server running `handler`, and a client connected to it."""
    async with serving(handler) as (port, _):
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            yield reader, writer
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


class Handlers(list):
    """The server's handler tasks, one per connection, in the order accepted."""

    def __init__(self):
        super().__init__()
        self.accepted = asyncio.Event()

    async def first(self):
        """The first connection's handler, once the server has accepted it."""
        await asyncio.wait_for(self.accepted.wait(), 5)
        return self[0]


@contextlib.asynccontextmanager
async def serving(handler):
    """A real loopback server running `handler`: its port, and the handler tasks."""
    handlers = Handlers()

    def on_connect(reader, writer):
        handlers.append(asyncio.create_task(handler(reader, writer)))
        handlers.accepted.set()

    server = await asyncio.start_server(on_connect, HOST, 0)
    try:
        yield server.sockets[0].getsockname()[1], handlers
    finally:
        server.close()
        await server.wait_closed()
        await asyncio.gather(*handlers)


async def close_at_once(reader, writer):
    writer.close()
    await writer.wait_closed()


async def raw_peer(port, **options):
    """A plain non-blocking socket connected to the server, for full control."""
    sock = socket.socket()
    for option, value in options.items():
        sock.setsockopt(socket.SOL_SOCKET, getattr(socket, option), value)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (HOST, port))
    return sock


async def readable(sock):
    """Until data has arrived on `sock`, without reading it."""
    loop = asyncio.get_running_loop()
    arrived = loop.create_future()
    loop.add_reader(sock, lambda: arrived.done() or arrived.set_result(None))
    try:
        await asyncio.wait_for(arrived, 5)
    finally:
        loop.remove_reader(sock)


def cramped(module, writers):
    """The recipe's handler with tiny send buffers, so drain() blocks after a few
    hundred acks instead of megabytes of them."""

    def handler(reader, writer):
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        writer.transport.set_write_buffer_limits(high=0)  # drain() waits for it all
        writers.append(writer)
        return module.receive(reader, writer)

    return handler


async def waiting_in_drain(writers):
    """Until the server holds unsent bytes for this peer: drain() is waiting."""
    async with asyncio.timeout(5):
        while not writers or not writers[0].transport.get_write_buffer_size():  # noqa: ASYNC110 - no event tells
            await asyncio.sleep(0.01)


async def test_each_way_of_leaving_is_told_apart(recipe):
    run = await run_main(recipe)
    assert run.result == {
        "polite": "closed after 2 messages",
        "truncated": "closed mid-message after 1 messages (b'cut')",
        "rude": "connection lost after 1 messages (ConnectionResetError)",
        "greedy": "refused a 4,294,967,295-byte message after 0 messages",
    }
    assert run.output.splitlines() == [
        "   polite: closed after 2 messages",
        "truncated: closed mid-message after 1 messages (b'cut')",
        "     rude: connection lost after 1 messages (ConnectionResetError)",
        "   greedy: refused a 4,294,967,295-byte message after 0 messages",
    ]
    assert run.elapsed == 0.0  # none of them waits for a timeout


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


async def doomed_peer(module, port, ack, end):
    """Run DOOMED_PEER to its end; the signal that ended it."""
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-c", DOOMED_PEER, str(port)),
        *(module.message(b"hello").hex(), ack, end),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert await asyncio.wait_for(process.stdout.readline(), 10) == b"ready\n"
        if end == "kill":
            process.kill()  # SIGKILL: no handler, no cleanup
        await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return -process.returncode


@pytest.mark.looptime(False)  # a real process: real time
@pytest.mark.parametrize(
    ("end", "signal_number"), [("kill", signal.SIGKILL), ("crash", signal.SIGABRT)]
)
async def test_a_killed_or_crashed_peer_looks_like_a_close_not_a_reset(
    recipe, end, signal_number
):
    module = load_module(recipe)
    async with serving(module.receive) as (port, handlers):
        assert await doomed_peer(module, port, "read", end) == signal_number
        assert await asyncio.wait_for(await handlers.first(), 5) == (
            "closed after 1 messages"  # the kernel closed its socket: FIN
        )


@pytest.mark.looptime(False)
async def test_a_killed_peer_with_unread_data_resets_the_connection(recipe):
    module = load_module(recipe)
    async with serving(module.receive) as (port, handlers):
        assert await doomed_peer(module, port, "unread", "kill") == signal.SIGKILL
        assert await asyncio.wait_for(await handlers.first(), 5) == (
            "connection lost after 1 messages (ConnectionResetError)"
        )


async def test_abort_alone_closes_with_fin_it_takes_linger_zero_to_reset(recipe):
    module = load_module(recipe)
    async with serving(module.receive) as (port, handlers):
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(module.message(b"hello"))
        assert await asyncio.wait_for(reader.readexactly(1), 5) == b"+"
        writer.transport.abort()  # no SO_LINGER: an ordinary FIN
        assert (
            await asyncio.wait_for(await handlers.first(), 5)
            == "closed after 1 messages"
        )


async def test_closing_a_socket_with_unread_data_resets_the_connection(recipe):
    module = load_module(recipe)
    async with serving(module.receive) as (port, handlers):
        sock = await raw_peer(port)
        with sock:
            await asyncio.get_running_loop().sock_sendall(sock, module.message(b"hi"))
            await readable(sock)  # the ack has arrived; nobody reads it
        assert await asyncio.wait_for(await handlers.first(), 5) == (
            "connection lost after 1 messages (ConnectionResetError)"
        )


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


async def test_a_peer_gone_while_the_server_writes_is_reported_not_raised(recipe):
    """drain() raises BrokenPipeError: the peer sent everything, half-closed, and
    vanished while the server was still writing its acks."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    writers = []
    async with serving(cramped(module, writers)) as (port, handlers):
        sock = await raw_peer(port, SO_RCVBUF=4096)
        with sock:
            await loop.sock_sendall(sock, module.message(b"") * 20_000)
            sock.shutdown(socket.SHUT_WR)  # FIN: the server now only writes
            await waiting_in_drain(writers)
            await asyncio.sleep(0.1)  # and the server has read the FIN
        # closed with unread acks: RST, and the server's next send() fails
        result = await asyncio.wait_for(await handlers.first(), 5)
    count = result.removeprefix("connection lost after ").split()[0]
    assert 0 < int(count) < 20_000
    assert result == f"connection lost after {count} messages (BrokenPipeError)"


async def test_a_silent_peer_is_given_up_on_after_idle_timeout(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with connection(module.receive) as (reader, _):
        start = loop.time()
        assert await asyncio.wait_for(reader.read(), 60) == b""  # the server hung up
        assert loop.time() - start == module.IDLE_TIMEOUT == 30.0
    # and it said why (the handler is awaited when `connection` ends)


async def test_a_silent_peer_is_reported_as_timed_out(recipe):
    module = load_module(recipe)
    async with serving(module.receive) as (port, handlers):
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(module.message(b"one"))
        assert await asyncio.wait_for(reader.readexactly(1), 5) == b"+"
        assert await asyncio.wait_for(await handlers.first(), 60) == (
            "timed out after 1 messages (30 s idle)"
        )
        writer.close()
        await writer.wait_closed()


async def test_a_truncated_frame_and_then_silence_times_out(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with serving(module.receive) as (port, handlers):
        _, writer = await asyncio.open_connection(HOST, port)
        writer.write(module.message(b"cut short")[:7])  # and nothing more, ever
        start = loop.time()
        assert await asyncio.wait_for(await handlers.first(), 60) == (
            "timed out after 0 messages (30 s idle)"
        )
        assert loop.time() - start == module.IDLE_TIMEOUT
        writer.close()
        await writer.wait_closed()


async def test_a_truncated_frame_and_then_a_close_is_closed_mid_message(recipe):
    module = load_module(recipe)
    async with serving(module.receive) as (port, handlers):
        _, writer = await asyncio.open_connection(HOST, port)
        writer.write(module.message(b"cut short")[:7])
        writer.close()
        await writer.wait_closed()
        assert await asyncio.wait_for(await handlers.first(), 5) == (
            "closed mid-message after 0 messages (b'cut')"
        )


async def test_an_oversized_header_is_refused_at_once_not_buffered(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with serving(module.receive) as (port, handlers):
        reader, writer = await asyncio.open_connection(HOST, port)
        start = loop.time()
        writer.write(b"\xff\xff\xff\xff" + b"x" * 100_000)  # "4 GiB follow"
        assert await asyncio.wait_for(await handlers.first(), 5) == (
            "refused a 4,294,967,295-byte message after 0 messages"
        )
        assert loop.time() - start == 0.0
        # The server hung up: end of stream, or a reset if bytes were left unread.
        with contextlib.suppress(ConnectionResetError):
            assert await asyncio.wait_for(reader.read(), 5) == b""
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def test_readexactly_is_not_bounded_by_the_readers_limit(recipe):
    """The 64 KiB limit guards readline() and readuntil() only: readexactly(n)
    buffers whatever n the peer's header asks for."""

    async def send_200_kb(reader, writer):
        writer.write(b"x" * 200_000)
        await close_at_once(reader, writer)

    async with connection(send_200_kb) as (reader, _):
        data = await asyncio.wait_for(reader.readexactly(200_000), 5)
    assert len(data) == 200_000 > 2 * 64 * 1024


async def test_max_frame_bytes_are_accepted_one_more_is_refused(recipe):
    module = load_module(recipe)
    async with serving(module.receive) as (port, handlers):
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(module.message(b"x" * module.MAX_FRAME))
        assert await asyncio.wait_for(reader.readexactly(1), 5) == b"+"
        writer.write((module.MAX_FRAME + 1).to_bytes(4, "big"))
        assert await asyncio.wait_for(await handlers.first(), 5) == (
            "refused a 65,537-byte message after 1 messages"
        )
        assert await asyncio.wait_for(reader.read(), 5) == b""
        writer.close()
        await writer.wait_closed()


async def test_a_peer_that_takes_nothing_is_cut_off_after_the_timeouts(recipe):
    """drain() blocks: the idle timeout ends the loop, and hang_up() gives the last
    bytes TIMEOUT more before it aborts the connection."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    writers = []
    async with serving(cramped(module, writers)) as (port, handlers):
        sock = await raw_peer(port, SO_RCVBUF=4096)
        with sock:
            start = loop.time()
            await loop.sock_sendall(sock, module.message(b"") * 20_000)  # never reads
            result = await asyncio.wait_for(await handlers.first(), 60)
            assert loop.time() - start == module.IDLE_TIMEOUT + module.TIMEOUT
        assert result.startswith("timed out after ")
        assert result.endswith(" messages (30 s idle)")
        assert writers[0].transport.is_closing()
        assert writers[0].transport.get_write_buffer_size() == 0  # discarded


async def test_receive_counts_messages_up_to_a_clean_close(recipe):
    module = load_module(recipe)
    async with connection(module.receive) as (reader, writer):
        writer.write(module.message(b"one") + module.message(b"two"))
        assert await asyncio.wait_for(reader.readexactly(2), 5) == b"++"
        writer.write_eof()
        assert await asyncio.wait_for(reader.read(), 5) == b""


def test_etimedout_is_an_oserror_but_not_a_connection_error():
    """What the kernel reports for a peer that stopped acknowledging data in flight
    (or keepalive probes): OSError(ETIMEDOUT) is built as a TimeoutError, which is
    not a ConnectionError; neither is EHOSTUNREACH's plain OSError."""
    timed_out = OSError(errno.ETIMEDOUT, os.strerror(errno.ETIMEDOUT))
    unreachable = OSError(errno.EHOSTUNREACH, os.strerror(errno.EHOSTUNREACH))
    assert type(timed_out) is TimeoutError
    assert type(unreachable) is OSError
    for error in (timed_out, unreachable):
        assert not isinstance(error, ConnectionError)


@pytest.mark.parametrize(
    ("code", "name"),
    [(errno.ETIMEDOUT, "TimeoutError"), (errno.EHOSTUNREACH, "OSError")],
    ids=["ETIMEDOUT", "EHOSTUNREACH"],
)
async def test_a_socket_the_kernel_fails_is_reported_as_lost(recipe, code, name):
    """The kernel fails the socket: the transport's recv() raises the OSError, and
    the transport closes with it (what _fatal_error() does on a failed recv()).
    receive() reports the peer as lost, not as idle, and does not raise."""
    module = load_module(recipe)

    async def failing(reader, writer):
        error = OSError(code, os.strerror(code))
        asyncio.get_running_loop().call_later(
            1.0, writer.transport._fatal_error, error, "recv() failed"
        )
        return await module.receive(reader, writer)

    async with serving(failing) as (port, handlers):
        _, writer = await asyncio.open_connection(HOST, port)
        try:
            report = await asyncio.wait_for(await handlers.first(), 60)
            assert report == f"connection lost after 0 messages ({name})"
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
