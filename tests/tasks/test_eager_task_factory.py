"""Claims of docs/tasks/eager-task-factory.md.

The page requires Python 3.12 (the `recipe` fixture skips every test before that).
Speed is asserted as loop turns and pending tasks, never as wall time.
"""

import asyncio
import contextlib
import sys

import pytest

from tests.support import load_module, run_main

HITS_PENDING = "pending after create_task (8 hits)"
HITS_TURNS = "loop turns to gather them (8 hits)"
ALL_PENDING = "pending after create_task (8 hits, 2 misses)"
ALL_TIME = "time to gather them (8 hits, 2 misses)"


@contextlib.contextmanager
def eager_tasks():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    try:
        yield
    finally:
        loop.set_task_factory(None)


async def test_cache_hits_finish_inside_create_task(recipe):
    run = await run_main(recipe)
    assert run.result["default"][HITS_PENDING] == 8
    assert run.result["eager"][HITS_PENDING] == 0


async def test_cache_hits_need_no_loop_turn_at_all(recipe):
    run = await run_main(recipe)
    assert run.result["default"][HITS_TURNS] == 3
    assert run.result["eager"][HITS_TURNS] == 0


async def test_misses_still_suspend_and_take_as_long(recipe):
    run = await run_main(recipe)
    assert run.result["default"][ALL_PENDING] == 10
    assert run.result["eager"][ALL_PENDING] == 2  # only the two misses
    assert run.result["default"][ALL_TIME] == run.result["eager"][ALL_TIME] == "0.10 s"
    assert run.elapsed == 0.2


async def test_the_task_body_runs_before_create_task_returns(recipe):
    run = await run_main(recipe)
    assert run.result["default"]["order"] == [
        "create_task returned",
        "task body runs",
    ]
    assert run.result["eager"]["order"] == [
        "task body runs",
        "create_task returned",
    ]


async def test_the_recipe_prints_both_factories(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "default task factory:",
        "  pending after create_task (8 hits): 8",
        "  loop turns to gather them (8 hits): 3",
        "  pending after create_task (8 hits, 2 misses): 10",
        "  time to gather them (8 hits, 2 misses): 0.10 s",
        "  order: ['create_task returned', 'task body runs']",
        "eager task factory:",
        "  pending after create_task (8 hits): 0",
        "  loop turns to gather them (8 hits): 0",
        "  pending after create_task (8 hits, 2 misses): 2",
        "  time to gather them (8 hits, 2 misses): 0.10 s",
        "  order: ['task body runs', 'create_task returned']",
    ]


async def test_the_recipe_puts_the_default_factory_back(recipe):
    await run_main(recipe)
    assert asyncio.get_running_loop().get_task_factory() is None


async def test_an_eager_task_that_suspends_finishes_on_the_loop(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with eager_tasks():
        task = asyncio.create_task(module.lookup("user:9"))
        assert not task.done()
        assert await task == "fetched user:9"
    assert loop.time() - start == 0.1


async def test_an_early_error_is_kept_in_the_task_not_raised(recipe):
    async def fails_at_once() -> None:
        raise ValueError("before the first await")

    with eager_tasks():
        task = asyncio.create_task(fails_at_once())  # does not raise here
    assert task.done()
    assert repr(task.exception()) == "ValueError('before the first await')"


async def test_set_up_after_create_task_is_too_late_for_an_eager_task(recipe):
    registry: dict[str, str] = {}

    async def worker(name: str) -> str:
        return registry[name]  # the caller registers it just after create_task

    default = asyncio.create_task(worker("a"))
    registry["a"] = "registered"
    assert await default == "registered"

    with eager_tasks():
        eager = asyncio.create_task(worker("b"))
    registry["b"] = "registered"
    with pytest.raises(KeyError, match="b"):
        await eager


async def test_taskgroup_tasks_are_eager_too(recipe):
    module = load_module(recipe)
    with eager_tasks():
        async with asyncio.TaskGroup() as tg:
            task = tg.create_task(module.lookup("user:1"))
            assert task.done()
    assert task.result() == "name of user:1"


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="gh-128308: 3.12 and 3.13")
async def test_the_name_arrives_after_the_eager_first_step(recipe):
    seen: list[str] = []

    async def body() -> None:
        task = asyncio.current_task()
        assert task is not None
        seen.append(task.get_name())
        await asyncio.sleep(0)
        seen.append(task.get_name())

    with eager_tasks():
        await asyncio.create_task(body(), name="worker")
    assert seen[0] != "worker"  # the first step ran before the name was set
    assert seen[1] == "worker"
