"""Claims of docs/coordination/run-after-delay.md."""

import asyncio
import gc

import pytest

from tests.support import load_module, run_main


async def test_the_reminder_runs_after_its_delay_and_returns_its_result(recipe):
    run = await run_main(recipe)
    assert run.result["alice"] == "reminded alice"
    assert "2.00 s  reminder sent to alice" in run.output
    assert run.elapsed == 2.0


async def test_a_cancelled_reminder_never_runs(recipe):
    run = await run_main(recipe)
    assert run.result["bob"] == "cancelled"
    assert "bob" not in "".join(
        line for line in run.output.splitlines() if "sent" in line
    )


async def test_main_is_not_blocked_while_the_delay_runs(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:2] == [
        "0.00 s  two reminders scheduled; main carries on",
        "1.00 s  bob's reminder cancelled",
    ]


async def test_the_delay_counts_from_scheduling_not_from_await(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    task = module.run_after(2.0, module.send_reminder, "carol", loop.time())
    await asyncio.sleep(1.5)  # other work
    start = loop.time()
    await task
    assert loop.time() - start == 0.5


async def test_cancelling_a_scheduled_function_leaves_no_unawaited_coroutine(recipe):
    module = load_module(recipe)
    task = module.run_after(1.0, module.send_reminder, "dave", 0.0)
    await asyncio.sleep(0.5)
    task.cancel()
    await asyncio.wait([task])
    gc.collect()  # nothing warns: send_reminder() was never called
    assert task.cancelled()


async def test_a_coroutine_object_scheduled_then_cancelled_warns_never_awaited(recipe):
    module = load_module(recipe)

    async def naive_after(delay: float, coro) -> None:  # takes a coroutine object
        await asyncio.sleep(delay)
        await coro

    async def schedule_then_cancel() -> None:
        task = asyncio.create_task(naive_after(1.0, module.send_reminder("erin", 0.0)))
        await asyncio.sleep(0.5)
        task.cancel()
        await asyncio.wait([task])
        del task
        gc.collect()

    with pytest.warns(RuntimeWarning, match="was never awaited"):
        await schedule_then_cancel()


async def test_call_later_runs_a_plain_callback_and_can_be_cancelled(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    fired: list[float] = []
    loop.call_later(2.0, lambda: fired.append(loop.time()))
    handle = loop.call_later(3.0, lambda: fired.append(loop.time()))
    start = loop.time()
    handle.cancel()
    await asyncio.sleep(5.0)
    assert [t - start for t in fired] == [2.0]


async def test_call_later_with_an_async_function_never_runs_its_body(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()

    async def schedule_async_function() -> None:
        loop.call_later(1.0, module.send_reminder, "frank", 0.0)  # creates, drops
        await asyncio.sleep(2.0)
        gc.collect()

    with pytest.warns(RuntimeWarning, match="was never awaited"):
        await schedule_async_function()
