"""Claims of docs/timeouts/stop-background-loop.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_six_ticks_then_the_monitor_stops_at_six_and_a_half_seconds(recipe):
    run = await run_main(recipe)
    assert run.result == (6, True)
    assert run.elapsed == 6.5


async def test_cleanup_prints_after_the_stop_request_at_the_same_instant(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines() == [
        *(f"{n}.00 s  tick {n}: all good" for n in range(1, 7)),
        "6.50 s  main: stopping the monitor",
        "6.50 s  monitor: cleaned up",
        "ticks: 6, cancelled: True",
    ]


async def test_ticks_come_every_interval(recipe):
    module = load_module(recipe)
    ticks: list[float] = []
    task = asyncio.create_task(module.monitor(ticks, interval=0.5))
    await asyncio.sleep(2.25)
    task.cancel()
    await asyncio.wait([task])
    assert ticks == [0.5, 1.0, 1.5, 2.0]


async def test_cancel_is_only_a_request(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.monitor([]))
    await asyncio.sleep(2.5)
    assert task.cancel() is True
    assert not task.done()  # it has not run its finally block yet
    assert not task.cancelled()
    await asyncio.wait([task])
    assert task.cancelled()


async def test_awaiting_the_cancelled_task_raises_cancellederror(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.monitor([]))
    await asyncio.sleep(2.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()


async def test_except_exception_in_the_loop_does_not_block_cancellation(recipe):
    assert not issubclass(asyncio.CancelledError, Exception)
    checks: list[str] = []

    async def robust_monitor() -> None:
        while True:
            try:
                await asyncio.sleep(1.0)
                raise ConnectionError("database unreachable")
            except Exception as exc:  # noqa: BLE001 - one failed check is not fatal
                checks.append(repr(exc))

    task = asyncio.create_task(robust_monitor())
    await asyncio.sleep(2.5)
    task.cancel()
    await asyncio.wait([task])
    assert task.cancelled()
    assert len(checks) == 2


async def test_catching_baseexception_in_the_loop_makes_cancel_do_nothing(recipe):
    module = load_module(recipe)  # the recipe's monitor, by contrast, stops
    shutdown = asyncio.Event()  # the test's own way to end the stubborn loop

    caught: list[BaseException] = []

    async def stubborn_monitor() -> None:
        while not shutdown.is_set():
            try:
                await asyncio.sleep(1.0)
            except BaseException as exc:  # noqa: BLE001 - the bug: catches CancelledError
                caught.append(exc)  # "log it and keep going"

    good = asyncio.create_task(module.monitor([]))
    bad = asyncio.create_task(stubborn_monitor())
    await asyncio.sleep(2.5)
    good.cancel()
    bad.cancel()
    done, pending = await asyncio.wait([good, bad], timeout=60.0)
    assert (done, pending) == ({good}, {bad})  # a minute later it still runs
    assert [type(e) for e in caught] == [asyncio.CancelledError]
    shutdown.set()
    await bad
    assert not bad.cancelled()  # it even reports that it finished normally


async def test_work_inside_the_loop_stretches_the_period(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    ticks: list[float] = []

    async def busy_monitor() -> None:
        while True:
            await asyncio.sleep(1.0)
            await asyncio.sleep(0.25)  # the check itself takes 0.25 s
            ticks.append(loop.time() - start)

    task = asyncio.create_task(busy_monitor())
    await asyncio.sleep(4.0)
    task.cancel()
    await asyncio.wait([task])
    assert ticks == [1.25, 2.5, 3.75]  # every 1.25 s, not every 1 s
