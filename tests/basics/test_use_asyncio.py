"""Claims of docs/basics/use-asyncio.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_three_fetches_take_the_longest_delay_not_the_sum(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 2.0  # not 2.0 + 1.0 + 0.5 = 3.5


async def test_each_fetch_finishes_after_its_own_delay(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:3] == [
        "0.50 s  c.json done",
        "1.00 s  b.json done",
        "2.00 s  a.json done",
    ]


async def test_results_come_back_in_argument_order_not_finish_order(recipe):
    run = await run_main(recipe)
    assert run.result == ["a.json", "b.json", "c.json"]


async def test_asyncio_run_refuses_to_start_inside_a_running_loop(recipe):
    coroutine = load_module(recipe).main()
    with pytest.raises(
        RuntimeError, match=r"cannot be called from a running event loop"
    ):
        asyncio.run(coroutine)
    coroutine.close()  # never started: close it so no "never awaited" warning fires
