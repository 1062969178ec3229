"""Claims of docs/coordination/periodic-without-drift.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_fixed_delay_drifts_by_the_work_time_every_run(recipe):
    run = await run_main(recipe)
    assert run.result["fixed delay"] == pytest.approx(
        [0.0, 1.3, 2.6, 3.9, 5.2], abs=1e-9
    )


async def test_fixed_rate_runs_on_the_whole_seconds(recipe):
    run = await run_main(recipe)
    assert run.result["fixed rate"] == [0.0, 1.0, 2.0, 3.0, 4.0]


async def test_the_drift_grows_with_every_run(recipe):
    run = await run_main(recipe)
    late = [
        d - r
        for d, r in zip(
            run.result["fixed delay"], run.result["fixed rate"], strict=True
        )
    ]
    assert late == pytest.approx([0.0, 0.3, 0.6, 0.9, 1.2], abs=1e-9)


async def test_fixed_rate_skips_missed_ticks_when_the_work_overruns(recipe):
    run = await run_main(recipe, work_time=1.5)
    assert run.result["fixed rate"] == [0.0, 2.0, 4.0, 6.0, 8.0]  # never 1.5, 3.0...


async def test_fixed_delay_always_leaves_the_full_gap_after_the_work(recipe):
    run = await run_main(recipe, work_time=1.5)
    assert run.result["fixed delay"] == [
        0.0,
        2.5,
        5.0,
        7.5,
        10.0,
    ]  # 1.5 s work + 1 s gap


async def test_fixed_rate_period_is_independent_of_the_work_time(recipe):
    module = load_module(recipe)
    for work_time in (0.0, 0.3, 0.9):
        assert await module.fixed_rate(4, 1.0, work_time) == [0.0, 1.0, 2.0, 3.0]


async def test_exact_whole_run_time(recipe):
    run = await run_main(recipe)
    # fixed delay: 5 x (0.3 s work + 1 s sleep); fixed rate ends at 5.0, hidden behind it
    assert run.elapsed == 6.5
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_after_a_hundred_periods_fixed_delay_is_30_seconds_behind(recipe):
    module = load_module(recipe)
    delay, rate = await asyncio.gather(
        module.fixed_delay(101, 1.0, 0.3), module.fixed_rate(101, 1.0, 0.3)
    )
    assert rate[-1] == 100.0
    assert delay[-1] - rate[-1] == pytest.approx(30.0, abs=1e-6)
