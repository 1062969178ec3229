"""Claims of docs/coordination/event.md."""

import asyncio
import threading

import pytest

from tests.support import load_module, run_main


async def test_one_set_releases_every_waiter_at_once(recipe):
    run = await run_main(recipe)
    assert run.result["went"][:3] == [1.0, 1.0, 1.0]


async def test_a_set_event_lets_a_late_waiter_through_without_waiting(recipe):
    run = await run_main(recipe)
    assert run.result["went"][3] == 1.0


async def test_the_stop_event_cuts_the_heartbeat_sleep_short(recipe):
    run = await run_main(recipe)
    assert run.result["beats"] == 3
    assert run.output.splitlines()[-2:] == [
        "3.50 s  stop.set()",
        "3.50 s  heartbeat stopped",
    ]
    assert run.elapsed == 3.5  # not 4.0: the last one-second sleep ended at stop.set()


async def test_waiters_run_only_after_the_setter_yields(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:2] == ["1.00 s  ready.set()", "1.00 s  task-0 goes"]


async def test_clear_makes_wait_block_again(recipe):
    module = load_module(recipe)
    ready = asyncio.Event()
    ready.set()
    assert await module.waiter("first", ready, 0.0) == 0.0  # set: no wait
    ready.clear()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(module.waiter("second", ready, 0.0), timeout=60)


async def test_set_then_clear_still_wakes_the_current_waiters(recipe):
    module = load_module(recipe)
    pulse = asyncio.Event()
    tasks = [asyncio.create_task(module.waiter(f"w{n}", pulse, 0.0)) for n in range(2)]
    await asyncio.sleep(1.0)
    pulse.set()
    pulse.clear()  # before the waiters had a chance to run
    assert await asyncio.gather(*tasks) == [1.0, 1.0]
    assert not pulse.is_set()


async def test_wait_returns_true_and_carries_no_value(recipe):
    load_module(recipe)
    event = asyncio.Event()
    event.set()
    assert await event.wait() is True


@pytest.mark.looptime(False)
async def test_another_thread_sets_the_event_with_call_soon_threadsafe(recipe):
    module = load_module(recipe)
    ready = asyncio.Event()
    loop = asyncio.get_running_loop()
    thread = threading.Thread(target=loop.call_soon_threadsafe, args=(ready.set,))
    thread.start()
    await asyncio.wait_for(module.waiter("w", ready, loop.time()), timeout=10)
    thread.join()
    assert ready.is_set()
