"""Claims of docs/tasks/gather-exception.md."""

import asyncio
import gc
import weakref

import pytest

from tests.support import Recipe, load_module, run_main


async def test_the_first_error_reaches_the_caller_at_once(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[1:4] == [
        "  0.50 s  b raises ValueError",
        "  0.50 s  gather raised ValueError('b failed')",
        "  0.50 s  still running: ['a', 'c']",
    ]


async def test_the_other_tasks_keep_running_and_finish(recipe):
    run = await run_main(recipe)
    finished, _ = run.result
    # Both finished after gather had raised (at 0.5 s), at their own times.
    assert finished == {"a": 1.0, "c": 1.5}
    assert run.output.splitlines()[4:7] == [
        "  1.00 s  a finished",
        "  1.50 s  c finished",
        "  1.50 s  all done; cancelled: []",
    ]


async def test_gather_does_not_cancel_tasks_it_was_given(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    finished: dict[str, float] = {}
    tasks = [
        asyncio.create_task(module.job(n, d, f, start, finished))
        for n, d, f in module.JOBS
    ]
    with pytest.raises(ValueError, match="b failed"):
        await asyncio.gather(*tasks)
    assert loop.time() - start == 0.5
    assert [task.done() for task in tasks] == [False, True, False]
    await asyncio.sleep(1.0)  # the caller does other work; a and c run on
    assert finished == {"a": 1.0, "c": 1.5}
    assert not any(task.cancelled() for task in tasks)


async def test_return_exceptions_gives_results_and_errors_in_argument_order(recipe):
    run = await run_main(recipe)
    _, results = run.result
    assert results[0] == "a"
    assert isinstance(results[1], ValueError)
    assert str(results[1]) == "b failed"
    assert results[2] == "c"
    assert run.output.splitlines()[-1] == (
        "  1.50 s  gather returned ['a', ValueError('b failed'), 'c']"
    )
    assert run.elapsed == 1.5 + 1.5


async def test_cancelling_the_gather_cancels_every_child(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    finished: dict[str, float] = {}
    tasks = [
        asyncio.create_task(module.job(n, d, False, loop.time(), finished))
        for n, d, _ in module.JOBS
    ]
    gathering = asyncio.gather(*tasks)
    await asyncio.sleep(0.25)
    gathering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gathering
    assert all(task.cancelled() for task in tasks)
    await asyncio.sleep(2.0)
    assert finished == {}  # none of them ran to the end


async def test_a_timeout_around_gather_cancels_every_child(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    finished: dict[str, float] = {}
    tasks = [
        asyncio.create_task(module.job(n, d, False, loop.time(), finished))
        for n, d, _ in module.JOBS
    ]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=0.25)
    assert all(task.cancelled() for task in tasks)
    await asyncio.sleep(2.0)
    assert finished == {}


async def test_a_later_error_from_another_task_is_dropped_silently(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    reported: list[str] = []
    loop.set_exception_handler(lambda _, context: reported.append(context["message"]))
    jobs = [("x", 0.5, True), ("y", 1.0, True)]  # both fail, y later
    with pytest.raises(ValueError, match="x failed"):
        await asyncio.gather(
            *(module.job(n, d, f, loop.time(), {}) for n, d, f in jobs)
        )
    [y_task] = asyncio.all_tasks() - {asyncio.current_task()}
    y_ref = weakref.ref(y_task)
    del y_task
    await asyncio.sleep(1.0)  # y fails now, with nobody awaiting it
    gc.collect()
    # Had y's error not been retrieved, collecting its task would have reported
    # "Task exception was never retrieved". gather() retrieved it and dropped it.
    assert y_ref() is None
    assert reported == []
    loop.set_exception_handler(None)


async def test_an_unretrieved_task_error_would_be_reported(recipe):
    """The control for the test above: without gather, the loss is reported."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    reported: list[str] = []
    loop.set_exception_handler(lambda _, context: reported.append(context["message"]))
    task_ref = weakref.ref(
        asyncio.create_task(module.job("y", 1.0, True, loop.time(), {}))
    )
    await asyncio.sleep(1.0)
    await asyncio.sleep(0)
    gc.collect()
    assert task_ref() is None
    assert reported == ["Task exception was never retrieved"]
    loop.set_exception_handler(None)


async def test_taskgroup_cancels_the_others_instead(recipe):
    taskgroup = load_module(Recipe("tasks", "taskgroup"))
    loop = asyncio.get_running_loop()
    start = loop.time()
    states = await taskgroup.one_fails(start)
    assert loop.time() - start == 0.5
    assert states["a"] == states["c"] == "cancelled"
