"""Claims of docs/timeouts/wait-for-timeout.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main, timed

ON_310 = sys.version_info < (3, 11)


async def test_fast_call_returns_and_slow_call_gives_up_after_the_timeout(recipe):
    run = await run_main(recipe)
    assert run.result == ["fast.json", None]
    assert run.output.splitlines() == [
        "fast.json: got it after 1.00 s",
        "  slow.json: cancelled",
        "slow.json: gave up after 2.00 s",
    ]
    assert run.elapsed == 3.0  # 1 s for fast.json + the 2 s timeout, not 1 + 10


async def test_wait_for_cancels_the_task_it_waited_for(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(module.fetch("slow.json", 10.0))
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(task, timeout=2.0)
    assert task.cancelled()
    assert loop.time() - start == 2.0


@pytest.mark.skipif(not ON_310, reason="the trap exists on Python 3.10 only")
async def test_on_310_except_timeouterror_misses_the_wait_for_timeout(recipe):
    module = load_module(recipe)
    with pytest.raises(asyncio.TimeoutError) as caught:
        await asyncio.wait_for(module.fetch("slow.json", 10.0), timeout=2.0)
    assert caught.type is asyncio.exceptions.TimeoutError
    assert asyncio.TimeoutError is not TimeoutError
    assert not issubclass(caught.type, TimeoutError)  # `except TimeoutError` misses


@pytest.mark.skipif(ON_310, reason="asyncio.TimeoutError is TimeoutError on 3.11+")
async def test_on_311_plus_wait_for_raises_the_builtin_timeouterror(recipe):
    module = load_module(recipe)
    with pytest.raises(TimeoutError) as caught:
        await asyncio.wait_for(module.fetch("slow.json", 10.0), timeout=2.0)
    assert caught.type is TimeoutError
    assert asyncio.TimeoutError is TimeoutError


@pytest.mark.skipif(ON_310, reason="asyncio.timeout() is new in Python 3.11")
async def test_asyncio_timeout_gives_up_the_same_way_on_311_plus(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.fetch_or_none_311("slow.json", 10.0, 2.0))
    assert run.result is None
    assert run.output == "  slow.json: cancelled\nslow.json: gave up after 2.00 s\n"
    assert run.elapsed == 2.0


@pytest.mark.skipif(ON_310, reason="asyncio.timeout() is new in Python 3.11")
async def test_asyncio_timeout_lets_a_fast_call_through_on_311_plus(recipe):
    module = load_module(recipe)
    run = await timed(lambda: module.fetch_or_none_311("fast.json", 1.0, 2.0))
    assert run.result == "fast.json"
    assert run.elapsed == 1.0


@pytest.mark.skipif(not ON_310, reason="asyncio.timeout() is new in Python 3.11")
def test_asyncio_timeout_does_not_exist_on_310(recipe):
    assert not hasattr(asyncio, "timeout")


async def test_the_timeout_fires_late_when_the_cancelled_task_cleans_up_slowly(recipe):
    async def fetch_with_slow_cleanup() -> str:
        try:
            await asyncio.sleep(10.0)
        finally:
            await asyncio.sleep(0.5)  # say goodbye to the server, flush a log...
        return "never"

    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(fetch_with_slow_cleanup(), timeout=2.0)
    assert loop.time() - start == 2.5  # wait_for waits for the cleanup to finish


async def test_asyncio_wait_with_a_timeout_neither_raises_nor_cancels(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.fetch("slow.json", 10.0))
    done, pending = await asyncio.wait({task}, timeout=2.0)
    assert (done, pending) == (set(), {task})
    assert not task.done()  # still running: cancelling it is up to you
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
