"""Claims of docs/coordination/rate-limit.md."""

import asyncio
import itertools

from aiolimiter import AsyncLimiter

from tests.support import load_module, run_main

SCHEDULE = [0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]


async def test_token_bucket_sends_a_burst_then_one_every_quarter_second(recipe):
    run = await run_main(recipe)
    assert run.result["bucket"] == SCHEDULE


async def test_aiolimiter_produces_the_same_schedule(recipe):
    run = await run_main(recipe)
    assert run.result["aiolimiter"] == SCHEDULE


async def test_after_the_burst_the_rate_is_four_per_second(recipe):
    run = await run_main(recipe, count=20)
    sent = run.result["bucket"]
    gaps = {b - a for a, b in itertools.pairwise(sent[4:])}
    assert gaps == {0.25}
    assert sent[-1] == 4.0  # 20 requests: 4 at once, then 16 more at 4 per second


async def test_ten_requests_take_one_and_a_half_seconds_per_limiter(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 3.0  # two runs of 1.5 s each


async def test_a_burst_of_four_sends_seven_requests_in_the_first_second(recipe):
    run = await run_main(recipe)
    assert sum(sent < 1.0 for sent in run.result["bucket"]) == 7


async def test_burst_one_spaces_every_request(recipe):
    module = load_module(recipe)
    sent = await module.send_all(module.TokenBucket(rate=4, burst=1), 5)
    assert sent == [0.0, 0.25, 0.5, 0.75, 1.0]


async def test_an_idle_bucket_refills_only_up_to_the_burst(recipe):
    module = load_module(recipe)
    bucket = module.TokenBucket(rate=4, burst=4)
    await module.send_all(bucket, 4)
    await asyncio.sleep(10)  # idle: 40 tokens' worth of time, but the bucket holds 4
    sent = await module.send_all(bucket, 6)
    assert sent == [0.0, 0.0, 0.0, 0.0, 0.25, 0.5]


async def test_aiolimiter_default_period_is_a_minute(recipe):
    module = load_module(recipe)
    sent = await module.send_all(AsyncLimiter(4), 5)  # 4 per 60 s, not per second
    assert sent == [0.0, 0.0, 0.0, 0.0, 15.0]


async def test_a_rate_limit_does_not_bound_requests_in_flight(recipe):
    module = load_module(recipe)
    bucket = module.TokenBucket(rate=4, burst=4)
    in_flight = peak = 0

    async def slow_request() -> None:
        nonlocal in_flight, peak
        async with bucket:
            pass
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(2.0)  # a slow response
        in_flight -= 1

    await asyncio.gather(*(slow_request() for _ in range(10)))
    assert peak == 10  # all ten were sent before the first answer came back
