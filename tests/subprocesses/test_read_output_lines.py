"""Claims of docs/subprocesses/read-output-lines.md (real child processes: real clock)."""

import asyncio
import os
import re
import sys

import pytest

from tests.support import run_main

pytestmark = pytest.mark.looptime(False)

# Three lines half a second apart, printed WITHOUT flush=True.
UNFLUSHED = """
import time
for step in range(1, 4):
    print(f"step {step}")
    time.sleep(0.5)
"""


async def arrival_times(child: str, **kwargs) -> list[float]:
    """When each line of the child's output reached us, in loop seconds."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", child, stdout=asyncio.subprocess.PIPE, **kwargs
    )
    times = [loop.time() - start async for _ in process.stdout]
    assert await process.wait() == 0
    return times


async def test_every_line_arrives_while_the_child_is_still_running(recipe):
    run = await run_main(recipe)
    assert run.result == [
        ("step 1 of 3 done", True),
        ("step 2 of 3 done", True),
        ("step 3 of 3 done", True),
    ]
    assert run.output.splitlines()[-1].endswith("child exited with 0")


async def test_lines_arrive_as_they_are_printed_not_all_at_the_end(recipe):
    run = await run_main(recipe)
    times = [float(t) for t in re.findall(r"^(\d+\.\d+) s", run.output, re.M)]
    first, second, third, exited = times
    assert second - first >= 0.4  # the child sleeps 0.5 s between lines
    assert third - second >= 0.4
    assert exited - third >= 0.4  # and 0.5 s after the last one


async def test_without_flush_the_lines_arrive_together_when_the_child_exits(recipe):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    times = await arrival_times(UNFLUSHED, env=env)
    assert times[0] >= 1.5  # nothing until the child exits after 3 x 0.5 s
    assert times[-1] - times[0] < 0.4  # then all three in one piece


async def test_pythonunbuffered_streams_an_unflushed_python_child(recipe):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    times = await arrival_times(UNFLUSHED, env=env)
    assert times[-1] - times[0] >= 0.9  # spread out over the child's two sleeps


async def test_a_line_longer_than_the_limit_raises_value_error(recipe):
    child = "print('x' * 100_000)"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", child, stdout=asyncio.subprocess.PIPE
    )
    with pytest.raises(ValueError, match="limit"):
        async for _ in process.stdout:  # default limit: 64 KiB per line
            pass
    process.kill()  # the child may be blocked writing the rest
    await process.communicate()

    roomy = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        child,
        stdout=asyncio.subprocess.PIPE,
        limit=1024 * 1024,
    )
    lines = [line async for line in roomy.stdout]
    assert await roomy.wait() == 0
    assert [len(line.rstrip()) for line in lines] == [100_000]
