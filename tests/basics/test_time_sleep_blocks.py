"""Claims of docs/basics/time-sleep-blocks.md (real clock: ratios, generous margins)."""

import asyncio
import logging
import os
import threading
import time

import pytest

from tests.support import Run, load_module, run_main, slow_step_seconds, within_bound

pytestmark = pytest.mark.looptime(False)  # blocking sleeps take real time


async def test_time_sleep_in_tasks_takes_the_sum_of_the_sleeps(recipe):
    module = load_module(recipe)
    elapsed = await module.measure("time.sleep", module.with_time_sleep)
    assert elapsed > 2.5 * module.DELAY  # 3 x 0.3 s, one after the other


async def test_asyncio_sleep_takes_about_one_sleep(recipe):
    module = load_module(recipe)
    elapsed = await within_bound(
        lambda: module.measure("asyncio.sleep", module.with_asyncio_sleep),
        lambda seconds: seconds < 2 * module.DELAY,
    )
    assert module.DELAY <= elapsed < 2 * module.DELAY


async def test_to_thread_takes_about_one_sleep(recipe):
    module = load_module(recipe)
    elapsed = await within_bound(
        lambda: module.measure("asyncio.to_thread", module.with_to_thread),
        lambda seconds: seconds < 2 * module.DELAY,
    )
    assert module.DELAY <= elapsed < 2 * module.DELAY


async def test_recipe_prints_each_timing_and_returns_them(recipe):
    delay = load_module(recipe).DELAY

    def overlapped(run: Run) -> bool:
        return (
            max(run.result["asyncio.sleep"], run.result["asyncio.to_thread"])
            < 2 * delay
        )

    run = await within_bound(lambda: run_main(recipe), overlapped)
    assert list(run.result) == ["time.sleep", "asyncio.sleep", "asyncio.to_thread"]
    assert run.result["time.sleep"] > 2.5 * delay
    assert run.result["asyncio.sleep"] < 2 * delay
    assert run.result["asyncio.to_thread"] < 2 * delay
    labels = [line.split()[0] for line in run.output.splitlines()[1:4]]
    assert labels == list(run.result)


async def test_a_blocked_loop_runs_no_other_task_meanwhile(recipe):
    module = load_module(recipe)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    before = ticks
    await module.with_time_sleep()  # no await inside: the ticker cannot run
    assert ticks == before
    await module.with_asyncio_sleep()
    assert ticks > before + 5
    ticking.cancel()
    with pytest.raises(asyncio.CancelledError):
        await ticking


async def test_debug_mode_names_each_blocking_task(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[4:] == [
        "debug mode: time.sleep #0 blocked the loop",
        "debug mode: time.sleep #1 blocked the loop",
        "debug mode: time.sleep #2 blocked the loop",
    ]


async def test_debug_mode_message_says_executing_task_took_seconds(recipe, caplog):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    try:
        with caplog.at_level(logging.WARNING, logger="asyncio"):
            await asyncio.create_task(module.with_time_sleep(), name="sleepy")
    finally:
        loop.set_debug(False)
    messages = [r.getMessage() for r in caplog.records if r.name == "asyncio"]
    took = [slow_step_seconds(m, task_name="sleepy") for m in messages]
    assert any(s is not None and s >= module.DELAY for s in took), messages


async def test_to_thread_runs_at_most_the_default_pool_size_at_once(recipe):
    module = load_module(recipe)
    cpus = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    workers = min(32, cpus + 4)  # ThreadPoolExecutor's default max_workers
    start = time.perf_counter()
    await asyncio.gather(
        *(asyncio.to_thread(time.sleep, module.DELAY) for _ in range(workers + 1))
    )
    elapsed = time.perf_counter() - start
    assert elapsed > 1.8 * module.DELAY  # the extra call waited for a free thread


async def test_cancelling_to_thread_does_not_stop_the_thread(recipe):
    module = load_module(recipe)
    finished = threading.Event()

    def blocking() -> None:
        time.sleep(module.DELAY)
        finished.set()

    task = asyncio.create_task(asyncio.to_thread(blocking))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not finished.is_set()  # the await gave up at once...
    assert await asyncio.to_thread(finished.wait, 5)  # ...the thread ran to the end
