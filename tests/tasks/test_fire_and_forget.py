"""Claims of docs/tasks/fire-and-forget.md."""

import asyncio
import contextlib
import gc
import io
import weakref

from tests.support import asyncio_log, load_module, run_main, timed


async def wait_forever() -> None:
    """A task suspended on a future that nothing else references."""
    await asyncio.get_running_loop().create_future()


async def test_main_carries_on_and_the_error_is_reported_when_it_happens(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "0.00 s  main started 3 tasks and carries on",
        "0.50 s  email to ada@example.com sent",
        "1.00 s  webhook raises ConnectionError",
        "  report: webhook failed: ConnectionError('webhook unreachable')",
        "1.50 s  main is done; still running: ['cache']",
        "  report: cache was cancelled",
        "2.50 s  shut down; cancelled: ['cache']",
    ]


async def test_shutdown_gives_grace_then_cancels_the_rest(recipe):
    run = await run_main(recipe)
    assert run.result == ["cache"]
    assert run.elapsed == 1.5 + 1.0  # main's work, then the grace period, not 10 s


async def test_the_set_forgets_each_task_once_it_is_done(recipe):
    module = load_module(recipe)
    run = await timed(module.main)
    assert run.result == ["cache"]
    assert module.background_tasks == set()


async def test_shutdown_returns_after_the_cancelled_tasks_have_stopped(recipe):
    module = load_module(recipe)
    events: list[str] = []

    async def slow() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            events.append("finally ran")

    with contextlib.redirect_stdout(io.StringIO()):
        module.fire_and_forget(slow(), name="slow")
        assert await module.shutdown(grace=1.0) == ["slow"]
        assert events == ["finally ran"]
        await asyncio.sleep(0)  # let the done callbacks run
    assert module.background_tasks == set()


async def test_an_unreferenced_task_can_be_destroyed_mid_run(recipe):
    load_module(recipe)
    with asyncio_log() as log:
        task_ref = weakref.ref(asyncio.create_task(wait_forever()))
        await asyncio.sleep(1)
        gc.collect()
    assert task_ref() is None
    assert log.getvalue().startswith("Task was destroyed but it is pending!\n")


async def test_a_task_kept_in_the_set_survives_garbage_collection(recipe):
    module = load_module(recipe)
    output = io.StringIO()
    with asyncio_log() as log, contextlib.redirect_stdout(output):
        task_ref = weakref.ref(module.fire_and_forget(wait_forever(), name="waiter"))
        await asyncio.sleep(1)
        gc.collect()
        task = task_ref()
        assert task is not None
        assert not task.done()
        del task
        assert await module.shutdown(grace=0) == ["waiter"]
        gc.collect()
    assert log.getvalue() == ""
    assert output.getvalue() == "  report: waiter was cancelled\n"


async def test_without_report_the_error_is_logged_only_when_collected(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    with asyncio_log() as log, contextlib.redirect_stdout(io.StringIO()):
        task = asyncio.create_task(module.call_webhook(loop.time()))
        module.background_tasks.add(task)  # the set, but no report() callback
        task.add_done_callback(module.background_tasks.discard)
        await asyncio.sleep(1.5)
        assert task.done()
        assert log.getvalue() == ""  # failed 0.5 s ago: nothing said yet
        del task
        gc.collect()
    assert log.getvalue().startswith("Task exception was never retrieved\n")
    assert "ConnectionError: webhook unreachable" in log.getvalue()


async def test_with_report_the_error_is_printed_at_once_and_nothing_logged(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    output = io.StringIO()
    reported_at: list[float] = []
    with asyncio_log() as log, contextlib.redirect_stdout(output):
        task = module.fire_and_forget(module.call_webhook(start), name="webhook")
        # Runs right after report(): callbacks run in the order they were added.
        task.add_done_callback(lambda _: reported_at.append(loop.time() - start))
        del task
        await asyncio.sleep(2.0)
        gc.collect()
    assert output.getvalue().splitlines() == [
        "1.00 s  webhook raises ConnectionError",
        "  report: webhook failed: ConnectionError('webhook unreachable')",
    ]
    assert reported_at == [1.0]
    assert module.background_tasks == set()
    assert log.getvalue() == ""


def test_asyncio_run_cancels_tasks_still_running_when_main_returns(recipe):
    module = load_module(recipe)
    output = io.StringIO()
    leftover: list[asyncio.Task[None]] = []

    async def forgetful_main() -> None:
        start = asyncio.get_running_loop().time()
        leftover.append(
            module.fire_and_forget(module.refresh_cache(start), name="cache")
        )
        await asyncio.sleep(0)  # it starts, then main returns without waiting

    with contextlib.redirect_stdout(output):
        asyncio.run(forgetful_main())
    assert leftover[0].cancelled()
    # It never refreshed the cache; report() saw the cancellation during shutdown.
    assert output.getvalue() == "  report: cache was cancelled\n"


async def test_exception_on_a_cancelled_task_raises_inside_the_callback(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    contexts: list[dict] = []
    loop.set_exception_handler(lambda _, context: contexts.append(context))
    try:
        task = asyncio.create_task(asyncio.sleep(10))
        task.add_done_callback(lambda t: t.exception())  # no cancelled() check
        await asyncio.sleep(0)
        task.cancel()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    assert task.cancelled()
    [context] = contexts
    assert context["message"].startswith("Exception in callback")
    assert isinstance(context["exception"], asyncio.CancelledError)
