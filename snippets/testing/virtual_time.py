"""How do I test code that sleeps or times out without waiting? Fake the clock."""

# --8<-- [start:recipe]
import asyncio
import os
import re
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

# test_reply.py: tests of a 60 s timeout that take milliseconds, thanks to looptime.
TEST_FILE = """
import asyncio
import time

import pytest


async def wait_for_reply(reply: asyncio.Future[str], timeout: float = 60) -> str:
    '''The code under test: give up after `timeout` seconds.'''
    return await asyncio.wait_for(reply, timeout)


async def test_gives_up_after_a_minute(looptime: float) -> None:
    started = time.perf_counter()
    reply = asyncio.get_running_loop().create_future()
    with pytest.raises(TimeoutError):
        await wait_for_reply(reply)
    assert looptime == 60  # the loop's clock moved a minute...
    assert time.perf_counter() - started < 1  # ...the real one did not


async def test_returns_the_reply_in_time(looptime: float) -> None:
    reply = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(30, reply.set_result, "pong")
    assert await wait_for_reply(reply) == "pong"
    assert looptime == 30


@pytest.mark.looptime(False)  # real clock: for threads, processes, real I/O
async def test_real_work_on_the_real_clock() -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.to_thread(time.sleep, 0.2)
    assert loop.time() - start >= 0.2
"""

SETTINGS = {
    "asyncio_mode": "auto",
    "asyncio_default_fixture_loop_scope": "function",
    "filterwarnings": "error",
}


async def run_pytest(folder: Path, *args: str) -> tuple[int, list[str]]:
    """Run pytest on `folder`: its exit code and its report, one line per test."""
    ini = ["[pytest]", *(f"{key} = {value}" for key, value in SETTINGS.items())]
    (folder / "pytest.ini").write_text("\n".join(ini) + "\n", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider"],
        *["-o", "console_output_style=classic", *args, str(folder)],
        cwd=folder,
        env={**os.environ, "COLUMNS": "200"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    stdout, _ = await process.communicate()
    lines = stdout.decode().splitlines()
    report = [line for line in lines if line.startswith(("PASSED", "FAILED"))]
    summary = re.sub(r" in \d+\.\d+s", "", lines[-1].strip("= "))
    assert process.returncode is not None
    return process.returncode, [*report, summary]


# Without a plugin: let the code take its sleep function, and pass a fake in tests.
Sleep = Callable[[float], Awaitable[None]]


async def poll(ready: Callable[[], bool], every: float, sleep: Sleep) -> int:
    """The code under test: check every `every` seconds; return the number of checks."""
    checks = 1
    while not ready():
        await sleep(every)
        checks += 1
    return checks


async def test_poll_with_a_fake_sleep() -> tuple[int, list[float]]:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)  # record the wait instead of waiting

    answers = iter([False, False, True])
    checks = await poll(lambda: next(answers), every=5.0, sleep=fake_sleep)
    return checks, slept


async def main() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "test_reply.py").write_text(TEST_FILE, encoding="utf-8")
        code, report = await run_pytest(Path(tmp), "--looptime")
    print(f"pytest --looptime: exit code {code}")
    for line in report:
        print(f"  {line}")
    checks, slept = await test_poll_with_a_fake_sleep()
    print(f"fake sleep: ready after {checks} checks, slept {slept} without waiting")
    return {"pytest": (code, report), "poll": (checks, slept)}


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
