"""Claims of docs/timeouts/cancel-and-wait.md."""

import asyncio

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


async def test_recipe_passes_on_a_cancellation_aimed_at_the_waiter(recipe):
    module = load_module(recipe)
    upload = asyncio.create_task(module.upload(0.0))
    await asyncio.sleep(1.0)
    stopper = asyncio.create_task(module.cancel_and_wait(upload))
    await asyncio.sleep(0.5)  # the upload is cleaning up; the stopper waits
    stopper.cancel()  # cancel the waiter itself
    await asyncio.wait([stopper])
    assert stopper.cancelled()  # the recipe let its own cancellation through
    assert upload.cancelled()


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
