"""Claims of docs/tasks/coroutine-task-future.md."""

import asyncio
import gc
import inspect

import pytest

from tests.support import load_module, run_main


async def test_each_kind_gives_its_result_at_the_expected_time(recipe):
    run = await run_main(recipe)
    assert run.result == (2, 4, "hello")
    assert run.elapsed == 3.0
    assert run.output.splitlines() == [
        "coroutine: coroutine",
        "  awaited: 2 at 1.00 s",
        "task: Task, is a Future: True",
        "  awaited: 4 at 2.00 s",
        "  awaited again: 4 (done already, not run twice)",
        "future: Future, done: False",
        "  awaited: 'hello' at 3.00 s",
    ]


async def test_the_three_types(recipe):
    module = load_module(recipe)
    coro = module.double(1)
    assert inspect.iscoroutine(coro)
    assert not isinstance(coro, asyncio.Future)
    task = asyncio.create_task(coro)
    assert isinstance(task, asyncio.Task)
    assert issubclass(asyncio.Task, asyncio.Future)  # a Task is a Future
    future = asyncio.get_running_loop().create_future()
    assert isinstance(future, asyncio.Future)
    assert not isinstance(future, asyncio.Task)
    assert await task == 2
    future.cancel()


async def test_a_coroutine_does_nothing_until_awaited(recipe):
    module = load_module(recipe)
    ran: list[int] = []

    async def record() -> None:
        ran.append(1)

    coro = record()
    await asyncio.sleep(1.0)  # the loop runs, but nobody runs the coroutine
    assert ran == []
    await coro
    assert ran == [1]
    assert await module.double(3) == 6


async def test_a_coroutine_cannot_be_awaited_twice(recipe):
    module = load_module(recipe)
    coro = module.double(1)
    assert await coro == 2
    with pytest.raises(RuntimeError, match="cannot reuse already awaited coroutine"):
        await coro


async def test_a_task_runs_once_and_can_be_awaited_many_times(recipe):
    runs: list[int] = []

    async def counted() -> str:
        runs.append(1)
        await asyncio.sleep(1.0)
        return "done"

    task = asyncio.create_task(counted())
    results = await asyncio.gather(task, task, task)
    assert results == ["done", "done", "done"]
    assert await task == "done"
    assert runs == [1]


async def test_a_task_starts_without_being_awaited(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(module.double(5))
    await asyncio.sleep(1.5)  # not awaiting the task: it runs anyway
    assert task.done()
    assert task.result() == 10
    assert loop.time() - start == 1.5


async def test_a_future_is_completed_by_someone_else(recipe):
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    loop.call_soon(future.set_result, "from a callback")
    assert not future.done()
    assert await future == "from a callback"


async def test_a_future_result_can_be_set_only_once(recipe):
    future = asyncio.get_running_loop().create_future()
    with pytest.raises(asyncio.InvalidStateError):
        future.result()  # nothing there yet
    future.set_result(1)
    with pytest.raises(asyncio.InvalidStateError):
        future.set_result(2)
    assert future.result() == 1


def create_and_drop(module) -> None:
    module.double(1)  # created and dropped: it never runs
    gc.collect()


def test_a_coroutine_never_awaited_warns(recipe):
    module = load_module(recipe)
    with pytest.warns(RuntimeWarning, match="coroutine 'double' was never awaited"):
        create_and_drop(module)
