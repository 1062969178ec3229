"""How do I use uvloop? The same asyncio program, run on uvloop's event loop."""

import asyncio
import sys

# --8<-- [start:recipe]
import uvloop

WORDS = ["alpha", "beta", "gamma"]


async def shout(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A tiny TCP server: answers each line in upper case."""
    while line := await reader.readline():
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def ask(port: int, word: str) -> str:
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port), timeout=5
    )
    writer.write(f"{word}\n".encode())
    answer = await asyncio.wait_for(reader.readline(), timeout=5)
    writer.close()
    await writer.wait_closed()
    return answer.decode().strip()


async def app() -> list[str]:
    """An ordinary asyncio program: nothing in it mentions uvloop."""
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(shout, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        answers = await asyncio.gather(*(ask(port, word) for word in WORDS))
    print(f"  loop: {type(loop).__module__}.{type(loop).__name__}")
    print(f"  answers: {answers}")
    return answers


def start() -> list[str]:
    """What your script's `if __name__ == "__main__":` block does."""
    return uvloop.run(app())  # instead of asyncio.run(app())


# --8<-- [end:recipe]
# --8<-- [start:loop-factory]
if sys.version_info >= (3, 12):

    def start_with_loop_factory() -> list[str]:
        # Python 3.12+: asyncio.run() itself takes the loop factory.
        return asyncio.run(app(), loop_factory=uvloop.new_event_loop)


# --8<-- [end:loop-factory]
# --8<-- [start:runner]
def start_runner() -> list[list[str]]:
    # Python 3.11+: several top-level calls sharing one uvloop loop.
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return [runner.run(app()), runner.run(app())]


# --8<-- [end:runner]
# --8<-- [start:fallback]
def start_anywhere() -> list[str]:
    # uvloop where it is installed (Linux, macOS), the default loop elsewhere.
    try:
        import uvloop  # noqa: PLC0415
    except ImportError:
        return asyncio.run(app())
    return uvloop.run(app())


# --8<-- [end:fallback]
def sync_program() -> list[str]:
    print("uvloop.run(app()):")
    answers = start()
    print("asyncio.run(app()), for comparison:")
    asyncio.run(app())
    return answers


# --8<-- [start:main]
async def main() -> list[str]:
    # The page's tests await main() inside a running loop, where no other loop can
    # start; so the program runs in a worker thread, where no loop runs yet.
    return await asyncio.to_thread(sync_program)


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:main]
