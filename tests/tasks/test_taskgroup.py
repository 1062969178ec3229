"""Claims of docs/tasks/taskgroup.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_the_block_waits_for_every_task_then_results_are_read(recipe):
    run = await run_main(recipe)
    results, _ = run.result
    assert results == ["a", "b"]
    assert run.output.splitlines()[:4] == [
        "all succeed:",
        "  0.50 s  b done",
        "  1.00 s  a done",
        "  results: ['a', 'b']",
    ]


async def test_a_failure_cancels_the_other_tasks(recipe):
    run = await run_main(recipe)
    _, states = run.result
    assert states == {
        "a": "cancelled",
        "b": "raised ValueError('b failed')",
        "c": "cancelled",
    }


async def test_the_others_are_cancelled_as_soon_as_one_fails(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[4:7] == [
        "one fails:",
        "  0.50 s  b failed",
        "  0.50 s  caught ExceptionGroup('unhandled errors in a TaskGroup',"
        " [ValueError('b failed')])",
    ]
    assert run.elapsed == 1.0 + 0.5  # the failing group exits at 0.5 s, not 2.0 s


async def test_each_sibling_sees_cancelled_error_at_the_moment_of_failure(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    cancelled_at: dict[str, float] = {}

    async def watched(name: str, delay: float) -> str:
        try:
            return await module.job(name, delay, start)
        except asyncio.CancelledError:
            cancelled_at[name] = loop.time() - start
            raise

    async def group() -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(watched("a", 1.0))
            tg.create_task(module.job("b", 0.5, start, fail=True))
            tg.create_task(watched("c", 2.0))

    with pytest.raises(ExceptionGroup):
        await group()
    assert cancelled_at == {"a": 0.5, "c": 0.5}


async def test_errors_arrive_as_an_exception_group_even_for_one_error(recipe):
    module = load_module(recipe)
    plain_except_caught = False

    async def group() -> None:
        nonlocal plain_except_caught
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(module.job("b", 0.5, 0.0, fail=True))
        except ValueError:
            plain_except_caught = True

    with pytest.raises(ExceptionGroup) as info:
        await group()
    assert not plain_except_caught  # `except ValueError` does not match the group
    assert [repr(e) for e in info.value.exceptions] == ["ValueError('b failed')"]


async def test_errors_raised_at_the_same_time_all_arrive_in_the_group(recipe):
    module = load_module(recipe)

    async def group() -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(module.job("b", 0.5, 0.0, fail=True))
            tg.create_task(module.job("d", 0.5, 0.0, fail=True))
            tg.create_task(module.job("c", 2.0, 0.0))

    with pytest.raises(ExceptionGroup) as info:
        await group()
    assert sorted(str(e) for e in info.value.exceptions) == ["b failed", "d failed"]


async def test_a_failure_also_cancels_the_body_of_the_block(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    body_finished = False

    async def group() -> None:
        nonlocal body_finished
        async with asyncio.TaskGroup() as tg:
            tg.create_task(module.job("b", 0.5, start, fail=True))
            await asyncio.sleep(10)  # cancelled at 0.5 s
            body_finished = True

    with pytest.raises(ExceptionGroup):
        await group()
    assert not body_finished
    assert loop.time() - start == 0.5


async def test_a_finished_group_accepts_no_new_tasks(recipe):
    module = load_module(recipe)
    async with asyncio.TaskGroup() as tg:
        pass
    coroutine = module.job("late", 0.5, 0.0)
    with pytest.raises(RuntimeError, match="is finished"):
        tg.create_task(coroutine)
    coroutine.close()  # never started: close it so no "never awaited" warning fires
