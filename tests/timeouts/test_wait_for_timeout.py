"""Claims of docs/timeouts/wait-for-timeout.md."""

import asyncio

import pytest

from tests.support import load_module, run_main, timed

OUTPUT = [
    "fast.json: got it after 1.00 s",
    "  slow.json: cancelled",
    "slow.json: gave up after 2.00 s",
]


async def test_fast_call_returns_and_slow_call_gives_up_after_the_timeout(recipe):
    run = await run_main(recipe)
    assert run.result == ["fast.json", None]
    assert run.output.splitlines() == OUTPUT
    assert run.elapsed == 3.0  # 1 s for fast.json + the 2 s timeout, not 1 + 10


async def test_asyncio_timeout_raises_timeouterror_where_the_block_ends(recipe):
    module = load_module(recipe)
    inside: list[str] = []

    async def block() -> None:
        async with asyncio.timeout(2.0):
            try:
                await module.fetch("slow.json", 10.0)
            except asyncio.CancelledError:
                inside.append("CancelledError")  # what the await inside sees
                raise

    with pytest.raises(TimeoutError):
        await timed(block)
    assert inside == ["CancelledError"]


async def test_a_timeout_of_none_sets_no_deadline(recipe):
    module = load_module(recipe)

    async def no_deadline() -> str:
        async with asyncio.timeout(None) as deadline:
            assert deadline.when() is None
            return await module.fetch("slow.json", 10.0)

    run = await timed(no_deadline)
    assert run.result == "slow.json"
    assert run.elapsed == 10.0


async def test_wait_for_prints_the_same_lines(recipe):
    module = load_module(recipe)

    async def both() -> list[str | None]:
        return [
            await module.fetch_or_none_wait_for("fast.json", 1.0, 2.0),
            await module.fetch_or_none_wait_for("slow.json", 10.0, 2.0),
        ]

    run = await timed(both)
    assert run.result == ["fast.json", None]
    assert run.output.splitlines() == OUTPUT
    assert run.elapsed == 3.0


async def test_asyncio_timeouterror_is_the_builtin_timeouterror(recipe):
    module = load_module(recipe)
    assert asyncio.TimeoutError is TimeoutError
    with pytest.raises(TimeoutError) as caught:
        await asyncio.wait_for(module.fetch("slow.json", 10.0), timeout=2.0)
    assert caught.type is TimeoutError
    with pytest.raises(asyncio.TimeoutError):  # the old spelling catches it too
        async with asyncio.timeout(2.0):
            await module.fetch("slow.json", 10.0)


async def test_asyncio_timeout_cancels_the_task_awaited_in_the_block(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(module.fetch("slow.json", 10.0))
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(2.0):
            await task
    assert task.cancelled()
    assert loop.time() - start == 2.0


async def test_wait_for_cancels_the_task_it_waited_for(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(module.fetch("slow.json", 10.0))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(task, timeout=2.0)
    assert task.cancelled()
    assert loop.time() - start == 2.0


async def fetch_with_slow_cleanup() -> str:
    try:
        await asyncio.sleep(10.0)
    finally:
        await asyncio.sleep(0.5)  # say goodbye to the server, flush a log...
    return "never"


async def test_asyncio_timeout_fires_late_when_the_work_cleans_up_slowly(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(2.0):
            await fetch_with_slow_cleanup()
    assert loop.time() - start == 2.5  # the block waits for the cleanup to finish


async def test_wait_for_fires_late_when_the_cancelled_task_cleans_up_slowly(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(TimeoutError):
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
