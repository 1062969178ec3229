"""Claims of docs/coordination/lock.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_without_the_lock_four_of_five_deposits_are_lost(recipe):
    run = await run_main(recipe)
    assert run.result["deposit_unsafe"] == 10  # not 50


async def test_with_the_lock_every_deposit_counts(recipe):
    run = await run_main(recipe)
    assert run.result["deposit_safe"] == 50


async def test_the_race_loses_all_but_one_update_at_any_size(recipe):
    run = await run_main(recipe, deposits=100)
    assert run.result == {"deposit_unsafe": 10, "deposit_safe": 1000}


async def test_the_lock_serialises_the_critical_section(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[1::2] == ["  took 0.10 s", "  took 0.50 s"]
    assert run.elapsed == 0.6


async def test_no_await_between_read_and_write_needs_no_lock(recipe):
    module = load_module(recipe)
    account = module.Account()

    async def deposit_without_await(amount: int) -> None:
        await asyncio.sleep(0.1)  # awaits before or after the update are harmless
        account.balance += amount  # read and write with no await between them

    await asyncio.gather(*(deposit_without_await(10) for _ in range(5)))
    assert account.balance == 50


async def test_waiters_get_the_lock_in_arrival_order(recipe):
    module = load_module(recipe)
    account = module.Account()
    order: list[int] = []

    async def deposit(n: int) -> None:
        async with account.lock:
            order.append(n)
            await asyncio.sleep(0.1)

    await asyncio.gather(*(deposit(n) for n in range(5)))
    assert order == [0, 1, 2, 3, 4]


async def test_the_lock_is_not_reentrant(recipe):
    module = load_module(recipe)
    account = module.Account()

    async def nested() -> None:
        async with account.lock, account.lock:  # the same task, twice
            pass

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(nested(), timeout=60)  # deadlocks until the timeout
