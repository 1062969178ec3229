"""How do I test asyncio code with unittest? IsolatedAsyncioTestCase."""

# --8<-- [start:recipe]
import asyncio
import io
import unittest

import uvloop

EVENTS: list[str] = []  # what ran, in order, for the demo
LOOPS: list[asyncio.AbstractEventLoop] = []  # the loop of each test


async def handle_echo(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """The code under test: a server that sends each line back in upper case."""
    while line := await reader.readline():
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()


class EchoServerTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        EVENTS.append(f"{self._testMethodName}: asyncSetUp")
        LOOPS.append(asyncio.get_running_loop())
        self.server = await asyncio.start_server(handle_echo, "127.0.0.1", 0)
        self.addAsyncCleanup(self.stop_server)  # runs even if the test fails
        port = self.server.sockets[0].getsockname()[1]
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)

    async def stop_server(self) -> None:
        EVENTS.append(f"{self._testMethodName}: cleanup stops the server")
        self.server.close()
        await self.server.wait_closed()

    async def asyncTearDown(self) -> None:
        EVENTS.append(f"{self._testMethodName}: asyncTearDown")
        self.writer.close()
        await self.writer.wait_closed()

    async def test_echo_upper_case(self) -> None:
        EVENTS.append("test_echo_upper_case: test")
        self.writer.write(b"hello\n")
        reply = await asyncio.wait_for(self.reader.readline(), timeout=5)
        self.assertEqual(reply, b"HELLO\n")  # noqa: PT009

    async def test_server_closes_after_eof(self) -> None:
        EVENTS.append("test_server_closes_after_eof: test")
        self.writer.write_eof()
        data = await asyncio.wait_for(self.reader.read(), timeout=5)
        self.assertEqual(data, b"")  # noqa: PT009


# --8<-- [end:recipe]
# --8<-- [start:loop-factory]
class EchoServerOnUvloopTest(EchoServerTest):
    """The same tests, each in a new uvloop loop. Python 3.13+: 3.11 and 3.12
    ignore loop_factory and run asyncio's default loop."""

    loop_factory = uvloop.Loop  # a class; a function needs staticmethod(...)


# --8<-- [end:loop-factory]
# --8<-- [start:run]
def run_tests() -> unittest.TestResult:
    """What `python -m unittest` does, with the report kept in a string."""
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(EchoServerTest)
    runner = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0)
    return runner.run(suite)


async def main() -> dict[str, object]:
    # Each test case runs its own event loop, which cannot start inside this one:
    # run the tests in a thread (from a plain script, call unittest.main()).
    result = await asyncio.to_thread(run_tests)
    print(f"ran {result.testsRun} tests, success: {result.wasSuccessful()}")
    for event in EVENTS:
        print(f"  {event}")
    distinct = len({id(loop) for loop in LOOPS})
    closed = all(loop.is_closed() for loop in LOOPS)
    print(f"event loops: {distinct} for {len(LOOPS)} tests, all closed: {closed}")
    return {
        "run": result.testsRun,
        "ok": result.wasSuccessful(),
        "events": list(EVENTS),
        "loops": distinct,
        "closed": closed,
    }


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:run]
