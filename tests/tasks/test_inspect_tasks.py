"""Claims of docs/tasks/inspect-tasks.md."""

import asyncio
import re

import pytest

from tests.support import load_module, run_main


async def test_a_new_task_is_not_done_and_has_not_started(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:2] == [
        "0.00 s  a.json: done()=False cancelled()=False",
        "0.00 s  a.json runs download()",  # still its first name: no step taken yet
    ]


async def test_result_and_exception_raise_invalid_state_error_before_done(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[2:4] == [
        "0.00 s  result() too early: InvalidStateError(Result is not set.)",
        "0.00 s  exception() too early: InvalidStateError(Exception is not set.)",
    ]


async def test_all_tasks_lists_only_unfinished_tasks_with_their_new_names(recipe):
    run = await run_main(recipe)
    # bad.csv failed at 0.50 s: finished tasks are not in all_tasks().
    assert run.output.splitlines()[4] == (
        "0.75 s  all_tasks(): ['a.json 1/2', 'big.iso 1/10']"
    )


async def test_cancel_only_asks_the_task_is_not_done_yet(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[5] == (
        "1.25 s  big.iso 2/10: cancel() asked, done()=False"
    )


async def test_each_final_state_is_read_safely(recipe):
    run = await run_main(recipe)
    assert run.result == {
        "a.json 2/2": "returned 2",
        "big.iso 2/10": "cancelled",
        "bad.csv": "failed with ValueError('bad.csv: bad row 3')",
    }
    assert run.output.splitlines()[6:] == [
        "1.25 s  a.json 2/2: returned 2",
        "1.25 s  big.iso 2/10: cancelled",
        "1.25 s  bad.csv: failed with ValueError('bad.csv: bad row 3')",
    ]
    assert run.elapsed == 1.25


async def test_exception_of_a_cancelled_task_raises_cancelled_error(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.download("x", 2))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.wait([task])
    assert task.done()
    assert task.cancelled()
    with pytest.raises(asyncio.CancelledError):
        task.exception()
    with pytest.raises(asyncio.CancelledError):
        task.result()


async def test_result_of_a_failed_task_raises_its_exception(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.parse("bad.csv"))
    await asyncio.wait([task])
    assert isinstance(task.exception(), ValueError)
    with pytest.raises(ValueError, match="bad row 3"):
        task.result()


async def test_unnamed_tasks_get_a_numbered_default_name(recipe):
    module = load_module(recipe)
    first = asyncio.create_task(module.parse("a"))
    second = asyncio.create_task(module.parse("b"))
    numbers = [re.fullmatch(r"Task-(\d+)", t.get_name()) for t in (first, second)]
    assert all(numbers)
    assert int(numbers[1][1]) == int(numbers[0][1]) + 1  # a process-wide counter
    await asyncio.wait([first, second])
    for task in (first, second):
        task.exception()  # retrieved: nothing is logged


async def test_current_task_is_none_outside_a_task(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    seen = []
    loop.call_soon(lambda: seen.append(asyncio.current_task()))
    await asyncio.sleep(0)
    assert seen == [None]  # a plain callback runs in no task
    task = asyncio.create_task(module.download("x", 1), name="x")
    await asyncio.sleep(0)
    assert task.get_name() == "x 0/1"  # inside its task, current_task() found it
    await task


async def test_get_coro_returns_the_coroutine_the_task_runs(recipe):
    module = load_module(recipe)
    coroutine = module.parse("a")
    task = asyncio.create_task(coroutine)
    assert task.get_coro() is coroutine
    await asyncio.wait([task])
    task.exception()
