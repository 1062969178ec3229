"""Claims of docs/tasks/taskgroup.md."""

import asyncio
import inspect
import sys
import warnings

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


SHUTTING_DOWN = "TaskGroup <TaskGroup tasks=1 errors=1 cancelling> is shutting down"


async def test_a_group_shutting_down_refuses_new_tasks_from_the_body_and_its_tasks(
    recipe,
):
    module = load_module(recipe)
    refused: list[str] = []

    def try_to_add(tg: asyncio.TaskGroup, where: str) -> None:
        coroutine = module.job("late", 0.5, 0.0)
        try:
            tg.create_task(coroutine)
        except RuntimeError as error:
            refused.append(f"{where}: {error}")
        finally:
            coroutine.close()  # a no-op where create_task() has closed it already

    async def still_running(tg: asyncio.TaskGroup) -> None:
        try:
            await asyncio.sleep(2)
        finally:  # cancelled at 0.5 s: the group is shutting down by then
            try_to_add(tg, "task")

    async def group() -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(module.job("b", 0.5, 0.0, fail=True))
            tg.create_task(still_running(tg))
            try:
                await asyncio.sleep(2)
            finally:
                try_to_add(tg, "body")

    with pytest.raises(ExceptionGroup) as info:
        await group()
    assert sorted(refused) == [f"body: {SHUTTING_DOWN}", f"task: {SHUTTING_DOWN}"]
    assert [repr(e) for e in info.value.exceptions] == ["ValueError('b failed')"]


async def test_a_refused_create_task_error_joins_the_group_if_not_caught(recipe):
    module = load_module(recipe)

    late = module.job("late", 0.5, 0.0)

    async def adds_a_task_on_the_way_out(tg: asyncio.TaskGroup) -> None:
        try:
            await asyncio.sleep(2)
        finally:
            tg.create_task(late)  # raises RuntimeError: nothing catches it

    async def group() -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(module.job("b", 0.5, 0.0, fail=True))
            tg.create_task(adds_a_task_on_the_way_out(tg))

    with pytest.raises(ExceptionGroup) as info:
        await group()
    late.close()  # refused and never started (3.13+ closed it already)
    assert sorted(repr(e) for e in info.value.exceptions) == [
        f"RuntimeError({SHUTTING_DOWN!r})",
        "ValueError('b failed')",
    ]


async def test_from_3_13_create_task_closes_the_coroutine_it_refuses(recipe):
    module = load_module(recipe)
    async with asyncio.TaskGroup() as tg:
        pass
    coroutine = module.job("late", 0.5, 0.0)
    with pytest.raises(RuntimeError, match=r"is finished$"):
        tg.create_task(coroutine)
    if sys.version_info >= (3, 13):
        assert inspect.getcoroutinestate(coroutine) == inspect.CORO_CLOSED
    else:  # 3.11, 3.12: left unstarted; dropping it warns "never awaited"
        assert inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del coroutine  # the last reference: CPython destroys it here
        assert [str(w.message) for w in caught] == ["coroutine 'job' was never awaited"]


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit])
def test_keyboard_interrupt_or_system_exit_stops_the_loop_then_comes_out_bare(
    recipe, error
):
    load_module(recipe)
    seen: list[str] = []

    async def child() -> None:
        await asyncio.sleep(0)
        raise error("from a child")

    async def sibling() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            seen.append("sibling cancelled")
            raise

    async def main() -> None:
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child())
                tg.create_task(sibling())
                await asyncio.sleep(10)
        except BaseException as exc:
            seen.append(f"async with raised {exc!r}")
            raise

    runner = asyncio.Runner()  # what asyncio.run() uses
    left: set[asyncio.Task] = set()
    try:
        with pytest.raises(error, match=r"^from a child$"):
            runner.run(main())  # straight out of the event loop...
        assert seen == []  # ...before the group has cancelled anything
        left = asyncio.all_tasks(runner.get_loop())  # main() and the sibling
    finally:
        with pytest.raises(error, match=r"^from a child$"):
            runner.close()  # cancels what is left: now the group does its part
    assert seen == ["sibling cancelled", f"async with raised {error('from a child')!r}"]
    assert len(left) == 2
    for task in left:  # read their outcome, or the loop logs "never retrieved"
        assert task.cancelled() or isinstance(task.exception(), error)


async def test_other_base_exceptions_come_in_a_base_exception_group(recipe):
    load_module(recipe)

    class Stop(BaseException):
        pass

    async def child() -> None:
        await asyncio.sleep(0.5)
        raise Stop("a BaseException, not an Exception")

    caught_as_exception_group = False

    async def group() -> None:
        nonlocal caught_as_exception_group
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child())
        except ExceptionGroup:
            caught_as_exception_group = True

    with pytest.raises(BaseExceptionGroup) as info:
        await group()
    assert not caught_as_exception_group
    assert type(info.value) is BaseExceptionGroup
    assert [type(e) for e in info.value.exceptions] == [Stop]
