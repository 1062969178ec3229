"""Claims of docs/timeouts/cleanup-on-cancel.md."""

import asyncio
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from tests.support import load_module, run_main, timed

OUTPUT = [
    "0.00 s  connection opened",
    "2.00 s  job: cancelled",
    "2.25 s  job: temp file removed",
    "2.75 s  connection closed",
    "2.75 s  main: task cancelled: True",
]


async def test_cleanup_runs_innermost_first_and_its_awaits_complete(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == OUTPUT
    assert run.result is True
    assert run.elapsed == 2.75  # cancelled at 2 s + 0.25 s + 0.5 s of cleanup


async def test_without_cancellation_only_the_except_block_is_skipped(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.job(0.0))
    assert run.output.splitlines() == [
        "0.00 s  connection opened",
        "10.25 s  job: temp file removed",
        "10.75 s  connection closed",
    ]


async def test_the_task_is_not_done_while_it_cleans_up(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.job(0.0))
    await asyncio.sleep(2.0)
    task.cancel()
    await asyncio.sleep(0.5)
    assert not task.done()  # still closing the connection
    await asyncio.wait([task])
    assert task.cancelled()
    assert asyncio.get_running_loop().time() == 2.75


async def test_a_second_cancel_interrupts_the_cleanup(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.job(0.0))
    await asyncio.sleep(2.0)
    task.cancel()
    await asyncio.sleep(0.1)  # the job is awaiting inside its finally block
    task.cancel()
    run = await timed(lambda: asyncio.wait([task]))
    assert task.cancelled()
    assert "temp file removed" not in run.output  # that cleanup was cut short
    assert "connection closed" in run.output  # the outer one ran, from the start


async def test_asyncio_run_runs_the_cleanup_of_tasks_left_behind(recipe, capsys):
    module = load_module(recipe)

    async def forgetful_main() -> None:
        asyncio.create_task(module.job(0.0))  # noqa: RUF006 - left running on purpose
        await asyncio.sleep(1.0)

    await asyncio.to_thread(asyncio.run, forgetful_main())
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == [
        "connection opened",
        "job: cancelled",
        "job: temp file removed",
        "connection closed",
    ]


# The bug the page warns about, kept in a string: from 3.14 (PEP 765) compiling it
# warns, and under this suite's warnings-are-errors the test module would not compile.
RETURN_IN_FINALLY = """\
async def job_returning_from_finally():
    try:
        await asyncio.sleep(10.0)
    finally:
        return "cleaned up"  # the bug
"""


def compile_return_in_finally() -> tuple[Callable[[], Any], list[str]]:
    """The buggy coroutine function, and the warnings compiling it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = compile(RETURN_IN_FINALLY, "buggy.py", "exec")
    namespace: dict[str, Any] = {"asyncio": asyncio}
    exec(code, namespace)
    shown = [
        f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}" for w in caught
    ]
    return namespace["job_returning_from_finally"], shown


async def test_return_in_finally_swallows_the_cancellation(recipe):
    load_module(recipe)
    job_returning_from_finally, _ = compile_return_in_finally()
    task = asyncio.create_task(job_returning_from_finally())
    await asyncio.sleep(1.0)
    task.cancel()
    assert await task == "cleaned up"
    assert not task.cancelled()


def test_python_3_14_warns_about_return_in_finally(recipe):
    load_module(recipe)
    _, shown = compile_return_in_finally()
    if sys.version_info >= (3, 14):
        assert shown == ["buggy.py:5: SyntaxWarning: 'return' in a 'finally' block"]
        # With warnings as errors (-W error), the file no longer compiles.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(SyntaxError) as raised:
                compile(RETURN_IN_FINALLY, "buggy.py", "exec")
        assert raised.value.msg == "'return' in a 'finally' block"
        assert raised.value.lineno == 5
    else:
        assert shown == []  # 3.11 to 3.13 compile it silently
