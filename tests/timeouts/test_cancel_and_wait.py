"""Claims of docs/timeouts/cancel-and-wait.md."""

import asyncio
import contextlib
import io
import sys
from collections.abc import AsyncIterator

import pytest

from tests.support import load_module, run_main

OUTPUT = [
    "2.00 s  main: cancelling the upload",
    "2.00 s  upload: cancelled, deleting the partial file",
    "3.50 s  upload: partial file deleted",
    "3.50 s  main: upload stopped, cancelled() = True",
]


async def test_main_waits_for_the_cleanup_and_the_task_ends_cancelled(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == OUTPUT
    assert run.elapsed == 3.5  # 2 s of upload + 1.5 s of cleanup after cancel()
    assert run.result == (True, False)  # cancelled; a second cancel() returns False


async def test_cancel_is_only_a_request_and_returns_true(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(module.upload(loop.time()))
    await asyncio.sleep(2.0)
    assert task.cancel() is True
    assert not task.done()
    await asyncio.sleep(1.0)  # a second later it is still cleaning up
    assert not task.done()
    await asyncio.wait([task])
    assert task.cancelled()


async def test_cancel_on_a_finished_task_returns_false(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.upload(0.0))
    await asyncio.sleep(0.5)
    await module.cancel_and_wait(task)
    assert task.cancel() is False
    done = asyncio.create_task(asyncio.sleep(0.0, result="ok"))
    await done
    assert done.cancel() is False
    assert done.result() == "ok"  # not cancelled: it had already finished


async def test_true_from_cancel_does_not_mean_the_task_will_stop(recipe):
    load_module(recipe)

    async def stubborn() -> str:
        try:
            await asyncio.sleep(10.0)
        except asyncio.CancelledError:
            return "I refuse"  # swallows the cancellation: a bug
        return "finished"

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(1.0)
    assert task.cancel() is True
    assert await task == "I refuse"
    assert not task.cancelled()


async def test_a_task_cancelled_before_it_starts_never_runs(recipe):
    load_module(recipe)
    ran: list[str] = []

    async def job() -> None:
        try:
            ran.append("started")
            await asyncio.sleep(1.0)
        finally:
            ran.append("finally")

    task = asyncio.create_task(job())
    task.cancel()  # before the loop got to run it
    await asyncio.wait([task])
    assert task.cancelled()
    assert ran == []  # not even its finally block ran


async def test_except_cancellederror_pass_swallows_a_cancellation_aimed_at_you(recipe):
    module = load_module(recipe)

    async def naive_cancel_and_wait(task: asyncio.Task[None]) -> str:
        task.cancel()
        try:  # noqa: SIM105 - written out as it is usually written
            await task
        except asyncio.CancelledError:
            pass  # the bug: also eats a cancel() aimed at this coroutine
        return "carried on"

    upload = asyncio.create_task(module.upload(0.0))
    await asyncio.sleep(1.0)
    stopper = asyncio.create_task(naive_cancel_and_wait(upload))
    await asyncio.sleep(0.5)
    stopper.cancel()
    assert await stopper == "carried on"  # it ignored its own cancellation
    assert not stopper.cancelled()


async def test_cancelling_the_waiter_does_not_cut_the_cleanup_short(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    with contextlib.redirect_stdout(io.StringIO()) as output:
        upload = asyncio.create_task(module.upload(0.0))
        await asyncio.sleep(1.0)
        stopper = asyncio.create_task(module.cancel_and_wait(upload))
        await asyncio.sleep(0.5)  # the upload is cleaning up; the stopper waits
        stopper.cancel()  # cancel the waiter itself
        await asyncio.wait([stopper])
    assert output.getvalue().splitlines() == [
        "1.00 s  upload: cancelled, deleting the partial file",
        "2.50 s  upload: partial file deleted",  # the 1.5 s cleanup ran in full
    ]
    assert loop.time() == 2.5  # the stopper waited for it, then stopped too
    assert upload.cancelled()
    assert stopper.cancelled()  # its own cancellation was passed on, not swallowed


async def test_await_task_passes_the_waiters_cancellation_on_to_the_task(recipe):
    """The bug cancel_and_wait() avoids: `await task` to wait for it."""
    module = load_module(recipe)
    loop = asyncio.get_running_loop()

    async def await_cancel_and_wait(task: asyncio.Task[None]) -> None:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # right: our own cancellation is not swallowed

    with contextlib.redirect_stdout(io.StringIO()) as output:
        upload = asyncio.create_task(module.upload(0.0))
        await asyncio.sleep(1.0)
        stopper = asyncio.create_task(await_cancel_and_wait(upload))
        await asyncio.sleep(0.5)
        stopper.cancel()  # cancels `upload` again, in the middle of its cleanup
        await asyncio.wait([stopper])
    assert output.getvalue().splitlines() == [
        "1.00 s  upload: cancelled, deleting the partial file",
    ]  # never "partial file deleted": the cleanup was cut short at 1.5 s
    assert loop.time() == 1.5
    assert upload.cancelled()
    assert stopper.cancelled()


async def test_a_timeout_around_the_waiter_fires_once_the_task_has_stopped(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    with contextlib.redirect_stdout(io.StringIO()) as output:
        upload = asyncio.create_task(module.upload(0.0))
        await asyncio.sleep(1.0)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):
                await module.cancel_and_wait(upload)
    assert loop.time() == 2.5  # not 1.5: the cleanup was not cut short
    assert output.getvalue().endswith("2.50 s  upload: partial file deleted\n")
    assert upload.cancelled()


@contextlib.asynccontextmanager
async def stubborn() -> AsyncIterator[asyncio.Task[None]]:
    """A task that ignores cancel() (a bug), for as long as the block lasts; then it
    is allowed to stop, so that no test leaves it running whatever happens."""
    refuse = True

    async def run() -> None:
        while True:
            try:
                await asyncio.sleep(10.0)
            except asyncio.CancelledError:
                if not refuse:
                    raise
                # swallowed: the task carries on as if nothing had happened

    task = asyncio.create_task(run())
    try:
        yield task
    finally:
        refuse = False
        task.cancel()
        await asyncio.wait([task])


async def test_a_task_that_ignores_cancel_is_given_up_on_after_the_timeout(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with stubborn() as task:
        await asyncio.sleep(1.0)
        with pytest.raises(TimeoutError) as info:
            await module.cancel_and_wait(task, timeout=5.0)
        assert loop.time() == 6.0  # 1 s, then the 5 s it was given
        assert str(info.value) == "the task is still running 5.0 s after cancel()"
        assert not task.done()  # left running: asyncio has no way to force a task
    assert task.cancelled()


async def test_a_cancelled_waiter_of_a_task_that_ignores_cancel_is_bounded_too(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with stubborn() as task:
        await asyncio.sleep(1.0)
        stopper = asyncio.create_task(module.cancel_and_wait(task, timeout=5.0))
        await asyncio.sleep(1.0)
        stopper.cancel()
        await asyncio.wait([stopper])
        assert loop.time() == 6.0  # bounded by the timeout, cancelled or not
        assert stopper.cancelled()  # its own CancelledError, not a TimeoutError
        assert not task.done()


async def test_without_a_timeout_a_task_that_ignores_cancel_is_waited_for_ever(
    recipe,
):
    module = load_module(recipe)
    async with stubborn() as task:
        stopper = asyncio.create_task(module.cancel_and_wait(task))
        await asyncio.sleep(3600)
        assert not stopper.done()  # an hour later, still waiting
        stopper.cancel()
        await asyncio.sleep(3600)
        assert not stopper.done()  # cancelled once: it waits on for the task
        stopper.cancel()
        await asyncio.wait([stopper])
        assert stopper.cancelled()  # a second cancel() gets it out
        assert not task.done()


async def test_a_second_cancel_stops_the_waiter_at_once_and_spares_the_cleanup(
    recipe,
):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    with contextlib.redirect_stdout(io.StringIO()) as output:
        upload = asyncio.create_task(module.upload(0.0))
        await asyncio.sleep(1.0)
        stopper = asyncio.create_task(module.cancel_and_wait(upload))
        await asyncio.sleep(0.5)
        stopper.cancel()  # the stopper waits on for the cleanup...
        await asyncio.sleep(0.5)
        stopper.cancel()  # ...until it is cancelled a second time
        await asyncio.wait([stopper])
        assert loop.time() == 2.0
        assert stopper.cancelled()
        assert not upload.done()  # still deleting its partial file: left alone
        await asyncio.wait([upload])
    assert loop.time() == 2.5
    assert output.getvalue().endswith("2.50 s  upload: partial file deleted\n")
    assert upload.cancelled()


async def test_an_error_raised_by_the_cleanup_reaches_the_caller(recipe):
    module = load_module(recipe)

    async def broken_cleanup() -> None:
        try:
            await asyncio.sleep(10.0)
        except asyncio.CancelledError:
            raise OSError("could not delete the partial file") from None

    task = asyncio.create_task(broken_cleanup())
    await asyncio.sleep(1.0)
    with pytest.raises(OSError, match="could not delete the partial file"):
        await module.cancel_and_wait(task)
    assert not task.cancelled()  # it ended with that error instead


async def job_that_records(ran: list[str]) -> None:
    try:
        ran.append("started")
        await asyncio.sleep(1.0)
    finally:
        ran.append("finally")


@pytest.mark.skipif(
    sys.version_info < (3, 12), reason="asyncio.eager_task_factory is new in 3.12"
)
async def test_an_eager_task_has_started_before_it_can_be_cancelled(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    ran: list[str] = []
    factory = loop.get_task_factory()
    loop.set_task_factory(asyncio.eager_task_factory)
    try:
        task = asyncio.create_task(job_that_records(ran))
        assert ran == ["started"]  # ran inside create_task(), up to its first await
        task.cancel()
    finally:
        loop.set_task_factory(factory)
    await asyncio.wait([task])
    assert task.cancelled()
    assert ran == ["started", "finally"]  # its finally block ran


@pytest.mark.skipif(
    sys.version_info < (3, 14),
    reason="asyncio.create_task() takes eager_start= from Python 3.14",
)
async def test_create_task_with_eager_start_runs_the_coroutine_at_once(recipe):
    load_module(recipe)
    ran: list[str] = []
    task = asyncio.create_task(job_that_records(ran), eager_start=True)
    assert ran == ["started"]
    task.cancel()
    await asyncio.wait([task])
    assert task.cancelled()
    assert ran == ["started", "finally"]


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="Python 3.12+ has asyncio.eager_task_factory"
)
def test_before_312_there_are_no_eager_tasks(recipe):
    load_module(recipe)
    assert not hasattr(asyncio, "eager_task_factory")


@pytest.mark.skipif(
    sys.version_info >= (3, 14),
    reason="asyncio.create_task() takes eager_start= from Python 3.14",
)
async def test_before_314_create_task_refuses_eager_start(recipe):
    load_module(recipe)
    coroutine = job_that_records([])
    with pytest.raises(TypeError, match="eager_start"):
        asyncio.create_task(coroutine, eager_start=True)  # noqa: RUF006 - it raises
    coroutine.close()  # never started: no "never awaited" warning
