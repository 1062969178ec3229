"""Claims of docs/threads/call-async-from-sync.md.

Synchronous tests: the page is about code where no event loop is running."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_prints_each_way_and_returns_the_prices(recipe):
    run = await run_main(recipe)
    assert run.result == [1.25, 0.8, 2.5]
    assert run.output.splitlines() == [
        "asyncio.run(fetch_price('apple')) -> 1.25",
        "asyncio.run() three times: 3 event loops",
        "asyncio.Runner(): prices [1.25, 0.8, 2.5], 1 event loop for all",
    ]


def test_asyncio_run_returns_the_coroutines_value_and_closes_its_loop(recipe):
    module = load_module(recipe)
    assert asyncio.run(module.fetch_price("pear")) == 0.8
    loop = asyncio.run(module.which_loop())
    assert loop.is_closed()


def test_each_asyncio_run_uses_a_new_loop(recipe):
    module = load_module(recipe)
    loops = [asyncio.run(module.which_loop()) for _ in range(3)]
    assert len(set(loops)) == 3


def test_runner_runs_several_coroutines_on_one_loop_and_closes_it(recipe):
    module = load_module(recipe)
    with asyncio.Runner() as runner:
        loops = [runner.run(module.which_loop()) for _ in range(3)]
        assert runner.run(module.fetch_price("plum")) == 2.5
        assert runner.get_loop() is loops[0]
        assert not loops[0].is_closed()
    assert len(set(loops)) == 1
    assert loops[0].is_closed()


def test_a_loop_bound_object_cannot_cross_asyncio_run_calls(recipe):
    load_module(recipe)
    event = asyncio.Event()

    async def wait_briefly() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(event.wait(), 0.01)  # binds `event` to this loop

    asyncio.run(wait_briefly())
    with pytest.raises(RuntimeError, match="is bound to a different event loop"):
        asyncio.run(wait_briefly())


def test_the_same_object_works_across_calls_on_one_loop(recipe):
    load_module(recipe)
    event = asyncio.Event()

    async def wait_briefly() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(event.wait(), 0.01)

    with asyncio.Runner() as runner:
        runner.run(wait_briefly())
        runner.run(wait_briefly())  # same loop: no error


async def test_asyncio_run_refuses_to_run_inside_a_running_loop(recipe):
    coroutine = load_module(recipe).fetch_price("apple")
    with pytest.raises(
        RuntimeError, match=r"cannot be called from a running event loop"
    ):
        asyncio.run(coroutine)
    coroutine.close()


async def test_a_worker_thread_can_call_asyncio_run(recipe):
    module = load_module(recipe)
    price = await asyncio.to_thread(asyncio.run, module.fetch_price("plum"))
    assert price == 2.5
