"""Claims of docs/coordination/worker-pool.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main

ON_313 = sys.version_info >= (3, 13)
NEEDS_313 = pytest.mark.skipif(
    not ON_313, reason="Queue.shutdown() is new in Python 3.13"
)


async def test_three_workers_share_seven_jobs(recipe):
    run = await run_main(recipe)
    assert run.result == [3, 2, 2]  # every job done exactly once


async def test_seven_one_second_jobs_on_three_workers_take_three_seconds(recipe):
    run = await run_main(recipe)
    assert run.elapsed == 3.0


async def test_a_free_worker_takes_the_next_job(recipe):
    run = await run_main(recipe)
    assert run.output.splitlines()[:7] == [
        "1.00 s  worker-0 finished job 0",
        "1.00 s  worker-1 finished job 1",
        "1.00 s  worker-2 finished job 2",
        "2.00 s  worker-0 finished job 3",
        "2.00 s  worker-1 finished job 4",
        "2.00 s  worker-2 finished job 5",
        "3.00 s  worker-0 finished job 6",
    ]


async def test_the_workers_have_stopped_when_run_pool_returns(recipe):
    await run_main(recipe)
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_the_queue_never_holds_more_than_the_pool_size(recipe):
    module = load_module(recipe)
    taken: list[int] = []

    def jobs():  # a lazy source: records when the pool asks for the next job
        for job in range(100):
            taken.append(job)
            yield job

    pool = asyncio.create_task(module.run_pool(jobs(), 3))
    await asyncio.sleep(10.5)
    # After 10 s, 30 jobs are done, 3 are running, 3 wait in the queue and one more
    # has been taken from the source, blocked in put(): nothing else was read.
    assert len(taken) == 37
    pool.cancel()
    await asyncio.wait([pool])
    for task in asyncio.all_tasks() - {asyncio.current_task()}:
        task.cancel()
        await asyncio.wait([task])


async def test_too_few_sentinels_leave_a_worker_waiting_forever(recipe):
    module = load_module(recipe)
    queue: asyncio.Queue[int | None] = asyncio.Queue()
    workers = [
        asyncio.create_task(module.worker(f"w{n}", queue, 0.0)) for n in range(2)
    ]
    queue.put_nowait(module.STOP)  # one sentinel for two workers
    done, pending = await asyncio.wait(workers, timeout=60)
    assert (len(done), len(pending)) == (1, 1)
    for task in pending:
        task.cancel()
    await asyncio.wait(pending)


async def test_an_error_in_a_job_escapes_and_leaves_the_other_workers_running(
    recipe, monkeypatch
):
    module = load_module(recipe)
    real_work = module.work

    async def flaky_work(name: str, job: int, start: float) -> None:
        if job == 1:
            raise OSError("job 1 failed")
        await real_work(name, job, start)

    monkeypatch.setattr(module, "work", flaky_work)
    with pytest.raises(OSError, match="job 1 failed"):
        await module.run_pool(range(7), 3)
    left = asyncio.all_tasks() - {asyncio.current_task()}
    assert len(left) == 2  # worker-0 and worker-2 are still running
    for task in left:
        task.cancel()
    await asyncio.wait(left)


@pytest.mark.skipif(ON_313, reason="Python 3.13+ has Queue.shutdown()")
async def test_before_313_queue_has_no_shutdown(recipe):
    load_module(recipe)
    assert not hasattr(asyncio.Queue(), "shutdown")
    assert not hasattr(asyncio, "QueueShutDown")


@NEEDS_313
async def test_shutdown_lets_the_workers_drain_the_queue_then_stop(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    start = loop.time()
    done = await module.run_pool_with_shutdown(range(7), 3)
    assert done == [3, 2, 2]
    assert loop.time() - start == 3.0
    assert asyncio.all_tasks() == {asyncio.current_task()}


@NEEDS_313
async def test_put_after_shutdown_raises(recipe):
    load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    queue.shutdown()
    with pytest.raises(asyncio.QueueShutDown):
        await queue.put(1)


@NEEDS_313
async def test_immediate_shutdown_drops_the_waiting_jobs(recipe):
    load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for job in range(5):
        queue.put_nowait(job)
    queue.shutdown(immediate=True)
    assert queue.qsize() == 0
    with pytest.raises(asyncio.QueueShutDown):
        await queue.get()
