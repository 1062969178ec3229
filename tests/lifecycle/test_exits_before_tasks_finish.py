"""Claims of docs/lifecycle/exits-before-tasks-finish.md.

The tests that call asyncio.run() themselves run on the real clock (a fresh loop, not
the test's virtual-time one); their figures are compared masked."""

import asyncio
import sys
import threading
import time

import pytest

from tests.support import DECIMAL, MASK, load_module, run_main, within_bound_sync

# The block under "The bug on its own" on the page, as asyncio.run() prints it.
BUG_ALONE = """\
0.50 s  main returns
0.50 s  send-email cancelled: it never finished
0.50 s  write-audit-log cancelled: it never finished
"""


async def test_main_returns_while_both_jobs_are_pending(recipe):
    run = await run_main(recipe)
    assert run.result["pending"] == ["send-email", "write-audit-log"]
    assert run.output.splitlines()[:5] == [
        "bug: asyncio.run(forgetful())",
        "0.50 s  main returns",
        "      pending when it returned: ['send-email', 'write-audit-log']",
        "0.50 s  send-email cancelled: it never finished",
        "0.50 s  write-audit-log cancelled: it never finished",
    ]


def test_a_real_asyncio_run_cancels_them_as_soon_as_main_returns(recipe, capsys):
    module = load_module(recipe)

    def run_it() -> tuple[list[asyncio.Task], float, str]:
        capsys.readouterr()  # what an earlier, stalled run printed
        started = time.monotonic()
        tasks = asyncio.run(module.forgetful())
        return tasks, time.monotonic() - started, capsys.readouterr().out

    tasks, elapsed, out = within_bound_sync(run_it, lambda r: r[1] < 1.0)
    assert all(task.cancelled() for task in tasks)
    assert elapsed < 1.0  # the 1 s and 2 s jobs were not waited for
    printed = DECIMAL.sub(MASK, out).splitlines()
    expected = DECIMAL.sub(MASK, BUG_ALONE).splitlines()
    assert printed[0] == expected[0]
    # asyncio.run() cancels leftover tasks in no particular order (a set)
    assert sorted(printed[1:]) == sorted(expected[1:])


async def test_waiting_for_them_lets_both_finish(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    finished = await module.waits()
    assert finished == ["send-email", "write-audit-log"]
    assert loop.time() - start == 2.0  # the slower job, not 0.5 s


async def test_the_fix_prints_both_jobs_before_main_returns(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[5:] == [
        "fix: asyncio.run(waits())",
        "1.00 s  send-email finished",
        "2.00 s  write-audit-log finished",
        "2.00 s  main returns",
    ]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="TaskGroup is Python 3.11+")
async def test_a_taskgroup_block_exits_only_when_its_tasks_are_done(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    async with asyncio.TaskGroup() as group:
        email = group.create_task(module.job("send-email", 1.0, start))
        log = group.create_task(module.job("write-audit-log", 2.0, start))
    assert (email.result(), log.result()) == ("send-email", "write-audit-log")
    assert loop.time() - start == 2.0


def test_cancelled_tasks_still_run_their_cleanup_awaits(recipe):
    load_module(recipe)
    events = []

    async def flushes_on_cancel() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            await asyncio.sleep(0.05)  # asyncio.run() waits for this too
            events.append("flushed")

    async def program() -> None:
        asyncio.create_task(flushes_on_cancel())  # noqa: RUF006 (the bug)
        await asyncio.sleep(0)

    asyncio.run(program())
    assert events == ["flushed"]


def test_a_thread_cannot_be_cancelled_so_asyncio_run_waits_for_it(recipe):
    load_module(recipe)
    done = []
    tasks = []

    def blocking() -> None:
        time.sleep(0.3)
        done.append(threading.current_thread().name)

    async def program() -> None:
        tasks.append(asyncio.create_task(asyncio.to_thread(blocking)))
        await asyncio.sleep(0.01)

    started = time.monotonic()
    asyncio.run(program())
    assert tasks[0].cancelled()  # the task was cancelled ...
    assert len(done) == 1  # ... but the thread ran to the end
    assert time.monotonic() - started >= 0.3  # and asyncio.run() waited for it
