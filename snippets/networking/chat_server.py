"""How do I build a chat server that broadcasts to many clients?"""

# --8<-- [start:server]
import asyncio
import socket

HOST = "127.0.0.1"
TIMEOUT = 5.0  # seconds: every wait on the network gets one
SEND_TIMEOUT = 3.0  # a client that accepts no data for this long is dropped
OUTBOX_SIZE = 100  # lines queued for one client: a client this far behind is dropped
LINE_LIMIT = 64 * 1024  # bytes in one line (StreamReader's default): more is dropped


class Client:
    """One connection: its name, its socket, and the lines queued for it."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.name = ""
        self.writer = writer
        self.outbox: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.leaving = False
        self.dropped_for = ""  # why the server cut it off, if it did

    def post(self, data: bytes) -> None:
        """Queue a line without waiting; a client whose outbox is full is dropped."""
        if self.leaving:
            return
        if self.outbox.qsize() >= OUTBOX_SIZE:
            self.drop(f"{OUTBOX_SIZE} lines behind")
        else:
            self.outbox.put_nowait(data)

    def hang_up(self) -> None:
        """Have the sender write what is queued, then close the connection."""
        if not self.leaving:
            self.leaving = True
            self.outbox.put_nowait(None)

    def drop(self, reason: str) -> None:
        """Close the connection now, discarding whatever is queued for it."""
        self.dropped_for = self.dropped_for or reason
        self.writer.transport.abort()
        self.hang_up()


def text(line: bytes) -> str:
    """Never raises: bad UTF-8 becomes U+FFFD."""
    return line.decode(errors="replace").rstrip()


class ChatServer:
    """Each line a client sends goes to every connected client."""

    def __init__(self) -> None:
        self.clients: dict[str, Client] = {}  # by name: names are unique
        self.sessions: set[asyncio.Task[None]] = set()  # running ones only
        # (name, why) of clients the server cut off: the first 100 not yet taken
        self.dropped: asyncio.Queue[tuple[str, str]] = asyncio.Queue(100)

    async def start(self) -> int:
        self.server = await asyncio.start_server(
            self.on_connect, HOST, 0, limit=LINE_LIMIT
        )
        port: int = self.server.sockets[0].getsockname()[1]  # port 0: the OS picked it
        return port

    def on_connect(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        session = asyncio.create_task(self.session(reader, writer))
        self.sessions.add(session)
        session.add_done_callback(self.sessions.discard)  # finished: let it go

    def broadcast(self, line: str) -> None:
        data = f"{line}\n".encode()
        for client in self.clients.values():
            client.post(data)  # never waits: a slow client delays nobody

    async def session(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        # Cap what the kernel buffers for this client (Linux grows it to MBs), so a
        # client that stops reading blocks drain() after about 0.5 MB, not 5 MB.
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        client = Client(writer)
        sender = asyncio.create_task(self.send(client))
        try:
            name = text(await asyncio.wait_for(reader.readline(), TIMEOUT)).strip()
            if name in self.clients:  # the first client keeps its name
                client.post(f"* the name {name} is taken\n".encode())
            elif name:  # an empty one: the client left without a name
                client.name = name
                self.clients[name] = client
                client.post(f"welcome {name}\n".encode())
                async for line in reader:  # until the client leaves or is dropped
                    self.broadcast(f"{name}: {text(line)}")
        except ValueError:  # from readline() only: a line over LINE_LIMIT
            client.drop(f"sent a line over {LINE_LIMIT} bytes")
        except (TimeoutError, ConnectionError):
            pass  # no name in time, or the connection was reset
        finally:
            if self.clients.get(client.name) is client:
                del self.clients[client.name]
            client.hang_up()  # the sender flushes and closes
            await sender
            if client.dropped_for and not self.dropped.full():
                self.dropped.put_nowait((client.name, client.dropped_for))

    async def send(self, client: Client) -> None:
        """The only coroutine that writes to this client: one drain() at a time."""
        writer = client.writer
        try:
            while (data := await client.outbox.get()) is not None:
                if writer.is_closing():  # dropped, or reset: the rest is discarded
                    break
                writer.write(data)
                async with asyncio.timeout(SEND_TIMEOUT):  # waits when buffers are full
                    await writer.drain()
            writer.close()  # sends what is buffered, then FIN
            await asyncio.wait_for(writer.wait_closed(), SEND_TIMEOUT)
        except TimeoutError:
            client.drop(f"accepted nothing for {SEND_TIMEOUT:.0f} s")
        except ConnectionError:
            client.drop("connection lost")

    async def close(self) -> None:
        """Stop accepting, say goodbye, let every session finish."""
        self.server.close()
        self.broadcast("* server shutting down")
        for client in self.clients.values():
            client.hang_up()  # each sender flushes, then hangs up
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
    lines: list[str] = []
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
    name, reason = await asyncio.wait_for(chat.dropped.get(), TIMEOUT + SEND_TIMEOUT)
    print(f"{name} dropped: it {reason}")
    print(f"flooder got {len(await echoes)} of its 100 lines back in the meantime")
    for connection in (flooder, slowpoke):
        connection[1].write_eof()  # leave: the server hangs up
        await asyncio.wait_for(read_lines(connection), TIMEOUT)

    # Many clients at once: every message must reach every client.
    names = [f"user{n:03}" for n in range(clients)]
    everyone = await asyncio.gather(*(join(port, name) for name in names))
    print(f"{len(chat.clients)} clients connected")
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
