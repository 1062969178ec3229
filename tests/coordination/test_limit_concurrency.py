"""Claims of docs/coordination/limit-concurrency.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_never_more_than_the_limit_run_at_once(recipe):
    run = await run_main(recipe)
    assert run.result == 3


async def test_ten_one_second_jobs_three_at_a_time_take_four_seconds(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 4.0  # batches at 0, 1, 2 and 3 s; not 10 s, not 1 s


async def test_a_job_starts_the_moment_a_slot_frees_up(recipe):
    run = await run_main(recipe)
    starts = [line.split(" s ")[0] for line in run.output.splitlines()[:10]]
    assert starts == ["0.00"] * 3 + ["1.00"] * 3 + ["2.00"] * 3 + ["3.00"]


async def test_results_come_back_in_argument_order(recipe):
    run = await run_main(recipe)
    assert "results: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]" in run.output


async def test_the_peak_follows_the_limit(recipe):
    run = await run_main(recipe, jobs=10, limit=5)
    assert (run.result, run.elapsed) == (5, 2.0)


async def test_every_task_exists_from_the_start(recipe):
    module = load_module(recipe)
    seen: list[int] = []

    async def count_tasks() -> None:
        seen.append(len(asyncio.all_tasks()))
        await asyncio.sleep(1.0)

    await module.gather_with_limit(2, [count_tasks() for _ in range(6)])
    # When the first job starts, all 6 guarded tasks exist (plus this test's own),
    # although only 2 may run: the semaphore bounds running, not creating.
    assert seen[:2] == [7, 7]


async def test_a_concurrency_limit_is_not_a_rate_limit(recipe):
    run = await run_main(recipe, jobs=10, limit=3, seconds=0.1)
    # Ten starts within 0.4 s: 25 per second, far more than "3".
    assert run.elapsed == 0.4
    assert run.output.count("starts") == 10


async def test_bounded_semaphore_refuses_an_extra_release(recipe):
    semaphore = asyncio.BoundedSemaphore(3)
    with pytest.raises(ValueError, match="released too many times"):
        semaphore.release()


async def test_plain_semaphore_silently_grows_on_an_extra_release(recipe):
    semaphore = asyncio.Semaphore(1)
    semaphore.release()  # a bug: released without acquiring
    await semaphore.acquire()
    await semaphore.acquire()  # a second holder gets in: the limit is now 2
    assert semaphore.locked()
