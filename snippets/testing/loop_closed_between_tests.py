"""Why do I get "Event loop is closed" between pytest-asyncio tests? Share the loop."""

# --8<-- [start:recipe]
import asyncio
import os
import re
import sys
import tempfile
from pathlib import Path

# conftest.py: an HTTP server in a thread, so it answers whichever loop a test runs in.
CONFTEST = """
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open for the next request

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:  # no log lines in the report
        pass


@pytest.fixture(scope="session")
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join()
"""

# test_app.py: an httpx client and a raw connection, each made once by a fixture and
# used by two tests. str.format() fills in {scope} and {mark}, the variant (VARIANTS
# below), and writes {{port}} as {port}.
TEST_FILE = """
import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]
{mark}

@pytest_asyncio.fixture{scope}
async def client(port: int) -> AsyncIterator[httpx.AsyncClient]:
    base_url = f"http://127.0.0.1:{{port}}"
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as client:
        yield client


@pytest_asyncio.fixture{scope}
async def connection(port: int) -> AsyncIterator[Connection]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    yield reader, writer
    writer.close()
    await writer.wait_closed()


async def get(connection: Connection) -> bytes:
    reader, writer = connection
    writer.write(b"GET / HTTP/1.1\\r\\nHost: test\\r\\n\\r\\n")
    await reader.readuntil(b"\\r\\n\\r\\n")  # the status line and headers
    return await reader.readexactly(5)


async def test_client_once(client: httpx.AsyncClient) -> None:
    assert (await client.get("/")).text == "hello"


async def test_client_again(client: httpx.AsyncClient) -> None:
    assert (await client.get("/")).text == "hello"


async def test_connection_once(connection: Connection) -> None:
    assert await get(connection) == b"hello"


async def test_connection_again(connection: Connection) -> None:
    assert await get(connection) == b"hello"
"""

MODULE = '(scope="module", loop_scope="module")'  # one per module, in its loop
SHARE_LOOP = 'pytestmark = pytest.mark.asyncio(loop_scope="module")'
VARIANTS = {
    "module-scoped fixtures, tests in their own loops": {"scope": MODULE, "mark": ""},
    "fix 1: the tests run in the module's loop too": {
        "scope": MODULE,
        "mark": SHARE_LOOP,
    },
    "fix 2: a client and a connection per test": {"scope": "", "mark": ""},
}
# --8<-- [end:recipe]

# --8<-- [start:run]
SETTINGS = {
    "asyncio_mode": "auto",
    "asyncio_default_fixture_loop_scope": "function",
    "filterwarnings": "error",
}


def normalise(line: str) -> str:
    """Drop what changes from run to run: timings, and the task's name and path."""
    line = re.sub(r" in \d+\.\d+s", "", line.strip("= "))
    return re.sub(r"<Task pending .*> got", "<Task pending ...> got", line)


async def run_pytest(folder: Path) -> tuple[int, list[str]]:
    """Run pytest in `folder`: its exit code, its failures and its summary line."""
    ini = ["[pytest]", *(f"{key} = {value}" for key, value in SETTINGS.items())]
    (folder / "pytest.ini").write_text("\n".join(ini) + "\n", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "pytest", "-q", "--tb=no", "-p", "no:cacheprovider"],
        *["-o", "console_output_style=classic", str(folder)],
        cwd=folder,
        env={**os.environ, "COLUMNS": "1000"},  # failure messages in full
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    stdout, _ = await process.communicate()
    lines = stdout.decode().splitlines()
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    summary = [line for line in lines if re.search(r"\d+ \w+ in \d+\.\d+s", line)]
    assert process.returncode is not None
    return process.returncode, [normalise(line) for line in failed + summary]


async def main() -> dict[str, tuple[int, list[str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        folders = [Path(tmp, f"run{i}") for i in range(len(VARIANTS))]
        for folder, variant in zip(folders, VARIANTS.values(), strict=True):
            folder.mkdir()
            (folder / "conftest.py").write_text(CONFTEST, encoding="utf-8")
            test_file = TEST_FILE.format(**variant)
            (folder / "test_app.py").write_text(test_file, encoding="utf-8")
        runs = await asyncio.gather(*map(run_pytest, folders))  # side by side
    results = dict(zip(VARIANTS, runs, strict=True))
    for label, (code, report) in results.items():
        print(f"{label}: exit code {code}")
        for line in report:
            print(f"  {line}")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:run]
