"""Claims of docs/tasks/gather-result-order.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main


async def test_gather_returns_results_in_argument_order(recipe):
    run = await run_main(recipe)
    gathered, _ = run.result
    assert gathered == ["slow", "fast", "medium"]  # the order of JOBS


async def test_gather_returns_only_when_the_slowest_has_finished(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    assert lines[1:5] == [
        "  0.50 s  fast finished",
        "  1.00 s  medium finished",
        "  1.50 s  slow finished",
        "  1.50 s  gather returned ['slow', 'fast', 'medium']",
    ]


async def test_as_completed_gives_results_in_finish_order_as_they_arrive(recipe):
    run = await run_main(recipe)
    _, completed = run.result
    assert completed == ["fast", "medium", "slow"]
    gave = [line for line in run.output.splitlines() if "as_completed gave" in line]
    assert gave == [
        "  0.50 s  as_completed gave 'fast'",
        "  1.00 s  as_completed gave 'medium'",
        "  1.50 s  as_completed gave 'slow'",
    ]
    assert run.elapsed == 1.5 + 1.5


async def test_results_zip_back_to_their_arguments(recipe):
    module = load_module(recipe)
    delays = {"slow": 1.5, "fast": 0.5, "medium": 1.0}
    results = await asyncio.gather(
        *(module.job(name, delay, 0.0) for name, delay in delays.items())
    )
    assert dict(zip(delays, results, strict=True)) == {
        "slow": "slow",
        "fast": "fast",
        "medium": "medium",
    }


async def test_as_completed_loop_yields_new_awaitables_not_your_tasks(recipe):
    module = load_module(recipe)
    tasks = [asyncio.create_task(module.job(n, d, 0.0)) for n, d in module.JOBS]
    for next_done in asyncio.as_completed(tasks):
        assert next_done not in tasks  # a wrapper: identify results by value
        await next_done


@pytest.mark.skipif(
    sys.version_info < (3, 13), reason="async for over as_completed() is new in 3.13"
)
async def test_async_for_over_as_completed_yields_the_original_tasks(recipe):
    module = load_module(recipe)
    tasks = [asyncio.create_task(module.job(n, d, 0.0)) for n, d in module.JOBS]
    finished = [task async for task in asyncio.as_completed(tasks)]
    assert finished == [tasks[1], tasks[2], tasks[0]]  # fast, medium, slow


@pytest.mark.skipif(
    sys.version_info >= (3, 13), reason="before 3.13 as_completed() has no async for"
)
async def test_as_completed_has_no_async_for_before_3_13(recipe):
    iterator = asyncio.as_completed([asyncio.sleep(0)])
    assert not hasattr(iterator, "__aiter__")
    for next_done in iterator:  # drain it, so the sleep runs and nothing leaks
        await next_done
