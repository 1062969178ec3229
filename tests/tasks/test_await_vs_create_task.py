"""Claims of docs/tasks/await-vs-create-task.md."""

import asyncio
import gc
import sys
import weakref

import pytest

from tests.support import load_module, run_main, timed


async def test_awaiting_one_by_one_takes_the_sum_of_the_waits(recipe):
    run = await run_main(recipe)
    sequential, _ = run.result
    assert sequential == 2.0


async def test_creating_tasks_first_takes_the_longest_wait(recipe):
    run = await run_main(recipe)
    _, concurrent = run.result
    assert concurrent == 1.0
    assert run.elapsed == 2.0 + 1.0 + 1.5  # the last 1.5 s is main's own sleep


async def test_printed_finish_times(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:8] == [
        "await one by one:",
        "  1.00 s  a done",
        "  2.00 s  b done",
        "  total: 2.00 s",
        "create_task() first, then await:",
        "  1.00 s  a done",
        "  1.00 s  b done",
        "  total: 1.00 s",
    ]


async def test_background_task_is_kept_until_done_then_dropped(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[8:] == [
        "in the background, with a reference kept:",
        "  tasks kept: 1",
        "  1.00 s  c done",
        "  tasks kept: 0",
    ]
    assert not load_module(recipe).background_tasks


async def test_a_new_task_starts_only_when_the_creator_awaits(recipe):
    steps: list[str] = []

    async def record() -> None:
        steps.append("task started")

    task = asyncio.create_task(record())
    steps.append("create_task returned")
    assert steps == ["create_task returned"]  # not started yet
    await asyncio.sleep(0)  # the creator yields: now the task runs
    assert steps == ["create_task returned", "task started"]
    await task


async def test_awaiting_a_coroutine_that_does_not_suspend_does_not_start_it(recipe):
    steps: list[str] = []

    async def record() -> None:
        steps.append("task started")

    async def returns_at_once() -> None:
        steps.append("awaited coroutine returned")  # no await inside: no suspension

    task = asyncio.create_task(record())
    await returns_at_once()  # an await, but control never went back to the loop
    assert steps == ["awaited coroutine returned"]  # the task has not started
    await asyncio.sleep(0)  # a real suspension: now it runs
    assert steps == ["awaited coroutine returned", "task started"]
    await task


async def test_a_task_whose_creator_ends_without_awaiting_still_runs(recipe):
    steps: list[str] = []
    created: list[asyncio.Task[None]] = []

    async def record() -> None:
        steps.append("task started")

    async def creator() -> None:
        created.append(asyncio.create_task(record()))
        steps.append("creator returns")  # and never awaits anything

    await asyncio.create_task(creator())
    # The creator gave control back to the loop by ending: the task ran then.
    assert steps == ["creator returns", "task started"]
    assert created[0].done()


needs_eager_factory = pytest.mark.skipif(
    sys.version_info < (3, 12), reason="asyncio.eager_task_factory is new in 3.12"
)


@needs_eager_factory
async def test_under_an_eager_factory_a_task_starts_inside_create_task(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    steps: list[str] = []

    async def record() -> None:
        steps.append("task started")
        await asyncio.sleep(0)
        steps.append("task resumed")

    try:
        task = asyncio.create_task(record())
        steps.append("create_task returned")
        # It ran up to its first await, then create_task() returned.
        assert steps == ["task started", "create_task returned"]
        await task
    finally:
        loop.set_task_factory(None)
    assert steps == ["task started", "create_task returned", "task resumed"]


@needs_eager_factory
async def test_under_an_eager_factory_the_timings_are_the_same(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    try:
        sequential = await timed(module.one_by_one)
        concurrent = await timed(module.tasks_first)
    finally:
        loop.set_task_factory(None)
    assert (sequential.result, concurrent.result) == (2.0, 1.0)


async def test_eager_start_starts_one_task_inside_create_task_from_3_14(recipe):
    load_module(recipe)
    steps: list[str] = []

    async def record() -> None:
        steps.append("task started")

    coroutine = record()
    if sys.version_info < (3, 14):
        with pytest.raises(TypeError, match="eager_start"):
            asyncio.create_task(coroutine, eager_start=True)  # noqa: RUF006
        coroutine.close()
        return
    task = asyncio.create_task(coroutine, eager_start=True)
    steps.append("create_task returned")
    assert steps == ["task started", "create_task returned"]
    assert task.done()  # it never suspended: finished inside create_task()
    await task


def test_create_task_needs_a_running_loop(recipe):
    coroutine = load_module(recipe).job("a", 0.0)
    with pytest.raises(RuntimeError, match="no running event loop"):
        # raises before any task exists, so there is no reference to keep
        asyncio.create_task(coroutine)  # noqa: RUF006
    coroutine.close()  # never started: close it so no "never awaited" warning fires


async def wait_on_private_future(futures: list, finished: list) -> None:
    """Waits on a future that only this coroutine holds (tests keep a weak ref)."""
    future = asyncio.get_running_loop().create_future()
    futures.append(weakref.ref(future))
    await future
    finished.append(True)


async def test_unreferenced_task_is_garbage_collected_before_it_finishes(recipe):
    loop = asyncio.get_running_loop()
    errors: list[str] = []
    loop.set_exception_handler(lambda _, context: errors.append(context["message"]))
    futures: list = []
    finished: list = []
    task = asyncio.create_task(wait_on_private_future(futures, finished))
    task_ref = weakref.ref(task)
    await asyncio.sleep(0)  # the task runs up to `await future`
    del task  # the loop holds only a weak reference now
    gc.collect()
    assert task_ref() is None  # gone, though it never finished
    assert futures[0]() is None
    assert finished == []
    assert errors == ["Task was destroyed but it is pending!"]
    loop.set_exception_handler(None)


async def test_a_set_and_done_callback_keep_the_task_alive(recipe):
    module = load_module(recipe)
    futures: list = []
    finished: list = []
    task_ref = weakref.ref(
        module.start_in_background(wait_on_private_future(futures, finished))
    )
    await asyncio.sleep(0)
    gc.collect()
    assert task_ref() in module.background_tasks  # survived the collection
    futures[0]().set_result(None)
    await asyncio.sleep(0)  # the task finishes...
    await asyncio.sleep(0)  # ...and its done callback runs
    assert finished == [True]
    assert module.background_tasks == set()
