"""Claims of docs/subprocesses/run-subprocess.md (real child processes: real clock)."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main

pytestmark = pytest.mark.looptime(False)


async def test_returns_each_childs_exit_code_and_output_in_argument_order(recipe):
    run = await run_main(recipe)
    assert run.result == [
        (0, "a slept 1.0 s"),
        (0, "b slept 0.5 s"),
        (3, "c slept 1.5 s"),
    ]


async def test_a_non_zero_exit_code_does_not_raise(recipe):
    code, output = await load_module(recipe).run("x", 0.0, 7)
    assert (code, output) == (7, "x slept 0.0 s")


async def test_three_children_take_about_the_longest_not_the_sum(recipe):
    run = await run_main(recipe)
    assert run.elapsed >= 1.5  # the slowest child sleeps 1.5 s
    assert run.elapsed < 3.0  # one after the other they would sleep 3.0 s
    assert run.output.splitlines()[-1].endswith("(the children sleep 3.00 s in all)")


async def test_the_loop_keeps_running_while_children_run(recipe):
    module = load_module(recipe)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.1)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    try:
        await module.run("x", 1.0, 0)
    finally:
        ticking.cancel()
        with pytest.raises(asyncio.CancelledError):
            await ticking
    assert ticks >= 5  # about 10 ticks while the child slept 1 s


async def test_exec_passes_arguments_untouched_without_a_shell(recipe):
    tricky = "two words; echo $HOME 'quoted' | more"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys; print(sys.argv[1])",
        tricky,
        stdout=asyncio.subprocess.PIPE,
    )
    stdout, _ = await process.communicate()
    assert stdout.decode().rstrip("\r\n") == tricky


async def test_wait_with_a_full_pipe_deadlocks_but_communicate_does_not(recipe):
    """The child writes 1 MB; the pipe plus asyncio's read buffer hold a few hundred
    KiB, so the child blocks until someone reads, and wait() (which does not read)
    never returns."""
    child = "import sys; sys.stdout.write('x' * 1_000_000)"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", child, stdout=asyncio.subprocess.PIPE
    )
    try:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), 3.0)
        assert process.returncode is None  # still stuck writing
        stdout, _ = await asyncio.wait_for(process.communicate(), 30)
        assert len(stdout) == 1_000_000
        assert process.returncode == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()
