"""How do I write a TCP server and client with asyncio streams? An uppercase server."""

# --8<-- [start:recipe]
import asyncio

HOST = "127.0.0.1"
TIMEOUT = 5.0  # seconds: every wait on the network gets one


async def uppercase(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Serve one connection: answer each line in upper case until the client leaves."""
    try:
        while line := await reader.readline():  # b"" once the client has closed
            writer.write(line.upper())
            await writer.drain()  # wait if the client is slow to read
    finally:
        writer.close()
        await writer.wait_closed()


async def ask(port: int, lines: list[str]) -> list[str]:
    """Connect, send each line, read each reply, then close the connection."""
    connecting = asyncio.open_connection(HOST, port)
    reader, writer = await asyncio.wait_for(connecting, TIMEOUT)
    try:
        replies = []
        for line in lines:
            writer.write(f"{line}\n".encode())  # "\n" frames the message
            await writer.drain()
            reply = await asyncio.wait_for(reader.readline(), TIMEOUT)
            replies.append(reply.decode().rstrip("\n"))
        return replies
    finally:
        writer.close()
        await writer.wait_closed()


async def main() -> list[list[str]]:
    handlers: set[asyncio.Task[None]] = set()

    def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Called for each new connection: keep its task so shutdown can await it.
        handlers.add(asyncio.create_task(uppercase(reader, writer)))

    server = await asyncio.start_server(on_connect, HOST, 0)  # port 0: the OS picks one
    port = server.sockets[0].getsockname()[1]
    try:
        replies = await asyncio.gather(
            ask(port, ["hello", "world"]),
            ask(port, ["asyncio", "streams"]),
        )
    finally:
        server.close()  # stop accepting new connections
        await server.wait_closed()
        await asyncio.gather(*handlers)  # let open connections finish
    for number, answers in enumerate(replies, start=1):
        print(f"client {number} got {answers}")
    print(f"server closed after {len(handlers)} connections")
    return list(replies)  # a list already: type checkers see a tuple


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
