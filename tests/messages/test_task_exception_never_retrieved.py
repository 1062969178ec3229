"""Claims of docs/messages/task-exception-never-retrieved.md."""

import asyncio
import gc
import re

from tests.support import asyncio_log, load_module, run_main


async def test_a_failed_task_nobody_awaits_is_reported(recipe):
    run = await run_main(recipe)
    assert run.result["reported"] == [
        "Task exception was never retrieved: ConnectionError('user 1: connection reset')"
    ]
    assert run.output.splitlines()[0] == (
        "bug: Task exception was never retrieved:"
        " ConnectionError('user 1: connection reset')"
    )


async def test_awaiting_the_task_hands_you_the_exception_and_no_report(recipe):
    module = load_module(recipe)
    with asyncio_log() as log:
        handled = await module.awaited_task()
        gc.collect()
    assert handled == "handled: user 1: connection reset"
    assert log.getvalue() == ""


async def test_default_handler_logs_this_text_on_every_version(recipe):
    module = load_module(recipe)
    with asyncio_log() as log:
        task = asyncio.create_task(module.fetch_user(1), name="fetch-1")
        await asyncio.sleep(1)
        del task
    lines = log.getvalue().splitlines()
    # Identical on 3.11 to 3.15:
    assert lines[0] == "Task exception was never retrieved"
    assert re.fullmatch(
        r"future: <Task finished name='fetch-1' coro=<fetch_user\(\) done,"
        r" defined at .*task_exception_never_retrieved\.py:\d+>"
        r" exception=ConnectionError\('user 1: connection reset'\)>",
        lines[1],
    )
    assert lines[2] == "Traceback (most recent call last):"
    assert lines[-1] == "ConnectionError: user 1: connection reset"


async def test_nothing_is_reported_while_a_reference_is_kept(recipe):
    module = load_module(recipe)
    with asyncio_log() as log:
        tasks = [asyncio.create_task(module.fetch_user(1))]
        await asyncio.sleep(1)
        assert tasks[0].done()
        assert log.getvalue() == ""  # failed, but still referenced: silent
        tasks.clear()
    assert log.getvalue().startswith("Task exception was never retrieved\n")


async def test_calling_exception_counts_as_retrieving_it(recipe):
    module = load_module(recipe)
    with asyncio_log() as log:
        task = asyncio.create_task(module.fetch_user(1))
        await asyncio.sleep(1)
        assert isinstance(task.exception(), ConnectionError)
        del task
    assert log.getvalue() == ""


async def test_a_cancelled_task_is_never_reported(recipe):
    module = load_module(recipe)
    with asyncio_log() as log:
        task = asyncio.create_task(module.fetch_user(1))
        await asyncio.sleep(0.1)
        task.cancel()
        await asyncio.sleep(0)
        assert task.cancelled()
        del task
        gc.collect()
    assert log.getvalue() == ""
