"""Claims of docs/messages/task-destroyed-pending.md."""

import asyncio
import gc
import re

from tests.support import asyncio_log, load_module, run_main


async def test_an_unreferenced_pending_task_is_destroyed_and_reported(recipe):
    run = await run_main(recipe)
    assert run.result["reported"] == [
        "Task was destroyed but it is pending! (heartbeat)"
    ]
    assert run.output.splitlines()[0] == (
        "bug: Task was destroyed but it is pending! (heartbeat)"
    )


async def test_keeping_a_reference_removes_it_and_the_task_is_stopped(recipe):
    module = load_module(recipe)
    with asyncio_log() as log:
        kept = await module.kept_task()
        gc.collect()
    assert kept == "heartbeat cancelled=True, 0 left"
    assert log.getvalue() == ""


async def test_default_handler_logs_this_text_on_every_version(recipe):
    module = load_module(recipe)
    with asyncio_log() as log:
        asyncio.create_task(module.heartbeat(), name="heartbeat")  # noqa: RUF006
        await asyncio.sleep(1)
        gc.collect()
    # Identical on 3.11 to 3.15:
    lines = log.getvalue().splitlines()
    assert lines[0] == "Task was destroyed but it is pending!"
    assert re.fullmatch(
        r"task: <Task pending name='heartbeat' coro=<heartbeat\(\) done,"
        r" defined at .*task_destroyed_pending\.py:\d+>"
        r" wait_for=<Future pending cb=\[Task\.task_wakeup\(\)\]>>",
        lines[1],
    )
    assert len(lines) == 2


async def test_a_task_sleeping_on_the_loop_clock_is_not_collected(recipe):
    load_module(recipe)
    with asyncio_log() as log:
        asyncio.create_task(asyncio.sleep(5), name="sleeper")  # noqa: RUF006
        await asyncio.sleep(1)
        gc.collect()
        assert log.getvalue() == ""  # the loop's timer still references it
        await asyncio.sleep(5)  # let it finish


async def test_the_destroyed_coroutine_is_closed_and_its_finally_runs(recipe):
    load_module(recipe)
    events = []

    async def worker() -> None:
        stop = asyncio.get_running_loop().create_future()
        try:
            await stop
        finally:
            events.append("finally ran during garbage collection")

    with asyncio_log() as log:
        asyncio.create_task(worker())  # noqa: RUF006
        await asyncio.sleep(1)
        assert events == []
        gc.collect()
    assert events == ["finally ran during garbage collection"]
    assert log.getvalue().startswith("Task was destroyed but it is pending!\n")


def test_closing_a_loop_with_pending_tasks_reports_them(recipe):
    module = load_module(recipe)
    reported = []
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(
        lambda _loop, context: reported.append(context["message"])
    )

    async def start_background() -> None:
        asyncio.create_task(module.heartbeat())  # noqa: RUF006

    loop.run_until_complete(start_background())
    loop.close()  # the heartbeat task is still pending
    gc.collect()
    assert reported == ["Task was destroyed but it is pending!"]


def test_asyncio_run_cancels_leftover_tasks_so_it_reports_nothing(recipe):
    module = load_module(recipe)
    reported = []
    leftover = []

    async def start_background() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, context: reported.append(context))
        leftover.append(asyncio.create_task(module.heartbeat()))
        await asyncio.sleep(0)

    asyncio.run(start_background())
    gc.collect()
    assert leftover[0].cancelled()
    assert reported == []
