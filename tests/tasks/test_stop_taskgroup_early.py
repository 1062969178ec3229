"""Claims of docs/tasks/stop-taskgroup-early.md.

The page covers every version: TaskGroup.cancel() is new in Python 3.15 (gh-108951),
so its tests skip before 3.15; the way before it (raise an exception of your own from
a task, catch it with except*) is tested on every version.
"""

import asyncio
import inspect
import sys

import pytest

from tests.support import load_module, run_main, timed

NEW_IN_315 = pytest.mark.skipif(
    sys.version_info < (3, 15),
    reason="TaskGroup.cancel() is new in Python 3.15 (gh-108951)",
)
PORTABLE = "raise TerminateTaskGroup, catch it with except*"
ANSWERS = ["eu: 200 OK", "us: 200 OK"]


async def test_the_recipe_prints_each_way_this_python_has(recipe):
    run = await run_main(recipe)
    portable = [
        f"{PORTABLE}:",
        f"  answers: {ANSWERS}",
        "  tasks: eu done, us raised TerminateTaskGroup, ap cancelled, sa cancelled",
        "  took 0.30 s",
    ]
    if sys.version_info >= (3, 15):
        assert run.output.splitlines() == [
            "tg.cancel():",
            f"  answers: {ANSWERS}",
            "  tasks: eu done, us cancelled, ap cancelled, sa cancelled",
            "  took 0.30 s",
            *portable,
        ]
        assert run.result == {"tg.cancel()": ANSWERS, PORTABLE: ANSWERS}
        assert run.elapsed == 0.6
    else:
        assert run.output.splitlines() == portable
        assert run.result == {PORTABLE: ANSWERS}
        assert run.elapsed == 0.3  # not 0.8: the slow mirrors were not awaited


async def test_before_3_15_the_group_stops_and_nothing_propagates(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.first_answers_before_3_15(2))
    assert run.result == ANSWERS
    assert run.elapsed == 0.3
    if sys.version_info >= (3, 13):
        assert asyncio.current_task().cancelling() == 0
    else:  # gh-116720, fixed in 3.13: the group's own cancel() is not undone
        assert asyncio.current_task().cancelling() == 1


async def test_before_3_15_the_mark_depends_on_where_the_body_is(recipe):
    module = load_module(recipe)

    async def stops() -> None:
        await asyncio.sleep(0.1)
        raise module.TerminateTaskGroup

    async def stopped_group(body_still_awaiting: bool) -> int:
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(stops())
                if body_still_awaiting:
                    await asyncio.sleep(10)  # the body is here when stops() fails
                # else: the body is at the end of the block, in the group's exit
        except* module.TerminateTaskGroup:
            pass
        task = asyncio.current_task()
        assert task is not None
        return task.cancelling()

    at_the_end = await asyncio.create_task(stopped_group(body_still_awaiting=False))
    awaiting = await asyncio.create_task(stopped_group(body_still_awaiting=True))
    if sys.version_info >= (3, 13):
        assert (at_the_end, awaiting) == (0, 0)
    else:  # gh-116720: not undone only when the body had already reached the end
        assert (at_the_end, awaiting) == (1, 0)


async def test_before_3_15_other_errors_still_propagate(recipe):
    module = load_module(recipe)

    async def fails() -> None:
        await asyncio.sleep(0.1)
        raise ValueError("mirror down")

    async def stops() -> None:
        await asyncio.sleep(0.1)
        raise module.TerminateTaskGroup

    with pytest.raises(ExceptionGroup) as raised:  # noqa: PT012
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(fails())
                tg.create_task(stops())
        except* module.TerminateTaskGroup:
            pass
    assert [repr(e) for e in raised.value.exceptions] == ["ValueError('mirror down')"]


async def test_before_3_15_the_signal_also_cancels_the_body(recipe):
    module = load_module(recipe)
    reached: list[str] = []

    async def stops() -> None:
        await asyncio.sleep(0.1)
        raise module.TerminateTaskGroup

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(stops())
            await asyncio.sleep(10)
            reached.append("body")
    except* module.TerminateTaskGroup:
        pass
    assert reached == []
    assert asyncio.get_running_loop().time() == 0.1


@pytest.mark.skipif(sys.version_info >= (3, 15), reason="3.11 to 3.14 only")
async def test_before_3_15_there_is_no_cancel_method(recipe):
    async with asyncio.TaskGroup() as tg:
        with pytest.raises(AttributeError) as raised:
            tg.cancel()
    assert str(raised.value) == "'TaskGroup' object has no attribute 'cancel'"


@NEW_IN_315
async def test_cancel_stops_the_group_without_an_exception(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.first_answers(2))
    assert run.result == ANSWERS
    assert run.elapsed == 0.3
    assert asyncio.current_task().cancelling() == 0  # nothing left pending


@NEW_IN_315
async def test_cancel_from_the_body_runs_on_to_the_next_await(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    events: list[str] = []

    async def job(delay: float) -> str:
        await asyncio.sleep(delay)
        return f"slept {delay}"

    async with asyncio.TaskGroup() as tg:
        quick = tg.create_task(job(0.1))
        slow = tg.create_task(job(1.0))
        await asyncio.sleep(0.2)
        tg.cancel()
        events.append("body runs on after cancel()")
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            events.append("the next await raised CancelledError")
            raise
    events.append("code after async with runs")
    assert events == [
        "body runs on after cancel()",
        "the next await raised CancelledError",
        "code after async with runs",
    ]
    assert quick.result() == "slept 0.1"  # finished tasks keep their results
    assert slow.cancelled()
    assert loop.time() == 0.2


@NEW_IN_315
async def test_a_body_with_no_await_left_just_ends(recipe):
    load_module(recipe)
    async with asyncio.TaskGroup() as tg:
        slow = tg.create_task(asyncio.sleep(1.0))
        await asyncio.sleep(0.1)
        tg.cancel()
    assert slow.cancelled()
    assert asyncio.get_running_loop().time() == 0.1


@NEW_IN_315
async def test_the_task_that_calls_cancel_is_cancelled_and_its_value_lost(recipe):
    load_module(recipe)
    async with asyncio.TaskGroup() as tg:

        async def finder() -> str:
            await asyncio.sleep(0.1)
            tg.cancel()
            return "found it"

        task = tg.create_task(finder())
    assert task.cancelled()
    with pytest.raises(asyncio.CancelledError):
        task.result()


@NEW_IN_315
async def test_create_task_after_cancel_raises_and_closes_the_coroutine(recipe):
    load_module(recipe)
    coro = asyncio.sleep(1)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(asyncio.sleep(1))
        tg.cancel()
        with pytest.raises(RuntimeError) as raised:
            tg.create_task(coro)
    assert str(raised.value) == (
        "TaskGroup <TaskGroup tasks=1 cancelling> is shutting down"
    )
    assert inspect.getcoroutinestate(coro) == inspect.CORO_CLOSED


@NEW_IN_315
async def test_cancel_before_entering_cancels_on_entry_and_after_exit_is_a_no_op(
    recipe,
):
    load_module(recipe)
    reached: list[str] = []
    tg = asyncio.TaskGroup()
    tg.cancel()
    async with tg:
        reached.append("body starts")
        await asyncio.sleep(1)
        reached.append("never")
    assert reached == ["body starts"]
    assert asyncio.get_running_loop().time() == 0
    tg.cancel()  # after exit: nothing happens, nothing raised
    assert asyncio.current_task().cancelling() == 0


@NEW_IN_315
async def test_an_error_during_the_shutdown_still_raises(recipe):
    load_module(recipe)

    async def bad_cleanup() -> None:
        try:
            await asyncio.sleep(1)
        finally:
            raise ValueError("cleanup failed")

    with pytest.raises(ExceptionGroup) as raised:  # noqa: PT012
        async with asyncio.TaskGroup() as tg:
            tg.create_task(bad_cleanup())
            await asyncio.sleep(0.1)
            tg.cancel()
    assert [repr(e) for e in raised.value.exceptions] == [
        "ValueError('cleanup failed')"
    ]


@NEW_IN_315
async def test_an_outer_timeout_still_raises(recipe):
    load_module(recipe)

    async def slow_cleanup() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            await asyncio.sleep(1)

    with pytest.raises(TimeoutError):  # noqa: PT012
        async with asyncio.timeout(0.5):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(slow_cleanup())
                await asyncio.sleep(0.1)
                tg.cancel()
    # The deadline passed at 0.5 s; the group first waits for the cleanup that
    # started at 0.1 s, so TimeoutError comes out at 1.1 s.
    assert asyncio.get_running_loop().time() == 1.1


@NEW_IN_315
async def test_an_outer_cancellation_still_propagates(recipe):
    load_module(recipe)

    async def inner() -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(asyncio.sleep(10))
            tg.cancel()
            await asyncio.sleep(0)

    task = asyncio.create_task(inner())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
