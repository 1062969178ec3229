"""Claims of docs/coordination/condition-barrier.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main

HAS_BARRIER = sys.version_info >= (3, 11)
NEEDS_BARRIER = pytest.mark.skipif(
    not HAS_BARRIER, reason="asyncio.Barrier is new in Python 3.11"
)


async def test_each_buyer_goes_as_soon_as_its_own_predicate_holds(recipe):
    run = await run_main(recipe)
    assert run.result == [2.0, 1.0, 3.0]  # alice (3), bob (1), carol (4)


async def test_a_small_order_is_not_held_up_by_a_larger_one_ahead(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:2] == [
        "1.00 s  delivery of 2, 2 in stock",
        "1.00 s  bob takes 1, 1 left",
    ]
    assert run.elapsed == 3.0


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


async def test_the_portable_barrier_releases_everyone_when_the_last_arrives(recipe):
    module = load_module(recipe)
    assert await module.race(module.OneShotBarrier(3)) == [3.0, 3.0, 3.0]


@pytest.mark.skipif(HAS_BARRIER, reason="Python 3.11+ has asyncio.Barrier")
async def test_before_311_asyncio_has_no_barrier(recipe):
    load_module(recipe)
    assert not hasattr(asyncio, "Barrier")


@NEEDS_BARRIER
async def test_barrier_releases_everyone_when_the_last_arrives(recipe):
    module = load_module(recipe)
    assert await module.race(asyncio.Barrier(3)) == [3.0, 3.0, 3.0]


@NEEDS_BARRIER
async def test_barrier_is_reusable_for_the_next_round(recipe):
    module = load_module(recipe)
    barrier = asyncio.Barrier(3)
    assert await module.race(barrier) == [3.0, 3.0, 3.0]
    assert await module.race(barrier) == [3.0, 3.0, 3.0]  # it reset itself


async def test_one_shot_barrier_is_not_reusable(recipe):
    module = load_module(recipe)
    barrier = module.OneShotBarrier(3)
    await module.race(barrier)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await barrier.wait()  # a lone party passes at once: the count stays reached
    assert loop.time() == start


@NEEDS_BARRIER
async def test_abort_breaks_the_barrier_for_every_waiter(recipe):
    load_module(recipe)
    barrier = asyncio.Barrier(3)
    waiters = [asyncio.create_task(barrier.wait()) for _ in range(2)]
    await asyncio.sleep(1.0)
    await barrier.abort()  # for example, a party failed and will never arrive
    results = await asyncio.gather(*waiters, return_exceptions=True)
    assert all(isinstance(r, asyncio.BrokenBarrierError) for r in results)
