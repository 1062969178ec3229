"""Claims of docs/errors/retry-with-backoff.md."""

import asyncio
import random
import re

import pytest
import tenacity

from tests.support import load_module, run_main, timed


async def test_the_answer_comes_on_the_fourth_call(recipe):
    run = await run_main(recipe)
    assert run.result == "200 OK"
    assert run.output.splitlines() == [
        "  attempt 1: ConnectionError('connection reset'), retrying in 0.24 s",
        "  attempt 2: ConnectionError('connection reset'), retrying in 0.73 s",
        "  attempt 3: ConnectionError('connection reset'), retrying in 0.61 s",
        "200 OK after 4 calls, 1.98 s",
    ]
    assert run.elapsed == pytest.approx(1.98, abs=1e-9)


async def test_the_retry_takes_the_calls_plus_the_printed_delays(recipe):
    module = load_module(recipe)
    server = module.FlakyServer(failures=3)
    run = await timed(lambda: module.retry(server.fetch, rng=random.Random(2024)))
    assert run.result == "200 OK"
    assert server.calls == 4
    assert run.elapsed == pytest.approx(4 * 0.1 + 0.24 + 0.73 + 0.61, abs=1e-9)


def printed_delays(output: str) -> list[float]:
    return [float(d) for d in re.findall(r"retrying in (\d+\.\d+) s", output)]


@pytest.mark.parametrize("seed", range(20))
async def test_each_delay_is_random_below_a_doubling_capped_ceiling(
    recipe, seed, capsys
):
    module = load_module(recipe)
    server = module.FlakyServer(failures=100)
    with pytest.raises(ConnectionError):
        await module.retry(server.fetch, attempts=8, rng=random.Random(seed))
    delays = printed_delays(capsys.readouterr().out)
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]  # doubling from 0.5 s, capped at 8
    assert len(delays) == len(ceilings)
    assert all(0 <= d <= c for d, c in zip(delays, ceilings, strict=True))


async def test_jitter_spreads_clients_that_failed_at_the_same_moment(recipe, capsys):
    module = load_module(recipe)
    for seed in range(100):  # 100 clients, each with its own random generator
        with pytest.raises(ConnectionError):
            await module.retry(
                module.FlakyServer(failures=100).fetch,
                attempts=2,
                rng=random.Random(seed),
            )
    first_delays = printed_delays(capsys.readouterr().out)
    assert len(first_delays) == 100
    # Without jitter all 100 would retry at the same instant, 0.5 s later. With it,
    # the first retries land on 42 different 10 ms steps...
    assert len(set(first_delays)) == 42
    assert min(first_delays) < 0.05  # ...spread over the whole 0-0.5 s window
    assert max(first_delays) > 0.45


async def test_after_the_last_attempt_its_error_propagates(recipe):
    module = load_module(recipe)
    server = module.FlakyServer(failures=100)
    with pytest.raises(ConnectionError, match="connection reset"):
        await module.retry(server.fetch, rng=random.Random(2024))
    assert server.calls == 5  # attempts=5: one call and four retries


async def test_an_error_that_is_not_transient_is_raised_at_once(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    calls = 0

    async def bad_request() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.1)
        raise ValueError("400 Bad Request")

    with pytest.raises(ValueError, match="400"):
        await module.retry(bad_request)
    assert calls == 1
    assert loop.time() == 0.1


async def test_a_hung_attempt_bounded_by_wait_for_is_retried(recipe, capsys):
    module = load_module(recipe)
    calls = 0

    async def first_call_hangs() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(3600.0 if calls == 1 else 0.1)
        return "200 OK"

    answer = await module.retry(
        lambda: asyncio.wait_for(first_call_hangs(), timeout=2.0),
        rng=random.Random(2024),
    )
    assert answer == "200 OK"
    assert calls == 2
    assert "TimeoutError()" in capsys.readouterr().out  # retried after the timeout


async def test_cancellation_during_the_backoff_is_not_retried(recipe):
    module = load_module(recipe)
    server = module.FlakyServer(failures=100)
    task = asyncio.create_task(module.retry(server.fetch, rng=random.Random(2024)))
    await asyncio.sleep(0.2)  # first call failed at 0.1 s; now in a 0.24 s backoff
    task.cancel()
    await asyncio.wait([task])
    assert task.cancelled()
    assert server.calls == 1


async def test_tenacity_reraises_the_last_error_after_five_attempts(recipe):
    module = load_module(recipe)
    server = module.FlakyServer(failures=100)
    with pytest.raises(ConnectionError):
        await module.fetch_with_tenacity(server)
    assert server.calls == 5


async def test_tenacity_waits_with_asyncio_sleep_within_the_ceilings(recipe):
    module = load_module(recipe)
    state = random.getstate()
    random.seed(2024)  # tenacity draws its jitter from the global generator
    try:
        server = module.FlakyServer(failures=4)
        run = await timed(lambda: module.fetch_with_tenacity(server))
    finally:
        random.setstate(state)
    assert run.result == "200 OK"
    assert server.calls == 5
    waited = run.elapsed - 5 * 0.1  # the loop's clock moved: it slept via asyncio
    assert 0 < waited <= 0.5 + 1.0 + 2.0 + 4.0


async def test_tenacity_does_not_retry_other_errors(recipe):
    module = load_module(recipe)

    class BadRequestServer(module.FlakyServer):
        async def fetch(self) -> str:
            self.calls += 1
            raise ValueError("400 Bad Request")

    server = BadRequestServer(failures=0)
    with pytest.raises(ValueError, match="400"):
        await module.fetch_with_tenacity(server)
    assert server.calls == 1


async def test_tenacity_without_reraise_raises_retryerror(recipe):
    module = load_module(recipe)
    server = module.FlakyServer(failures=100)
    with pytest.raises(tenacity.RetryError) as caught:
        await module.fetch_with_tenacity.retry_with(reraise=False)(server)
    assert isinstance(caught.value.last_attempt.exception(), ConnectionError)
    assert server.calls == 5
