"""How do I fix "Timeout context manager should be used inside a task"?"""

# --8<-- [start:recipe]
import asyncio

import aiohttp


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A tiny local HTTP server, so the recipe needs no network."""
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def fetch(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as response:
        return f"{response.status} {await response.text()}"


async def open_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()


async def session_from_another_loop(url: str) -> str:
    """The bug: the session belongs to another event loop, which is still open
    (like a session made with loop.run_until_complete() before asyncio.run())."""
    other = asyncio.new_event_loop()
    # A worker thread runs `other` just long enough to create the session.
    session = await asyncio.to_thread(other.run_until_complete, open_session())
    try:
        return await fetch(session, url)
    except RuntimeError as exc:
        return f"RuntimeError: {exc}"
    finally:
        await asyncio.to_thread(other.run_until_complete, session.close())
        other.close()


async def main() -> dict[str, str]:
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    async with server:
        bug = await session_from_another_loop(url)
        print(f"bug: {bug}")
        # The fix: create the session in the loop (and task) that uses it.
        async with aiohttp.ClientSession() as session:
            fixed = await fetch(session, url)
        print(f"fix: session made in this loop -> {fixed}")
    return {"bug": bug, "fixed": fixed}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
