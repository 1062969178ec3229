"""Claims of docs/tasks/gather-wait-taskgroup.md.

One test per row of the page's table and per column (gather, wait, TaskGroup), named
after the row.
"""

import asyncio

import pytest

from tests.support import load_module, run_main

ALL_SUCCEED = [("a", 1.0, False), ("b", 0.5, False), ("c", 1.5, False)]


def start_tasks(module, jobs, start):
    return [asyncio.create_task(module.job(n, d, f, start), name=n) for n, d, f in jobs]


# -- the recipe's run --------------------------------------------------------------


async def test_recipe_prints_each_tool_on_the_same_jobs(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "TaskGroup:",
        "  0.50 s  b raises ValueError",
        "  0.50 s  TaskGroup raised ExceptionGroup('unhandled errors in a TaskGroup',"
        " [ValueError('b failed')])",
        "  {'a': 'cancelled', 'b': \"raised ValueError('b failed')\", 'c': 'cancelled'}",
        "gather:",
        "  0.50 s  b raises ValueError",
        "  0.50 s  gather raised ValueError('b failed')",
        "  1.00 s  a done",
        "  1.50 s  c done",
        "  {'a': \"returned 'a'\", 'b': \"raised ValueError('b failed')\","
        " 'c': \"returned 'c'\"}",
        "wait:",
        "  0.50 s  b raises ValueError",
        "  1.00 s  a done",
        "  1.20 s  wait returned done=['a', 'b'] pending=['c']",
        "  {'a': \"returned 'a'\", 'b': \"raised ValueError('b failed')\","
        " 'c': 'cancelled'}",
    ]
    assert run.elapsed == 0.5 + 1.5 + 1.2


# -- row: what you get back ------------------------------------------------------------


async def test_results__gather_returns_a_list_in_argument_order(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(*start_tasks(module, ALL_SUCCEED, loop.time()))
    assert results == ["a", "b", "c"]  # b finished first


async def test_results__wait_returns_two_sets_of_tasks(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    tasks = start_tasks(module, ALL_SUCCEED, loop.time())
    done, pending = await asyncio.wait(tasks)
    assert type(done) is set
    assert type(pending) is set
    assert done == set(tasks)
    assert pending == set()
    assert [task.result() for task in tasks] == ["a", "b", "c"]  # your list's order


async def test_results__taskgroup_results_are_read_from_its_tasks(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with asyncio.TaskGroup() as tg:
        tasks = [
            tg.create_task(module.job(n, d, f, loop.time())) for n, d, f in ALL_SUCCEED
        ]
    assert [task.result() for task in tasks] == ["a", "b", "c"]


# -- row: returns when -----------------------------------------------------------------


async def test_returns_when__wait_can_return_at_the_first_completed(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = start_tasks(module, ALL_SUCCEED, start)
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    assert loop.time() - start == 0.5
    assert [t.get_name() for t in done] == ["b"]
    for task in pending:
        task.cancel()
    await asyncio.wait(pending)


async def test_returns_when__wait_can_return_at_the_first_exception(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = start_tasks(module, module.JOBS, start)
    _done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    assert loop.time() - start == 0.5
    assert sorted(t.get_name() for t in pending) == ["a", "c"]
    for task in pending:
        task.cancel()
    await asyncio.wait(pending)


# -- row: when a task raises ----------------------------------------------------------


async def test_when_a_task_raises__gather_raises_the_first_error_at_once(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = start_tasks(module, module.JOBS, start)
    with pytest.raises(ValueError, match="b failed"):
        await asyncio.gather(*tasks)
    assert loop.time() - start == 0.5
    await asyncio.wait(tasks)


async def test_when_a_task_raises__gather_return_exceptions_lists_it(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await asyncio.gather(
        *start_tasks(module, module.JOBS, start), return_exceptions=True
    )
    assert loop.time() - start == 1.5
    assert results[0] == "a"
    assert results[2] == "c"
    assert repr(results[1]) == "ValueError('b failed')"


async def test_when_a_task_raises__wait_never_raises(recipe):
    run = await run_main(recipe)
    # wait() returned normally; the error is kept in b's task.
    assert run.result["wait"]["b"] == "raised ValueError('b failed')"
    assert "  1.20 s  wait returned done=['a', 'b'] pending=['c']" in run.output


async def test_when_a_task_raises__taskgroup_raises_an_exception_group(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    jobs = [("a", 1.0, False), ("b", 0.5, True), ("d", 0.5, True)]

    async def group():
        async with asyncio.TaskGroup() as tg:
            for n, d, f in jobs:
                tg.create_task(module.job(n, d, f, loop.time()))

    with pytest.raises(ExceptionGroup) as info:
        await group()
    assert sorted(str(e) for e in info.value.exceptions) == ["b failed", "d failed"]


async def test_when_a_task_raises__taskgroup_errors_need_except_star(recipe):
    module = load_module(recipe)
    caught: list[str] = []

    async def group(jobs):
        async with asyncio.TaskGroup() as tg:
            for n, d, f in jobs:
                tg.create_task(module.job(n, d, f, 0.0))

    async def plain_except() -> None:
        try:
            await group(module.JOBS)
        except ValueError:
            caught.append("except ValueError")  # never: the error comes wrapped

    with pytest.raises(ExceptionGroup):
        await plain_except()
    try:
        await group(module.JOBS)
    except* ValueError as errors:
        caught.append(f"except* ValueError: {errors.exceptions!r}")
    assert caught == ["except* ValueError: (ValueError('b failed'),)"]


# -- row: the other tasks when one fails ------------------------------------------------


async def test_other_tasks_on_error__gather_and_wait_leave_them_running(recipe):
    run = await run_main(recipe)
    assert run.result["gather"]["a"] == "returned 'a'"
    assert run.result["gather"]["c"] == "returned 'c'"  # ran on to 1.50 s
    assert run.result["wait"]["a"] == "returned 'a'"  # ran on to 1.00 s


async def test_other_tasks_on_error__taskgroup_cancels_them(recipe):
    run = await run_main(recipe)
    expected = {
        "a": "cancelled",
        "b": "raised ValueError('b failed')",
        "c": "cancelled",
    }
    assert run.result["TaskGroup"] == expected
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await module.with_taskgroup(start) == expected
    assert loop.time() - start == 0.5  # at the failure, not at 1.50 s


# -- row: when the caller is cancelled ---------------------------------------------------


async def cancel_caller_after(awaitable_factory, delay):
    """Run `await awaitable_factory()` in a task and cancel that task after `delay`."""

    async def caller():
        await awaitable_factory()

    task = asyncio.create_task(caller())
    await asyncio.sleep(delay)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_caller_cancelled__gather_cancels_its_children(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    tasks = start_tasks(module, ALL_SUCCEED, loop.time())
    await cancel_caller_after(lambda: asyncio.gather(*tasks), 0.25)
    await asyncio.sleep(0)
    assert all(task.cancelled() for task in tasks)


async def test_caller_cancelled__wait_leaves_the_tasks_running(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = start_tasks(module, ALL_SUCCEED, start)
    await cancel_caller_after(lambda: asyncio.wait(tasks), 0.25)
    assert not any(task.done() for task in tasks)
    await asyncio.wait(tasks)
    assert [task.result() for task in tasks] == ["a", "b", "c"]
    assert loop.time() - start == 1.5


async def test_caller_cancelled__taskgroup_cancels_its_children(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    tasks = []

    async def group():
        async with asyncio.TaskGroup() as tg:
            for n, d, f in ALL_SUCCEED:
                tasks.append(tg.create_task(module.job(n, d, f, loop.time())))

    await cancel_caller_after(group, 0.25)
    assert len(tasks) == 3
    assert all(task.cancelled() for task in tasks)


# -- row: timeout -----------------------------------------------------------------------


async def test_timeout__gather_has_none_wrap_it_and_every_child_is_cancelled(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(TypeError):
        asyncio.gather(timeout=1.2)  # no such parameter
    tasks = start_tasks(module, ALL_SUCCEED, start)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=1.2)
    assert loop.time() - start == 1.2
    assert [t.get_name() for t in tasks if t.cancelled()] == ["c"]


async def test_timeout__wait_returns_and_leaves_pending_tasks_running(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    # c was still pending at 1.20 s, and not cancelled until the recipe did it.
    assert lines[13:15] == [
        "  1.20 s  wait returned done=['a', 'b'] pending=['c']",
        "  {'a': \"returned 'a'\", 'b': \"raised ValueError('b failed')\","
        " 'c': 'cancelled'}",
    ]
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = start_tasks(module, ALL_SUCCEED, start)
    _, pending = await asyncio.wait(tasks, timeout=1.2)
    [c] = pending
    assert not c.done()
    assert await c == "c"  # it runs on, to the end
    assert loop.time() - start == 1.5


async def test_timeout__taskgroup_under_asyncio_timeout_cancels_every_task(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = []

    async def group():
        async with asyncio.timeout(1.2), asyncio.TaskGroup() as tg:
            for n, d, f in ALL_SUCCEED:
                tasks.append(tg.create_task(module.job(n, d, f, start)))

    with pytest.raises(TimeoutError):
        await group()
    assert loop.time() - start == 1.2
    assert [task.cancelled() for task in tasks] == [False, False, True]


# -- row: accepts ------------------------------------------------------------------------


async def test_accepts__gather_takes_coroutines_and_tasks(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(module.job("a", 1.0, False, start))
    results = await asyncio.gather(task, module.job("b", 0.5, False, start))
    assert results == ["a", "b"]


async def test_accepts__wait_refuses_coroutines(recipe):
    module = load_module(recipe)
    coroutine = module.job("a", 1.0, False, 0.0)
    with pytest.raises(TypeError) as info:
        await asyncio.wait([coroutine])
    assert str(info.value) == "Passing coroutines is forbidden, use tasks explicitly."
    coroutine.close()


async def test_accepts__taskgroup_takes_coroutines_through_create_task(recipe):
    module = load_module(recipe)
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(module.job("a", 1.0, False, 0.0))
    assert isinstance(task, asyncio.Task)
    assert task.result() == "a"


# -- gotchas -----------------------------------------------------------------------------


async def test_gotcha_wait_with_nothing_raises_but_gather_returns_empty(recipe):
    with pytest.raises(ValueError, match="empty"):
        await asyncio.wait([])
    assert await asyncio.gather() == []
