"""Claims of docs/tasks/event-loop-scheduling.md."""

import asyncio
import logging
import time

import pytest

from tests.support import load_module, run_main, slow_step_seconds


async def test_without_awaits_each_task_runs_to_the_end_before_the_next(recipe):
    run = await run_main(recipe)
    one_at_a_time, _ = run.result
    assert one_at_a_time == ["A1", "A2", "A3", "B1", "B2", "B3"]


async def test_sleep_0_between_steps_makes_the_tasks_take_turns(recipe):
    run = await run_main(recipe)
    _, taking_turns = run.result
    assert taking_turns == ["A1", "B1", "A2", "B2", "A3", "B3"]


async def test_printed_steps_and_main_runs_first(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        "no await between steps:",
        "  main: both tasks created, neither has started",
        "  A step 1",
        "  A step 2",
        "  A step 3",
        "  B step 1",
        "  B step 2",
        "  B step 3",
        "await asyncio.sleep(0) between steps:",
        "  main: both tasks created, neither has started",
        "  A step 1",
        "  B step 1",
        "  A step 2",
        "  B step 2",
        "  A step 3",
        "  B step 3",
    ]
    assert run.elapsed == 0.0  # sleep(0) yields without waiting


async def test_awaiting_a_coroutine_that_never_suspends_does_not_hand_over(recipe):
    module = load_module(recipe)
    log: list[str] = []

    async def compute() -> int:  # async def, but it never awaits anything
        return module.busy()

    async def worker(name: str) -> None:
        for step in (1, 2, 3):
            await compute()
            log.append(f"{name}{step}")

    await asyncio.gather(worker("A"), worker("B"))
    assert log == ["A1", "A2", "A3", "B1", "B2", "B3"]


def block_for(seconds: float) -> None:
    """A CPU loop with no await: burns real time."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


@pytest.mark.looptime(False)
async def test_a_cpu_loop_delays_every_other_task_even_timers(recipe):
    loop = asyncio.get_running_loop()
    woke: list[float] = []

    async def heartbeat() -> None:
        await asyncio.sleep(0.01)
        woke.append(loop.time())

    async def cruncher() -> float:
        block_for(0.3)
        return loop.time()

    beat = asyncio.create_task(heartbeat())
    crunch = asyncio.create_task(cruncher())
    start = loop.time()
    await asyncio.gather(beat, crunch)
    # The heartbeat was due after 0.01 s, but could only wake once the CPU loop ended.
    assert woke[0] >= crunch.result()
    assert woke[0] - start >= 0.3


@pytest.mark.looptime(False)
async def test_debug_mode_names_the_step_that_blocked_the_loop(recipe, caplog):
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    assert loop.slow_callback_duration == 0.1  # the default the page quotes

    async def cruncher() -> None:
        block_for(0.3)

    with caplog.at_level(logging.WARNING, logger="asyncio"):
        await asyncio.create_task(cruncher(), name="cruncher")
    loop.set_debug(False)
    messages = [r.getMessage() for r in caplog.records]
    took = (slow_step_seconds(m, task_name="cruncher") for m in messages)
    slow = [seconds for seconds in took if seconds is not None]
    assert slow, messages
    assert slow[0] >= 0.3
