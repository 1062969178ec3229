"""Claims of docs/tasks/cancel-on-failure.md."""

import asyncio
import contextlib
import gc
import io

import pytest

from tests.support import asyncio_log, load_module, run_main, timed

ONE_FAILS_LINES = [
    "  0.25 s  a done",
    "  0.50 s  b raises ValueError",
    "  0.50 s  c cancelled",
]
# Three jobs still running when b fails: the group cancels a and c together.
TWO_TO_CANCEL = [("a", 1.0, False), ("b", 0.5, True), ("c", 1.5, False)]


async def test_with_no_error_results_come_in_argument_order(recipe):
    run = await run_main(recipe)
    results, _ = run.result
    assert results == ["a", "b"]
    assert run.output.splitlines()[:4] == [
        "all succeed:",
        "  0.50 s  b done",
        "  1.00 s  a done",
        "  results: ['a', 'b']",
    ]


async def test_the_first_error_cancels_the_others_at_that_moment(recipe):
    run = await run_main(recipe)
    _, error = run.result
    assert error == "(ValueError('b failed'),)"
    assert run.output.splitlines()[4:] == [
        "one fails:",
        *ONE_FAILS_LINES,
        "  0.50 s  run_all raised ExceptionGroup('unhandled errors in a TaskGroup',"
        " [ValueError('b failed')])",
    ]
    assert run.elapsed == 1.0 + 0.5  # the failing run ends at 0.5 s, not 1.5 s


@pytest.mark.parametrize(
    ("run_all", "raised"),
    [("run_all", ExceptionGroup), ("run_all_with_wait", ValueError)],
)
async def test_every_running_task_is_cancelled_and_stopped_when_one_fails(
    recipe, run_all, raised
):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with (
        contextlib.redirect_stdout(io.StringIO()) as output,
        pytest.raises(raised),
    ):
        await getattr(module, run_all)(TWO_TO_CANCEL, start)
    assert loop.time() - start == 0.5
    # The group keeps its tasks in a set: a and c may report in either order.
    assert sorted(output.getvalue().splitlines()) == [
        "  0.50 s  a cancelled",
        "  0.50 s  b raises ValueError",
        "  0.50 s  c cancelled",
    ]
    assert asyncio.all_tasks() == {asyncio.current_task()}  # nothing left running


async def test_the_error_comes_wrapped_and_except_valueerror_misses_it(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    caught_by_plain_except = False

    async def call() -> None:
        nonlocal caught_by_plain_except
        try:
            await module.run_all(module.ONE_FAILS, start)
        except ValueError:
            caught_by_plain_except = True

    with (
        contextlib.redirect_stdout(io.StringIO()) as output,
        pytest.raises(ExceptionGroup) as info,
    ):
        await call()
    assert not caught_by_plain_except
    assert [repr(e) for e in info.value.exceptions] == ["ValueError('b failed')"]
    assert output.getvalue().splitlines() == ONE_FAILS_LINES
    assert loop.time() - start == 0.5


async def test_the_wait_version_prints_the_same_and_raises_the_plain_error(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with (
        contextlib.redirect_stdout(io.StringIO()) as output,
        pytest.raises(ValueError, match="b failed") as info,
    ):
        await module.run_all_with_wait(module.ONE_FAILS, start)
    assert type(info.value) is ValueError  # not wrapped
    assert output.getvalue().splitlines() == ONE_FAILS_LINES
    assert loop.time() - start == 0.5
    assert asyncio.all_tasks() == {asyncio.current_task()}


@pytest.mark.parametrize("run_all", ["run_all", "run_all_with_wait"])
async def test_both_return_results_in_argument_order(recipe, run_all):
    module = load_module(recipe)
    run = await timed(lambda: getattr(module, run_all)(module.ALL_SUCCEED, 0.0))
    assert run.result == ["a", "b"]
    assert run.elapsed == 1.0


@pytest.mark.parametrize("run_all", ["run_all", "run_all_with_wait"])
async def test_the_tasks_are_cancelled_when_run_all_is_cancelled(recipe, run_all):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with (
        contextlib.redirect_stdout(io.StringIO()) as output,
        pytest.raises(TimeoutError),
    ):
        async with asyncio.timeout(0.25):
            await getattr(module, run_all)(TWO_TO_CANCEL, start)
    assert sorted(output.getvalue().splitlines()) == [
        "  0.25 s  a cancelled",
        "  0.25 s  b cancelled",
        "  0.25 s  c cancelled",
    ]
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_gather_leaves_the_others_running(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with contextlib.redirect_stdout(io.StringIO()) as output:
        tasks = [
            asyncio.create_task(module.job(n, d, f, start)) for n, d, f in TWO_TO_CANCEL
        ]
        with pytest.raises(ValueError, match="b failed"):
            await asyncio.gather(*tasks)
        assert [task.done() for task in tasks] == [False, True, False]
        await asyncio.wait(tasks)
    assert [tasks[0].result(), tasks[2].result()] == ["a", "c"]
    assert "cancelled" not in output.getvalue()


async def test_without_the_second_wait_the_cleanup_has_not_run_yet(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with contextlib.redirect_stdout(io.StringIO()) as output:
        tasks = [
            asyncio.create_task(module.job(n, d, f, start))
            for n, d, f in module.ONE_FAILS
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in tasks:
            task.cancel()
        assert "cancelled" not in output.getvalue()  # only requested so far
        assert not tasks[2].done()
        await asyncio.wait(tasks)
    assert output.getvalue().splitlines() == ONE_FAILS_LINES


async def test_the_group_keeps_every_simultaneous_error(recipe):
    module = load_module(recipe)
    jobs = [("a", 1.0, False), ("b", 0.5, True), ("d", 0.5, True)]
    with (
        contextlib.redirect_stdout(io.StringIO()),
        pytest.raises(ExceptionGroup) as info,
    ):
        await module.run_all(jobs, asyncio.get_running_loop().time())
    assert sorted(str(e) for e in info.value.exceptions) == ["b failed", "d failed"]


async def test_the_wait_version_raises_only_the_first_of_two_errors(recipe):
    module = load_module(recipe)
    jobs = [("a", 1.0, False), ("b", 0.5, True), ("d", 0.5, True)]
    with (
        asyncio_log() as log,
        contextlib.redirect_stdout(io.StringIO()),
        pytest.raises(ValueError, match="b failed"),
    ):
        await module.run_all_with_wait(jobs, asyncio.get_running_loop().time())
    gc.collect()
    assert log.getvalue() == ""  # d's error was read: not "never retrieved"


@pytest.mark.parametrize("run_all", ["run_all", "run_all_with_wait"])
async def test_a_task_cancelled_from_outside_is_not_a_failure(recipe, run_all):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    jobs = [("a", 1.0, False), ("b", 0.5, False)]
    running = asyncio.create_task(getattr(module, run_all)(jobs, start))
    with contextlib.redirect_stdout(io.StringIO()) as output:
        await asyncio.sleep(0.25)
        [task_b] = [t for t in asyncio.all_tasks() if t.get_name() == "b"]
        task_b.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running  # task_b.result() raised it inside run_all()
    # Nobody cancelled run_all(), yet to its caller it looks cancelled.
    assert running.cancelled()
    assert output.getvalue().splitlines() == [
        "  0.25 s  b cancelled",
        "  1.00 s  a done",  # a was not cancelled: it ran to the end
    ]
    assert loop.time() - start == 1.0
