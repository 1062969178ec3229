"""Claims of docs/tasks/eager-task-factory.md.

The page requires Python 3.12 (the `recipe` fixture skips every test before that).
Speed is asserted as loop turns and pending tasks, never as wall time.
"""

import asyncio
import contextlib
import inspect
import re
import sys

import pytest

from tests.support import load_module, run_main, timed

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


NEW_IN_314 = pytest.mark.skipif(
    sys.version_info < (3, 14),
    reason="eager_start= and task factories taking **kwargs are new in Python 3.14 (gh-128307)",
)


@NEW_IN_314
async def test_eager_start_chooses_per_task(recipe):
    module = load_module(recipe)
    run = await timed(module.per_task)
    assert run.result == {
        "create_task(eager_start=True)": True,
        "create_task()": False,
        "tg.create_task(eager_start=True)": True,
        "eager factory, create_task(eager_start=False)": False,
    }
    assert run.output.splitlines() == [
        "  create_task(eager_start=True): done at once: True",
        "  create_task(): done at once: False",
        "  tg.create_task(eager_start=True): done at once: True",
        "  eager factory, create_task(eager_start=False): done at once: False",
    ]
    assert all(key in module.CACHE for key in ["user:1", "user:2", "user:3", "user:4"])
    assert asyncio.get_running_loop().get_task_factory() is None


@NEW_IN_314
async def test_a_custom_factory_gets_the_name_before_the_eager_first_step(recipe):
    module = load_module(recipe)
    run = await timed(module.custom_factory)
    assert run.result == ("worker", ["worker"])
    assert run.output == (
        "  the first step ran as 'worker'; the factory saw ['worker']\n"
    )
    assert asyncio.get_running_loop().get_task_factory() is None


def factory(loop, coro):
    """A task factory with the signature from before Python 3.14."""
    return asyncio.Task(coro, loop=loop)


def dropping_factory(loop, coro, **kwargs):
    """Takes the keywords but does not pass them on."""
    return asyncio.Task(coro, loop=loop)


@contextlib.contextmanager
def task_factory(factory):
    loop = asyncio.get_running_loop()
    loop.set_task_factory(factory)
    try:
        yield
    finally:
        loop.set_task_factory(None)


@NEW_IN_314
async def test_a_factory_without_kwargs_breaks_on_name(recipe):
    module = load_module(recipe)
    coro = module.current_name()
    with task_factory(factory):
        plain = asyncio.create_task(module.current_name())  # no keyword: still fine
        with pytest.raises(TypeError) as raised:
            asyncio.create_task(coro, name="worker")  # noqa: RUF006 (it raises)
    assert str(raised.value) == "factory() got an unexpected keyword argument 'name'"
    assert inspect.getcoroutinestate(coro) == inspect.CORO_CREATED  # never awaited
    coro.close()
    assert (await plain).startswith("Task-")


@NEW_IN_314
async def test_a_factory_without_kwargs_breaks_taskgroup_create_task(recipe):
    module = load_module(recipe)
    coro = module.current_name()
    with task_factory(factory), pytest.raises(ExceptionGroup) as raised:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(coro, name="worker")
    assert [str(e) for e in raised.value.exceptions] == [
        "factory() got an unexpected keyword argument 'name'"
    ]
    coro.close()


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.12 and 3.13 only")
async def test_before_3_14_a_factory_without_kwargs_still_gets_the_name(recipe):
    module = load_module(recipe)
    with task_factory(factory):
        assert await asyncio.create_task(module.current_name(), name="worker") == (
            "worker"
        )


async def test_a_factory_that_drops_the_keywords_loses_the_name_from_3_14(recipe):
    module = load_module(recipe)
    with task_factory(dropping_factory):
        name = await asyncio.create_task(module.current_name(), name="worker")
    if sys.version_info >= (3, 14):
        assert re.fullmatch(r"Task-\d+", name)  # the loop no longer sets it
    else:
        assert name == "worker"  # set by the loop after the factory returned


async def test_on_3_13_any_factory_names_unnamed_tasks_none(recipe):
    module = load_module(recipe)
    with eager_tasks():
        task = asyncio.create_task(module.lookup("user:9"))  # no name= given
    await task
    if sys.version_info[:2] == (3, 13):
        assert task.get_name() == "None"  # gh-130033
    else:
        assert re.fullmatch(r"Task-\d+", task.get_name())


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.12 and 3.13 only")
async def test_before_3_14_create_task_refuses_eager_start(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    coro = module.lookup("user:1")
    with pytest.raises(TypeError) as raised:
        asyncio.create_task(coro, eager_start=True)  # noqa: RUF006 (it raises)
    assert str(raised.value) == (
        "create_task() got an unexpected keyword argument 'eager_start'"
    )
    coro.close()
    coro = module.lookup("user:1")
    with pytest.raises(ExceptionGroup) as grouped:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(coro, eager_start=True)
    assert [str(e) for e in grouped.value.exceptions] == [
        "TaskGroup.create_task() got an unexpected keyword argument 'eager_start'"
    ]
    coro.close()
    task = asyncio.Task(module.lookup("user:1"), loop=loop, eager_start=True)
    assert task.done()  # the way to start one task eagerly there
    assert task.result() == "name of user:1"


@NEW_IN_314
async def test_from_3_14_the_eager_first_step_sees_the_name(recipe):
    module = load_module(recipe)
    with eager_tasks():
        task = asyncio.create_task(module.current_name(), name="worker")
    assert task.done()
    assert task.result() == "worker"
