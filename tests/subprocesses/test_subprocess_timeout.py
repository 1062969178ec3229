"""Claims of docs/subprocesses/subprocess-timeout.md (real child processes: real clock)."""

import asyncio
import os
import signal
import sys

import pytest

from tests.support import load_module, run_main

pytestmark = pytest.mark.looptime(False)
posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="signals and process groups are POSIX"
)


async def start(code: str, **kwargs) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE, **kwargs
    )


def reaped(pid: int) -> bool:
    """True when no zombie is left: the pid is no longer our child at all."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


async def test_the_quick_child_finishes_and_the_stuck_one_is_killed(recipe):
    run = await run_main(recipe)
    assert run.result == [0, -signal.SIGKILL]  # -9: killed by SIGKILL
    lines = run.output.splitlines()
    assert lines[0].startswith("quick: 'quick result' after")
    assert lines[2].startswith("stuck: killed after")
    assert lines[1::2] == ["quick: returncode 0", "stuck: returncode -9"]


async def test_the_timeout_is_respected_not_the_childs_60_seconds(recipe):
    run = await run_main(recipe)
    assert 1.0 <= run.elapsed < 30  # the stuck child would sleep 60 s


@posix_only
async def test_after_a_timeout_the_child_is_dead_and_reaped(recipe):
    module = load_module(recipe)
    process = await start(module.STUCK)
    with pytest.raises(TimeoutError):
        await module.communicate_or_kill(process, 0.5)
    assert process.returncode == -signal.SIGKILL
    assert reaped(process.pid)  # no zombie left behind
    with pytest.raises(ProcessLookupError):  # a zombie would still take signal 0
        os.kill(process.pid, 0)


async def test_cancelling_the_caller_also_kills_the_child(recipe):
    module = load_module(recipe)
    process = await start(module.STUCK)
    task = asyncio.create_task(module.communicate_or_kill(process, 30))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert process.returncode is not None  # killed and reaped in the finally


@posix_only
async def test_a_timeout_alone_leaves_the_child_running(recipe):
    module = load_module(recipe)
    process = await start(module.STUCK)
    try:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):
                await process.communicate()
        assert process.returncode is None
        os.kill(process.pid, 0)  # signal 0: raises if the process is gone; it is not
    finally:
        process.kill()
        await process.wait()


@posix_only
async def test_wait_for_times_out_the_same_way_and_leaves_the_child_running(recipe):
    module = load_module(recipe)
    process = await start(module.STUCK)
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(process.communicate(), 0.5)
        assert process.returncode is None
        os.kill(process.pid, 0)
    finally:
        process.kill()
        await process.wait()


async def test_kill_only_sends_the_signal_wait_collects_the_exit(recipe):
    module = load_module(recipe)
    process = await start(module.STUCK)
    process.kill()
    assert process.returncode is None  # not known until the loop sees the exit
    assert await process.wait() == (-signal.SIGKILL if sys.platform != "win32" else 1)


@posix_only
async def test_terminate_is_sigterm_and_a_child_can_ignore_it(recipe):
    polite = await start("import time; time.sleep(60)")
    polite.terminate()
    assert await polite.wait() == -signal.SIGTERM  # -15

    stubborn_code = (
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        " print('ready', flush=True); time.sleep(60)"
    )
    stubborn = await start(stubborn_code)
    await stubborn.stdout.readline()  # its handler is installed
    stubborn.terminate()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(1.0):  # the grace period runs out
            await stubborn.wait()
    stubborn.kill()  # SIGKILL cannot be ignored
    assert await stubborn.wait() == -signal.SIGKILL


GRANDPARENT = """
import subprocess, sys, time
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print(grandchild.pid, flush=True)
time.sleep(60)
"""


@posix_only
async def test_kill_does_not_kill_grandchildren_and_their_pipe_stays_open(recipe):
    process = await start(GRANDPARENT)
    grandchild = int(await process.stdout.readline())
    try:
        process.kill()
        with pytest.raises(TimeoutError):  # the grandchild holds stdout open
            async with asyncio.timeout(1.0):
                await process.communicate()
        assert process.returncode == -signal.SIGKILL  # yet the child itself is dead
        os.kill(grandchild, 0)  # and the grandchild is alive
    finally:
        os.kill(grandchild, signal.SIGKILL)
    stdout, _ = await asyncio.wait_for(process.communicate(), 10)  # now it ends
    assert stdout == b""


@posix_only
async def test_killpg_on_a_new_session_kills_the_whole_tree(recipe):
    process = await start(GRANDPARENT, start_new_session=True)  # own process group
    await process.stdout.readline()  # the grandchild has started
    os.killpg(process.pid, signal.SIGKILL)  # the child and everything it started
    # communicate() ends at once: nobody is left holding the pipe open.
    stdout, _ = await asyncio.wait_for(process.communicate(), 10)
    assert (stdout, process.returncode) == (b"", -signal.SIGKILL)
