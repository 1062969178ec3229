"""Claims of docs/tasks/first-completed.md."""

import asyncio
import contextlib
import gc
import io

import pytest

from tests.support import asyncio_log, load_module, run_main


async def test_the_fastest_wins_and_the_losers_are_cancelled_at_once(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:5] == [
        "first to finish:",
        "  0.50 s  us answered",
        "  0.50 s  eu cancelled",
        "  0.50 s  asia cancelled",
        "  winner: us; cancelled: ['eu', 'asia']",
    ]


async def test_a_failure_drops_out_and_the_first_success_wins(recipe):
    run = await run_main(recipe)
    assert run.result[:2] == ("us", "asia")
    assert run.output.splitlines()[5:10] == [
        "first to succeed, when us fails:",
        "  0.50 s  us failed",
        "  1.00 s  asia answered",
        "  1.00 s  eu cancelled",
        "  winner: asia; cancelled: ['eu']",
    ]


async def test_when_every_mirror_fails_the_caller_gets_every_error(recipe):
    run = await run_main(recipe)
    errors = ["eu unreachable", "us unreachable", "asia unreachable"]
    assert run.result[2] == errors
    assert run.output.splitlines()[10:] == [
        "first to succeed, when every mirror fails:",
        "  0.50 s  us failed",
        "  1.00 s  asia failed",
        "  1.50 s  eu failed",
        f"  no winner: {errors}",
    ]


async def test_each_race_ends_with_its_winner_not_its_slowest(recipe):
    run = await run_main(recipe)
    # The third race has no winner: it lasts until its slowest contender fails.
    assert run.elapsed == 0.5 + 1.0 + 1.5  # not 1.5 + 1.5 + 1.5


async def test_the_losers_have_stopped_when_the_race_returns(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with contextlib.redirect_stdout(io.StringIO()):
        tasks = module.race()
        winner = await module.first_completed(tasks)
    assert loop.time() - start == 0.5
    assert winner.get_name() == "us"
    assert [task.cancelled() for task in tasks] == [True, False, True]
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_wait_alone_cancels_nothing(recipe):
    module = load_module(recipe)
    with contextlib.redirect_stdout(io.StringIO()) as output:
        tasks = module.race()
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        assert [task.get_name() for task in done] == ["us"]
        assert not any(task.cancelled() for task in pending)
        await asyncio.wait(pending)  # the losers run on to the end
    assert sorted(task.result() for task in pending) == ["asia", "eu"]
    assert "cancelled" not in output.getvalue()


async def test_cancel_returns_before_the_task_has_stopped(recipe):
    module = load_module(recipe)
    with contextlib.redirect_stdout(io.StringIO()) as output:
        task = asyncio.create_task(module.fetch("eu", 1.5, 0.0))
        await asyncio.sleep(0)  # it starts and waits in sleep()
        task.cancel()
        assert not task.cancelled()  # requested, not done: cleanup has not run
        assert output.getvalue() == ""
        await asyncio.wait([task])
    assert task.cancelled()
    assert output.getvalue().endswith("eu cancelled\n")


async def test_a_failure_counts_as_completed(recipe):
    module = load_module(recipe)
    with contextlib.redirect_stdout(io.StringIO()):
        tasks = module.race(failing=["us"])
        winner = await module.first_completed(tasks)
    assert winner.get_name() == "us"
    with pytest.raises(ConnectionError, match="us unreachable"):
        winner.result()


async def test_first_success_raises_every_error_when_every_contender_fails(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = [
        asyncio.create_task(module.fetch(name, delay, start, fail=True))
        for name, delay in module.MIRRORS
    ]
    with (
        contextlib.redirect_stdout(io.StringIO()),
        pytest.raises(ExceptionGroup) as info,
    ):
        await module.first_success(tasks)
    assert loop.time() - start == 1.5
    # BaseExceptionGroup() of Exceptions only makes an ExceptionGroup.
    assert type(info.value) is ExceptionGroup
    assert str(info.value) == "every mirror failed (3 sub-exceptions)"
    assert [str(error) for error in info.value.exceptions] == [
        "eu unreachable",
        "us unreachable",
        "asia unreachable",
    ]  # every error, in the order the contenders were given
    assert info.group_contains(ConnectionError)


async def test_no_error_is_lost_when_every_contender_fails_in_the_same_step(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    names = ["a", "b", "c", "d"]
    with (
        asyncio_log() as log,
        contextlib.redirect_stdout(io.StringIO()),
    ):
        tasks = [
            asyncio.create_task(module.fetch(name, 0.5, start, fail=True))
            for name in names
        ]
        with pytest.raises(ExceptionGroup) as info:
            await module.first_success(tasks)
        del tasks
        gc.collect()
    assert loop.time() - start == 0.5
    assert [str(error) for error in info.value.exceptions] == [
        f"{name} unreachable" for name in names
    ]
    assert log.getvalue() == ""


@pytest.mark.parametrize("winner", range(4))
async def test_failures_in_the_winners_step_are_read_not_logged(recipe, winner):
    """Four contenders finish in the same loop step (the same deadline): one answers,
    three fail. Whichever of them `done` yields first, every failure is read."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    names = ["a", "b", "c", "d"]
    with (
        asyncio_log() as log,
        contextlib.redirect_stdout(io.StringIO()),
    ):
        tasks = [
            asyncio.create_task(module.fetch(name, 0.5, start, fail=n != winner))
            for n, name in enumerate(names)
        ]
        answer = await module.first_success(tasks)
        del tasks
        gc.collect()
    assert answer == names[winner]
    assert loop.time() - start == 0.5
    assert "Task exception was never retrieved" not in log.getvalue()
    assert log.getvalue() == ""


async def test_stopping_at_the_first_success_in_done_leaves_errors_unread(recipe):
    """The bug first_success() avoids: return as soon as `done` yields a success."""
    module = load_module(recipe)

    async def naive_first_success(tasks: list[asyncio.Task[str]]) -> str:
        pending = set(tasks)
        try:
            while pending:
                done, pending = await asyncio.wait(
                    pending, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done:
                    if task.exception() is None:
                        return task.result()  # the failures after it go unread
            raise ConnectionError("every mirror failed")
        finally:
            await module.cancel_and_wait(tasks)

    names = ["a", "b", "c", "d"]
    with asyncio_log() as log, contextlib.redirect_stdout(io.StringIO()):
        # The winner at each position in turn: whatever order the set yields,
        # some failure comes after the success in most of these rounds.
        for winner in range(len(names)):
            tasks = [
                asyncio.create_task(module.fetch(name, 0.5, 0.0, fail=n != winner))
                for n, name in enumerate(names)
            ]
            assert await naive_first_success(tasks) == names[winner]
            del tasks
            gc.collect()
    assert "Task exception was never retrieved" in log.getvalue()


async def test_the_contenders_are_cancelled_when_the_race_is_cancelled(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with contextlib.redirect_stdout(io.StringIO()):
        tasks = module.race()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(module.first_completed(tasks), timeout=0.25)
    assert loop.time() - start == 0.25
    assert all(task.cancelled() for task in tasks)


async def test_done_can_hold_several_tasks(recipe):
    module = load_module(recipe)
    with contextlib.redirect_stdout(io.StringIO()):
        tasks = [
            asyncio.create_task(module.fetch(name, 0.5, 0.0), name=name)
            for name in ("x", "y")
        ]
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    assert done == set(tasks)
    assert pending == set()


async def test_first_completed_picks_the_first_in_the_callers_order(recipe):
    module = load_module(recipe)
    for order in (["x", "y", "z"], ["z", "y", "x"], ["y", "z", "x"]):
        with contextlib.redirect_stdout(io.StringIO()):
            tasks = [
                asyncio.create_task(module.fetch(name, 0.5, 0.0), name=name)
                for name in order
            ]
            winner = await module.first_completed(tasks)
        assert winner is tasks[0]  # all three finished in the same step


async def test_wait_refuses_coroutines(recipe):
    module = load_module(recipe)
    coroutine = module.fetch("us", 0.5, 0.0)
    with pytest.raises(TypeError) as info:
        await asyncio.wait([coroutine], return_when=asyncio.FIRST_COMPLETED)
    assert str(info.value) == "Passing coroutines is forbidden, use tasks explicitly."
    coroutine.close()  # never started: close it so no "never awaited" warning fires


def test_asyncio_has_no_builtin_race(recipe):
    load_module(recipe)
    assert not hasattr(asyncio, "race")
