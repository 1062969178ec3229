"""How do I build a chat server that broadcasts to many clients?"""

# --8<-- [start:server]
import asyncio
import socket

HOST = "127.0.0.1"
TIMEOUT = 5.0  # seconds: every wait on the network gets one
SEND_TIMEOUT = 3.0  # a client that accepts no data for this long is dropped


class ChatServer:
    """Each line a client sends goes to every connected client."""

    def __init__(self) -> None:
        self.outboxes: dict[str, asyncio.Queue[bytes | None]] = {}
        self.sessions: set[asyncio.Task[None]] = set()
        self.dropped: asyncio.Queue[str] = asyncio.Queue()  # names, as they go

    async def start(self) -> int:
        self.server = await asyncio.start_server(self.on_connect, HOST, 0)
        return self.server.sockets[0].getsockname()[1]  # port 0: the OS picked it

    def on_connect(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.sessions.add(asyncio.create_task(self.session(reader, writer)))

    def broadcast(self, line: str) -> None:
        data = f"{line}\n".encode()
        for outbox in self.outboxes.values():
            outbox.put_nowait(data)  # never waits: a slow client delays nobody

    async def session(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        # Cap what the kernel buffers for this client (Linux grows it to MBs), so a
        # client that stops reading blocks drain() after about 0.5 MB, not 5 MB.
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        outbox: asyncio.Queue[bytes | None] = asyncio.Queue()
        sender = asyncio.create_task(self.send(outbox, writer))
        name = ""
        try:
            name = (await asyncio.wait_for(reader.readline(), TIMEOUT)).decode().strip()
            self.outboxes[name] = outbox
            outbox.put_nowait(f"welcome {name}\n".encode())
            async for line in reader:  # until the client leaves or is dropped
                self.broadcast(f"{name}: {line.decode().rstrip()}")
        except (TimeoutError, ConnectionError):
            pass  # no name in time, or the connection was reset
        finally:
            self.outboxes.pop(name, None)
            outbox.put_nowait(None)  # tell the sender to finish
            if not await sender:
                self.dropped.put_nowait(name)

    async def send(
        self, outbox: asyncio.Queue[bytes | None], writer: asyncio.StreamWriter
    ) -> bool:
        """The only coroutine that writes to this client: one drain() at a time."""
        try:
            while (data := await outbox.get()) is not None:
                writer.write(data)
                if outbox.empty():  # all queued lines written: wait for the client
                    await asyncio.wait_for(writer.drain(), SEND_TIMEOUT)
            writer.close()  # sends what is buffered, then FIN
            await asyncio.wait_for(writer.wait_closed(), SEND_TIMEOUT)
        except (TimeoutError, ConnectionError):
            writer.transport.abort()  # too slow, or gone: cut it off, drop its backlog
            return False
        return True

    async def close(self) -> None:
        """Stop accepting, say goodbye, let every session finish."""
        self.server.close()
        self.broadcast("* server shutting down")
        for outbox in self.outboxes.values():
            outbox.put_nowait(None)  # each sender flushes, then hangs up
        await asyncio.gather(*self.sessions)
        await self.server.wait_closed()


# --8<-- [end:server]
# --8<-- [start:demo]
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def join(port: int, name: str) -> Connection:
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(HOST, port), TIMEOUT
    )
    writer.write(f"{name}\n".encode())
    await asyncio.wait_for(reader.readline(), TIMEOUT)  # "welcome": we are in
    return reader, writer


async def say(connection: Connection, text: str) -> None:
    _, writer = connection
    writer.write(f"{text}\n".encode())
    await asyncio.wait_for(writer.drain(), TIMEOUT)


async def read_lines(connection: Connection, count: int | None = None) -> list[str]:
    """Read `count` lines, or all lines until the server hangs up."""
    reader, writer = connection
    lines = []
    while len(lines) != count and (line := await reader.readline()):
        lines.append(line.decode().rstrip())
    if count is None:
        writer.close()
        await writer.wait_closed()
    return lines


async def main(clients: int = 20) -> dict[str, list[str]]:
    chat = ChatServer()
    port = await chat.start()

    # A client that never reads, while another one floods the room with 1.6 MB.
    slowpoke = await join(port, "slowpoke")
    flooder = await join(port, "flooder")
    echoes = asyncio.create_task(asyncio.wait_for(read_lines(flooder, 100), TIMEOUT))
    for _ in range(100):
        await say(flooder, "x" * 16_000)
    name = await asyncio.wait_for(chat.dropped.get(), TIMEOUT + SEND_TIMEOUT)
    print(f"{name} dropped: it accepted nothing for {SEND_TIMEOUT:.0f} s")
    print(f"flooder got {len(await echoes)} of its 100 lines back in the meantime")
    for connection in (flooder, slowpoke):
        connection[1].write_eof()  # leave: the server hangs up
        await asyncio.wait_for(read_lines(connection), TIMEOUT)

    # Many clients at once: every message must reach every client.
    names = [f"user{n:03}" for n in range(clients)]
    everyone = await asyncio.gather(*(join(port, name) for name in names))
    print(f"{len(chat.outboxes)} clients connected")
    await asyncio.gather(
        *(say(c, f"hi from {n}") for c, n in zip(everyone, names, strict=True))
    )
    receiving = asyncio.gather(*(read_lines(c, clients) for c in everyone))
    inboxes = await asyncio.wait_for(receiving, TIMEOUT)
    complete = sum(1 for inbox in inboxes if len(set(inbox)) == clients)
    print(f"{complete} of {clients} clients received all {clients} messages")

    await chat.close()  # each client gets the goodbye, then the end of the stream
    hanging_up = asyncio.gather(*(read_lines(c) for c in everyone))
    goodbyes = await asyncio.wait_for(hanging_up, TIMEOUT)
    print(f"then: {goodbyes[0]}")
    return dict(zip(names, inboxes, strict=True))


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:demo]
