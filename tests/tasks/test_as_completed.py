"""Claims of docs/tasks/as-completed.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main, timed


async def test_results_arrive_in_finish_order_as_each_task_finishes(recipe):
    run = await run_main(recipe)
    results, _ = run.result
    assert results == ["b.json", "c.json", "a.json"]  # not argument order
    assert run.output.splitlines()[:4] == [
        "as_completed():",
        "  0.50 s  b.json",
        "  1.00 s  c.json",
        "  2.00 s  a.json",
    ]


async def test_the_timeout_is_one_deadline_for_the_whole_loop(recipe):
    run = await run_main(recipe)
    _, partial = run.result
    assert partial == ["b.json", "c.json"]
    assert run.output.splitlines()[4:] == [
        "as_completed(timeout=1.5):",
        "  0.50 s  b.json",
        "  1.00 s  c.json",
        "  1.50 s  timed out",
        "  got ['b.json', 'c.json'], cancelled 1",
    ]
    assert run.elapsed == 2.0 + 1.5


async def test_the_plain_loop_yields_new_awaitables_not_the_tasks(recipe):
    module = load_module(recipe)
    tasks = [asyncio.create_task(module.download(n, d)) for n, d in module.JOBS]
    for next_done in asyncio.as_completed(tasks):
        assert asyncio.iscoroutine(next_done)  # on 3.13+ too
        assert next_done not in tasks
        await next_done


async def test_the_timeout_does_not_cancel_the_remaining_tasks(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = [asyncio.create_task(module.download(n, d)) for n, d in module.JOBS]
    with pytest.raises(TimeoutError):  # noqa: PT012
        for next_done in asyncio.as_completed(tasks, timeout=1.5):
            await next_done
    assert loop.time() - start == 1.5
    assert not tasks[0].done()
    await asyncio.sleep(0.5)
    assert tasks[0].result() == "a.json"  # it ran on and finished at 2.0 s


async def test_a_task_error_is_raised_by_the_await_and_ends_the_loop(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def broken() -> str:
        await asyncio.sleep(0.25)
        raise ConnectionError("reset")

    slow = asyncio.create_task(module.download("a.json", 2.0))
    tasks = [slow, asyncio.create_task(broken())]
    received = []
    with pytest.raises(ConnectionError, match="reset"):  # noqa: PT012
        for next_done in asyncio.as_completed(tasks):
            received.append(await next_done)
    assert received == []
    assert loop.time() - start == 0.25
    assert not slow.done()  # still running after the loop has ended
    slow.cancel()
    await asyncio.wait([slow])


async def test_coroutines_passed_in_run_on_out_of_reach_after_a_timeout(recipe):
    module = load_module(recipe)
    coroutines = [module.download(n, d) for n, d in module.JOBS]
    with pytest.raises(TimeoutError):  # noqa: PT012
        for next_done in asyncio.as_completed(coroutines, timeout=1.5):
            await next_done
    leftovers = asyncio.all_tasks() - {asyncio.current_task()}
    assert len(leftovers) == 1  # a.json, in a task as_completed() made
    [leftover] = leftovers
    await asyncio.sleep(0.5)
    assert leftover.result() == "a.json"


async def test_the_timeout_raises_the_builtin_timeouterror(recipe):
    module = load_module(recipe)
    tasks = [asyncio.create_task(module.download(n, d)) for n, d in module.JOBS]
    with pytest.raises(TimeoutError) as info:  # noqa: PT012
        for next_done in asyncio.as_completed(tasks, timeout=1.5):
            await next_done
    assert type(info.value) is TimeoutError
    await asyncio.wait(tasks)


async def test_the_with_timeout_recipe_cancels_the_stragglers(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.with_timeout(1.5))
    assert run.result == ["b.json", "c.json"]
    assert run.elapsed == 1.5
    assert asyncio.all_tasks() == {asyncio.current_task()}


@pytest.mark.skipif(
    sys.version_info < (3, 13), reason="as_completed() is async-iterable on 3.13+"
)
async def test_async_for_yields_the_original_tasks_on_3_13(recipe):
    module = load_module(recipe)
    run = await timed(module.finished_tasks)
    assert run.output.splitlines() == [
        "  task #1 done: b.json",
        "  task #2 done: c.json",
        "  task #0 done: a.json",
    ]
    assert [task.result() for task in run.result] == ["b.json", "c.json", "a.json"]
    assert all(isinstance(task, asyncio.Task) for task in run.result)
    assert run.elapsed == 2.0


@pytest.mark.skipif(
    sys.version_info >= (3, 13), reason="as_completed() is async-iterable on 3.13+"
)
async def test_async_for_raises_type_error_before_3_13(recipe):
    module = load_module(recipe)
    # The recipe defines finished_tasks() under `if sys.version_info >= (3, 13):`,
    # so this runs the same `async for` itself.
    assert not hasattr(module, "finished_tasks")

    async def finished(tasks: list[asyncio.Task[str]]) -> None:
        async for _ in asyncio.as_completed(tasks):
            pass

    tasks = [asyncio.create_task(module.download(n, d)) for n, d in module.JOBS]
    with pytest.raises(TypeError, match="__aiter__"):
        await finished(tasks)
    await asyncio.wait(tasks)
