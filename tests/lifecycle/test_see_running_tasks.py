"""Claims of docs/lifecycle/see-running-tasks.md."""

import asyncio
import io
import subprocess
import sys

import pytest

from tests.support import load_module, run_main

STUCK_ON_SECOND_LOCK = [
    "transfer() see_running_tasks.py:15  async with second:",
    "_ContextManagerMixin.__aenter__() in asyncio",
    "Lock.acquire() in asyncio",
]


async def test_the_dump_lists_every_task_but_the_current_one_by_name(recipe):
    run = await run_main(recipe)
    assert list(run.result) == [
        "consumer",
        "ticker",
        "transfer-a-to-b",
        "transfer-b-to-a",
    ]
    assert run.elapsed == 5.0


async def test_both_transfers_wait_for_the_lock_the_other_holds(recipe):
    run = await run_main(recipe)
    assert run.result["transfer-a-to-b"] == STUCK_ON_SECOND_LOCK
    assert run.result["transfer-b-to-a"] == STUCK_ON_SECOND_LOCK


async def test_the_consumer_waits_in_queue_get_and_the_ticker_in_sleep(recipe):
    run = await run_main(recipe)
    assert run.result["consumer"] == [
        "consume() see_running_tasks.py:21  item = await queue.get()",
        "Queue.get() in asyncio",
    ]
    assert run.result["ticker"] == [
        "tick() see_running_tasks.py:29  await asyncio.sleep(1)",
        "sleep() in asyncio",
    ]


async def test_get_stack_and_print_stack_stop_at_the_tasks_own_coroutine(recipe):
    module = load_module(recipe)
    a, b = asyncio.Lock(), asyncio.Lock()
    tasks = [
        asyncio.create_task(module.transfer(a, b), name="a-to-b"),
        asyncio.create_task(module.transfer(b, a), name="b-to-a"),
    ]
    await asyncio.sleep(1)
    try:
        [frame] = tasks[0].get_stack()  # one frame: not Lock.acquire()
        assert frame.f_code.co_name == "transfer"
        assert frame.f_lineno == 15
        printed = io.StringIO()
        tasks[0].print_stack(file=printed)
        text = printed.getvalue()
        assert text.startswith("Stack for <Task pending name='a-to-b'")
        assert text.count('  File "') == 1
        assert "see_running_tasks.py" in text
        assert "acquire" not in text
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)


async def test_all_tasks_includes_the_current_task(recipe):
    load_module(recipe)
    assert asyncio.current_task() in asyncio.all_tasks()


async def test_all_tasks_leaves_out_finished_tasks_even_failed_ones(recipe):
    load_module(recipe)

    async def fails() -> None:
        raise ValueError("boom")

    finished = asyncio.create_task(asyncio.sleep(0))
    failed = asyncio.create_task(fails())
    await asyncio.wait({finished, failed})
    assert finished not in asyncio.all_tasks()
    assert failed not in asyncio.all_tasks()
    assert isinstance(failed.exception(), ValueError)  # retrieved: nothing logged


async def test_get_coro_returns_the_coroutine_object_the_task_runs(recipe):
    module = load_module(recipe)
    coro = module.tick()
    task = asyncio.create_task(coro, name="ticker")
    await asyncio.sleep(0)
    try:
        assert task.get_coro() is coro  # the same object, not a copy
        assert coro.__qualname__ == "tick"
        assert coro.cr_frame.f_lineno == 29  # suspended at its await
    finally:
        task.cancel()
        await asyncio.wait({task})


def test_the_call_graph_functions_are_new_in_3_14(recipe):
    load_module(recipe)
    for name in ("print_call_graph", "capture_call_graph"):
        assert hasattr(asyncio, name) == (sys.version_info >= (3, 14)), name


@pytest.mark.skipif(sys.version_info < (3, 14), reason="python -m asyncio ps is 3.14+")
@pytest.mark.parametrize("command", ["ps", "pstree"])
def test_python_m_asyncio_inspects_a_process_by_pid_on_3_14(recipe, command):
    load_module(recipe)
    done = subprocess.run(
        [sys.executable, "-m", "asyncio", command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith("usage: ")
    assert f" -m asyncio {command} " in done.stdout.splitlines()[0]
    assert done.stdout.splitlines()[0].endswith(" pid")
