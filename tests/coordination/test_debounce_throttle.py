"""Claims of docs/coordination/debounce-throttle.md."""

import asyncio

from tests.support import load_module, run_main


async def test_debounce_searches_once_per_pause(recipe):
    run = await run_main(recipe)
    assert run.result["debounce"] == ["async", "asyncio"]
    assert "1.30 s  debounce -> search 'async'" in run.output  # 0.5 s after "c"
    assert "2.70 s  debounce -> search 'asyncio'" in run.output  # 0.5 s after "o"


async def test_throttle_searches_at_once_then_at_most_every_half_second(recipe):
    run = await run_main(recipe)
    assert run.result["throttle"] == ["a", "asy", "async", "asynci", "asyncio"]
    times = [
        line.split(" s ")[0]
        for line in run.output.splitlines()
        if "throttle ->" in line
    ]
    assert times == ["0.00", "0.50", "1.00", "2.00", "2.50"]


async def test_both_end_with_the_latest_value(recipe):
    run = await run_main(recipe)
    assert run.result["debounce"][-1] == run.result["throttle"][-1] == "asyncio"
    assert run.elapsed == 2.7


def recorder(loop: asyncio.AbstractEventLoop, log: list[tuple[float, int]]):
    async def action(value: int) -> None:
        log.append((loop.time(), value))

    return action


async def test_debounce_never_fires_while_events_keep_coming(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    calls: list[tuple[float, int]] = []
    gate = module.Debounce(0.5, recorder(loop, calls))
    for n in range(50):  # an event every 0.2 s for 10 s
        gate.push(n)
        await asyncio.sleep(0.2)
    assert calls == []  # 10 s and not a single call
    await gate.drain()
    assert [(t - start, v) for t, v in calls] == [(10.3, 49)]


async def test_throttle_keeps_calling_during_a_long_burst(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    calls: list[tuple[float, int]] = []
    gate = module.Throttle(0.5, recorder(loop, calls))
    for n in range(50):
        gate.push(n)
        await asyncio.sleep(0.2)
    await gate.drain()
    assert len(calls) == 21  # at 0, 0.5, 1.0 ... 10.0 s
    assert calls[-1][1] == 49  # and the last value is not dropped


async def test_actions_never_overlap(recipe):
    module = load_module(recipe)
    running = peak = 0
    handled: list[int] = []

    async def slow_action(value: int) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(2.0)  # slower than the throttle interval
        handled.append(value)
        running -= 1

    gate = module.Throttle(0.5, slow_action)
    for n in range(10):
        gate.push(n)
        await asyncio.sleep(0.3)
    await gate.drain()
    assert peak == 1
    assert handled[-1] == 9


async def test_without_drain_the_last_value_is_still_pending(recipe):
    module = load_module(recipe)
    calls: list[tuple[float, int]] = []
    gate = module.Debounce(0.5, recorder(asyncio.get_running_loop(), calls))
    gate.push(1)
    await asyncio.sleep(0.1)  # a program that returned here would lose the value
    assert calls == []
    await gate.drain()
    assert [v for _, v in calls] == [1]
