"""How do I send and receive UDP datagrams? An uppercase server and a client."""

# --8<-- [start:recipe]
import asyncio
from typing import cast

HOST = "127.0.0.1"
TIMEOUT = 2.0  # seconds: a lost datagram is never re-sent, so always time out


class Endpoint(asyncio.DatagramProtocol):
    """Collects what arrives on a queue; datagram_received is a plain callback."""

    def __init__(self) -> None:
        self.received: asyncio.Queue[tuple[bytes, tuple[str, int]]] = asyncio.Queue()
        self.errors: list[OSError] = []
        self.closed = asyncio.get_running_loop().create_future()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.received.put_nowait((data, addr))

    # asyncio passes an OSError, as documented; typeshed declares Exception.
    def error_received(self, exc: OSError) -> None:  # type: ignore[override]
        self.errors.append(exc)  # an ICMP error, or a send that failed

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set_result(None)


class UppercaseServer(Endpoint):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.transport.sendto(data.upper(), addr)  # reply to whoever sent it


async def main() -> list[str]:
    loop = asyncio.get_running_loop()
    server_transport, server = await loop.create_datagram_endpoint(
        UppercaseServer, local_addr=(HOST, 0)
    )  # port 0: the OS picks a free port
    port = server_transport.get_extra_info("sockname")[1]
    client_transport, client = await loop.create_datagram_endpoint(
        Endpoint, remote_addr=(HOST, port)
    )  # "connected": sendto() needs no address, replies only from there
    replies = []
    try:
        for word in ("ping", "hello", "datagram"):
            client_transport.sendto(word.encode())
            data, _ = await asyncio.wait_for(client.received.get(), TIMEOUT)
            replies.append(data.decode())
            print(f"sent {word!r}, got {data.decode()!r}")
    finally:
        client_transport.close()  # no wait_closed() here: wait for connection_lost
        server_transport.close()
        await asyncio.gather(client.closed, server.closed)
    return replies


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
