"""How do I detect that the other side closed the connection?"""

# --8<-- [start:recipe]
import asyncio
import socket
import struct
from collections.abc import Awaitable, Callable

HOST = "127.0.0.1"
TIMEOUT = 5.0  # seconds: every wait on the network gets one
IDLE_TIMEOUT = 30.0  # a peer that completes no message for this long is given up on
MAX_FRAME = 64 * 1024  # the largest message body the server accepts, in bytes


async def receive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str:
    """Read length-prefixed messages until the peer goes away; say how it went."""
    count = 0
    try:
        while True:
            async with asyncio.timeout(IDLE_TIMEOUT):  # one message and its ack
                header = await reader.readexactly(4)  # a 4-byte length, then the body
                length = int.from_bytes(header, "big")
                if length > MAX_FRAME:  # never buffer what a header merely claims
                    return f"refused a {length:,}-byte message after {count} messages"
                await reader.readexactly(length)
                count += 1
                writer.write(b"+")  # acknowledge each message
                await writer.drain()
    except asyncio.IncompleteReadError as error:  # EOF before n bytes arrived
        if not error.partial:  # EOF between two messages
            return f"closed after {count} messages"
        return f"closed mid-message after {count} messages ({error.partial!r})"
    except OSError as error:  # a reset, a broken pipe, or the kernel gave up
        if isinstance(error, TimeoutError) and error.errno is None:
            # asyncio.timeout() expired: no FIN, no RST, no message
            return f"timed out after {count} messages ({IDLE_TIMEOUT:.0f} s idle)"
        # ConnectionResetError, BrokenPipeError, TimeoutError (ETIMEDOUT: data or
        # keepalive probes went unacknowledged), OSError (EHOSTUNREACH), ...
        return f"connection lost after {count} messages ({type(error).__name__})"
    finally:
        await hang_up(writer)


async def hang_up(writer: asyncio.StreamWriter) -> None:
    """Close this side; a peer that will not take the last bytes is cut off."""
    writer.close()  # FIN, once what is buffered has been sent
    try:
        await asyncio.wait_for(writer.wait_closed(), TIMEOUT)
    except TimeoutError:  # (or a kernel's ETIMEDOUT: abort() then does nothing)
        writer.transport.abort()  # discard the unsent bytes and close at once
    except OSError:
        pass  # wait_closed() re-raises the error that broke the connection


def message(body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + body


async def polite(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    for body in (b"hello", b"bye"):
        writer.write(message(body))
        await asyncio.wait_for(reader.readexactly(1), TIMEOUT)  # the server's ack
    writer.close()  # FIN: "I have nothing more to send"


async def truncated(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(message(b"complete"))
    await asyncio.wait_for(reader.readexactly(1), TIMEOUT)
    writer.write(message(b"cut short")[:7])  # the length, then only 3 of 9 bytes
    writer.close()


async def rude(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(message(b"hello"))
    await asyncio.wait_for(reader.readexactly(1), TIMEOUT)
    sock = writer.get_extra_info("socket")  # linger 0: close with RST, not FIN
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def greedy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"\xff\xff\xff\xff")  # a header that claims a 4 GiB message
    await asyncio.wait_for(reader.read(), TIMEOUT)  # until the server hangs up


Client = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def main() -> dict[str, str]:
    handlers: list[asyncio.Task[str]] = []

    def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.append(asyncio.create_task(receive(reader, writer)))

    server = await asyncio.start_server(on_connect, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    clients: dict[str, Client] = {
        "polite": polite,
        "truncated": truncated,
        "rude": rude,
        "greedy": greedy,
    }
    seen = {}
    try:
        for name, client in clients.items():
            connecting = asyncio.open_connection(HOST, port)
            reader, writer = await asyncio.wait_for(connecting, TIMEOUT)
            try:
                await client(reader, writer)
            finally:
                writer.close()
                await writer.wait_closed()
            seen[name] = await asyncio.wait_for(handlers[-1], TIMEOUT)
            print(f"{name:>9}: {seen[name]}")
    finally:
        server.close()
        await server.wait_closed()
        await asyncio.gather(*handlers)
    return seen


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
