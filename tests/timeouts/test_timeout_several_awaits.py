"""Claims of docs/timeouts/timeout-several-awaits.md."""

import asyncio
import time

import pytest

from tests.support import load_module, run_main, timed


async def test_checkout_times_out_and_the_read_gets_three_chunks(recipe):
    run = await run_main(recipe)
    assert run.result == (False, 3)
    assert run.elapsed == 5.5  # 3 s checkout budget + 2.5 s read


async def test_one_budget_covers_all_three_calls(recipe):
    module = load_module(recipe)
    run = await timed(module.checkout)
    assert run.result is False
    assert run.output.splitlines() == [
        "1.00 s  login done",
        "2.00 s  reserve stock done",
        "3.00 s  checkout timed out",  # charge card was cancelled 1 s into its 2 s
    ]
    assert run.elapsed == 3.0


async def test_reschedule_moves_the_deadline_after_each_chunk(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.read_while_busy([0.5, 0.5, 0.5, 5.0]))
    assert run.result == 3
    assert run.output.splitlines() == [
        "0.50 s  chunk 1",
        "1.00 s  chunk 2",
        "1.50 s  chunk 3",
        "2.50 s  no chunk for 1 s: gave up",
    ]
    assert run.elapsed == 2.5  # longer than the 1 s the timeout started with


async def test_without_reschedule_the_same_read_stops_after_one_second(recipe):
    chunks: list[float] = []

    async def read_with_a_fixed_deadline() -> None:
        async with asyncio.timeout(1.0):
            for gap in [0.5, 0.5, 0.5, 5.0]:
                await asyncio.sleep(gap)
                chunks.append(gap)

    with pytest.raises(TimeoutError):
        await read_with_a_fixed_deadline()
    assert len(chunks) == 1


async def test_a_timeout_per_await_does_not_bound_the_total(recipe):
    module = load_module(recipe)
    start = asyncio.get_running_loop().time()

    async def checkout_with_a_timeout_per_call() -> None:
        for name, seconds in [("login", 1.0), ("reserve", 1.0), ("charge", 2.0)]:
            async with asyncio.timeout(3.0):
                await module.call(name, seconds, start)

    run = await timed(checkout_with_a_timeout_per_call)
    assert run.elapsed == 4.0  # every call fits in 3 s; the total does not


async def test_inside_the_block_the_await_sees_cancellederror_not_timeouterror(
    recipe,
):
    seen: list[str] = []

    async def block() -> None:
        async with asyncio.timeout(1.0):
            try:
                await asyncio.sleep(10.0)
            except TimeoutError:
                seen.append("TimeoutError")  # never happens
            except asyncio.CancelledError:
                seen.append("CancelledError")
                raise

    with pytest.raises(TimeoutError):
        await block()
    assert seen == ["CancelledError"]


async def test_expired_tells_the_deadline_from_a_timeouterror_raised_inside(recipe):
    async def flaky_call() -> None:
        await asyncio.sleep(0.5)
        raise TimeoutError("the server said: gateway timeout")

    with pytest.raises(TimeoutError, match="gateway timeout"):
        async with asyncio.timeout(3.0) as deadline:
            await flaky_call()
    assert not deadline.expired()

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.25) as deadline:
            await flaky_call()
    assert deadline.expired()


async def test_timeout_at_takes_a_loop_time_deadline(recipe):
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout_at(loop.time() + 3.0):
            await asyncio.sleep(10.0)
    assert loop.time() - start == 3.0


async def test_timeout_at_with_a_wall_clock_deadline_never_fires(recipe):
    loop = asyncio.get_running_loop()
    start = loop.time()
    async with asyncio.timeout_at(time.time() + 3.0):  # the wrong clock
        await asyncio.sleep(10.0)
    assert loop.time() - start == 10.0  # it did not time out at 3 s
