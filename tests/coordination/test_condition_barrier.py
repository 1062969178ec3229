"""Claims of docs/coordination/condition-barrier.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_each_buyer_goes_as_soon_as_its_own_predicate_holds(recipe):
    run = await run_main(recipe)
    bought, _ = run.result
    assert bought == [2.0, 1.0, 3.0]  # alice (3), bob (1), carol (4)


async def test_a_small_order_is_not_held_up_by_a_larger_one_ahead(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:3] == [
        "Condition: each buyer waits for enough stock",
        "1.00 s  delivery of 2, 2 in stock",
        "1.00 s  bob takes 1, 1 left",
    ]
    assert run.elapsed == 3.0 + 3.0  # the buyers, then the runners


async def test_wait_and_notify_need_the_lock(recipe):
    load_module(recipe)
    condition = asyncio.Condition()
    with pytest.raises(RuntimeError, match="cannot notify on un-acquired lock"):
        condition.notify_all()
    with pytest.raises(RuntimeError, match="cannot wait on un-acquired lock"):
        await condition.wait()


async def test_a_bare_wait_without_recheck_oversells(recipe):
    module = load_module(recipe)
    stock = module.Stock()

    async def careless_buyer(wants: int) -> None:
        async with stock.changed:
            if stock.items < wants:  # checked once, before sleeping
                await stock.changed.wait()
            stock.items -= wants  # woken is not the same as "enough stock"

    buyers = [asyncio.create_task(careless_buyer(2)) for _ in range(2)]
    await module.supplier(stock, [2], 0.0)
    await asyncio.gather(*buyers)
    assert stock.items == -2


async def test_wait_for_rechecks_so_the_second_buyer_keeps_waiting(recipe):
    module = load_module(recipe)
    stock = module.Stock()
    buyers = [asyncio.create_task(module.buyer(n, 2, stock, 0.0)) for n in "ab"]
    await module.supplier(stock, [2], 0.0)
    done, pending = await asyncio.wait(buyers, timeout=60)
    assert (len(done), len(pending), stock.items) == (1, 1, 0)
    await module.supplier(stock, [2], 0.0)
    await asyncio.wait(pending)
    assert stock.items == 0


async def test_barrier_releases_everyone_when_the_last_arrives(recipe):
    run = await run_main(recipe)
    _, went = run.result
    assert went == [3.0, 3.0, 3.0]
    assert run.output.splitlines()[7:] == [
        "Barrier: the runners start together",
        "1.00 s  runner-1 ready",
        "2.00 s  runner-2 ready",
        "3.00 s  runner-3 ready",
        "3.00 s  runner-3 goes",  # the last to arrive does not wait
        "3.00 s  runner-1 goes",  # then the waiters, in the order they arrived
        "3.00 s  runner-2 goes",
    ]


async def test_barrier_is_reusable_for_the_next_round(recipe):
    module = load_module(recipe)
    barrier = asyncio.Barrier(3)
    assert await module.race(barrier) == [3.0, 3.0, 3.0]
    assert await module.race(barrier) == [3.0, 3.0, 3.0]  # it reset itself


async def test_abort_breaks_the_barrier_for_every_waiter(recipe):
    load_module(recipe)
    barrier = asyncio.Barrier(3)
    waiters = [asyncio.create_task(barrier.wait()) for _ in range(2)]
    await asyncio.sleep(1.0)
    await barrier.abort()  # for example, a party failed and will never arrive
    results = await asyncio.gather(*waiters, return_exceptions=True)
    assert all(isinstance(r, asyncio.BrokenBarrierError) for r in results)
