"""Claims of docs/timeouts/swallowed-cancellederror.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main, timed

ON_310 = sys.version_info < (3, 11)


async def test_swallowing_turns_the_timeout_into_a_silent_fallback(recipe):
    run = await run_main(recipe)
    assert run.result == ["user:1 (fallback)", "TimeoutError"]
    assert run.output.splitlines() == [
        "2.00 s  lookup_swallowing: user:1 (fallback)",
        "  user:1: cancelled, closing the cursor",
        "2.00 s  lookup_fixed: TimeoutError",
    ]
    assert run.elapsed == 4.0


async def test_the_fixed_lookup_raises_timeouterror_and_is_cancelled(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.lookup_fixed("user:1"))
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(task, timeout=2.0)
    assert task.cancelled()


async def test_the_swallowing_lookup_is_not_even_marked_cancelled(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.lookup_swallowing("user:1"))
    assert await asyncio.wait_for(task, timeout=2.0) == "user:1 (fallback)"
    assert not task.cancelled()


def test_cancellederror_is_a_baseexception_not_an_exception(recipe):
    assert issubclass(asyncio.CancelledError, BaseException)
    assert not issubclass(asyncio.CancelledError, Exception)


async def test_except_exception_does_not_swallow_cancellation(recipe):
    load_module(recipe)

    async def lookup_with_error_fallback(key: str) -> str:
        try:
            await asyncio.sleep(10.0)
        except Exception:  # noqa: BLE001 - any error -> fallback; cancel gets through
            return f"{key} (fallback)"
        return f"{key} (fresh)"

    loop = asyncio.get_running_loop()
    start = loop.time()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(lookup_with_error_fallback("user:1"), timeout=2.0)
    assert loop.time() - start == 2.0


async def test_a_loop_that_swallows_makes_a_2_s_wait_for_hang(recipe):
    load_module(recipe)
    stop = asyncio.Event()  # only the test can end the loop

    async def poll() -> None:
        while not stop.is_set():
            try:
                await asyncio.sleep(1.0)
            except asyncio.CancelledError:  # the bug
                continue

    waiter = asyncio.create_task(asyncio.wait_for(poll(), timeout=2.0))
    done, _ = await asyncio.wait([waiter], timeout=60.0)
    assert not done  # a minute later the 2 s timeout still has not returned
    stop.set()
    assert await waiter is None  # and when it does, there is no TimeoutError


@pytest.mark.skipif(ON_310, reason="asyncio.timeout() is new in Python 3.11")
async def test_asyncio_timeout_raises_nothing_when_the_awaited_code_swallows(recipe):
    module = load_module(recipe)

    async def ask_with_timeout_block() -> str:
        async with asyncio.timeout(2.0) as deadline:
            answer = await module.lookup_swallowing("user:1")
        assert deadline.expired()  # the deadline did fire...
        return answer  # ...but no TimeoutError came out of the block

    run = await timed(ask_with_timeout_block)
    assert run.result == "user:1 (fallback)"
    assert run.elapsed == 2.0


@pytest.mark.skipif(ON_310, reason="asyncio.TaskGroup is new in Python 3.11")
async def test_a_taskgroup_waits_forever_for_a_child_that_swallows(recipe):
    load_module(recipe)
    stop = asyncio.Event()

    async def fail_after_one_second() -> None:
        await asyncio.sleep(1.0)
        raise ConnectionError("database gone")

    async def poll() -> None:
        while not stop.is_set():
            try:
                await asyncio.sleep(1.0)
            except asyncio.CancelledError:  # the bug
                continue

    async def run_group() -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(fail_after_one_second())
            group.create_task(poll())

    runner = asyncio.create_task(run_group())
    done, _ = await asyncio.wait([runner], timeout=60.0)
    assert not done  # the error happened at 1 s; the group still has not exited
    stop.set()
    with pytest.raises(ExceptionGroup) as caught:
        await runner
    assert caught.group_contains(ConnectionError)
