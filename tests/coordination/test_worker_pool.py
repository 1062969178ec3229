"""Claims of docs/coordination/worker-pool.md."""

import asyncio
import contextlib
import io
import sys

import pytest

from tests.support import load_module, run_main

ON_313 = sys.version_info >= (3, 13)
NEEDS_313 = pytest.mark.skipif(
    not ON_313, reason="Queue.shutdown() is new in Python 3.13"
)


async def test_three_workers_share_seven_jobs(recipe):
    run = await run_main(recipe)
    assert run.result == ([3, 1, 2], [4])  # six done, job 4 failed: each ran once


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
        "2.00 s  worker-1 failed job 4: server unreachable",
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

    with contextlib.redirect_stdout(io.StringIO()):
        pool = asyncio.create_task(module.run_pool(jobs(), 3))
        await asyncio.sleep(10.5)
        # After 10 s, 30 jobs are done, 3 are running, 3 wait in the queue and one
        # more has been taken from the source, blocked in put(): nothing else read.
        assert len(taken) == 37
        pool.cancel()
        await asyncio.wait([pool])
    assert pool.cancelled()
    # The task group cancelled the workers and waited for them: none is left.
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_too_few_sentinels_leave_a_worker_waiting_forever(recipe):
    module = load_module(recipe)
    queue: asyncio.Queue[int | None] = asyncio.Queue()
    workers = [
        asyncio.create_task(module.worker(f"w{n}", queue, 0.0, {})) for n in range(2)
    ]
    queue.put_nowait(module.STOP)  # one sentinel for two workers
    done, pending = await asyncio.wait(workers, timeout=60)
    assert (len(done), len(pending)) == (1, 1)
    for task in pending:
        task.cancel()
    await asyncio.wait(pending)


async def gather_pool(
    module, jobs: range, size: int, workers: list[asyncio.Task[int]]
) -> list[int]:
    """The pool without a task group: workers started with create_task() and
    collected with gather() after the sentinels (the bug the recipe avoids)."""
    queue: asyncio.Queue[int | None] = asyncio.Queue(maxsize=size)
    workers.extend(
        asyncio.create_task(module.worker(f"w{n}", queue, 0.0, {})) for n in range(size)
    )
    for job in jobs:
        await queue.put(job)  # blocks for ever once every worker is dead
    for _ in workers:
        await queue.put(module.STOP)
    return await asyncio.gather(*workers)


async def test_without_a_task_group_dead_workers_leave_put_blocked_for_ever(
    recipe, monkeypatch
):
    module = load_module(recipe)
    monkeypatch.setattr(module, "work", buggy_work)  # escapes do_job(): a bug
    workers: list[asyncio.Task[int]] = []
    loop = asyncio.get_running_loop()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(3600):
            await gather_pool(module, range(7), 3, workers)  # gather() never reached
    assert loop.time() == 3600  # an hour, stuck in put(): it would wait for ever
    # The workers had all died at 1 s, with errors nobody had read until now.
    assert [str(task.exception()) for task in workers] == [
        "bug in job 0",
        "bug in job 1",
        "bug in job 2",
    ]


async def test_without_a_task_group_one_dead_worker_leaves_the_others_unowned(
    recipe, monkeypatch
):
    module = load_module(recipe)

    async def one_bug(name: str, job: int, start: float) -> None:
        if job == 1:
            raise ValueError("bug in job 1")
        await asyncio.sleep(1.0)

    monkeypatch.setattr(module, "work", one_bug)
    workers: list[asyncio.Task[int]] = []
    with pytest.raises(ValueError, match="bug in job 1"):
        await gather_pool(module, range(7), 3, workers)
    running = [task for task in workers if not task.done()]
    assert len(running) == 2  # gather() raised; two workers run on, unowned
    for task in running:
        task.cancel()
    await asyncio.wait(running)


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
    with contextlib.redirect_stdout(io.StringIO()) as output:
        done, failed = await module.run_pool_with_shutdown(range(7), 3)
    assert done == [3, 1, 2]
    assert list(failed) == [4]
    assert output.getvalue().splitlines()[4] == (
        "2.00 s  worker-1 failed job 4: server unreachable"
    )
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


async def broken_work(name: str, job: int, start: float) -> None:
    await asyncio.sleep(1.0)
    raise ConnectionError(f"job {job}: server unreachable")


async def buggy_work(name: str, job: int, start: float) -> None:
    await asyncio.sleep(1.0)
    raise ValueError(f"bug in job {job}")


async def test_when_every_job_fails_the_pool_reports_each_error_and_finishes(
    recipe, monkeypatch
):
    module = load_module(recipe)
    monkeypatch.setattr(module, "work", broken_work)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with contextlib.redirect_stdout(io.StringIO()):
        async with asyncio.timeout(60):  # a hang fails the test, in virtual time
            done, failed = await module.run_pool(range(7), 3)  # a bounded queue
    assert loop.time() - start == 3.0  # the workers lived on: every job was tried
    assert done == [0, 0, 0]
    assert {job: str(error) for job, error in failed.items()} == {
        job: f"job {job}: server unreachable" for job in range(7)
    }
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_an_unexpected_error_stops_the_pool_instead_of_hanging_it(
    recipe, monkeypatch
):
    module = load_module(recipe)
    monkeypatch.setattr(module, "work", buggy_work)
    loop = asyncio.get_running_loop()
    start = loop.time()
    taken: list[int] = []

    def jobs():
        for job in range(100):
            taken.append(job)
            yield job

    with (
        contextlib.redirect_stdout(io.StringIO()),
        pytest.raises(ExceptionGroup) as info,
    ):
        async with asyncio.timeout(60):  # a hang fails the test, in virtual time
            await module.run_pool(jobs(), 3)  # a bounded queue
    assert loop.time() - start == 1.0  # at the first error, not at the timeout
    assert sorted(str(error) for error in info.value.exceptions) == [
        "bug in job 0",
        "bug in job 1",
        "bug in job 2",
    ]
    assert len(taken) == 7  # 3 running, 3 queued, 1 blocked in put(): no more read
    assert asyncio.all_tasks() == {asyncio.current_task()}


@NEEDS_313
async def test_with_shutdown_every_job_failing_is_reported_too(recipe, monkeypatch):
    module = load_module(recipe)
    monkeypatch.setattr(module, "work", broken_work)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with contextlib.redirect_stdout(io.StringIO()):
        async with asyncio.timeout(60):
            done, failed = await module.run_pool_with_shutdown(range(7), 3)
    assert loop.time() - start == 3.0
    assert done == [0, 0, 0]
    assert sorted(failed) == list(range(7))
    assert asyncio.all_tasks() == {asyncio.current_task()}


@NEEDS_313
async def test_with_shutdown_an_unexpected_error_stops_the_pool(recipe, monkeypatch):
    module = load_module(recipe)
    monkeypatch.setattr(module, "work", buggy_work)
    loop = asyncio.get_running_loop()
    start = loop.time()
    with (
        contextlib.redirect_stdout(io.StringIO()),
        pytest.raises(ExceptionGroup) as info,
    ):
        async with asyncio.timeout(60):
            await module.run_pool_with_shutdown(range(100), 3)
    assert loop.time() - start == 1.0
    assert len(info.value.exceptions) == 3
    assert asyncio.all_tasks() == {asyncio.current_task()}


@NEEDS_313
async def test_shutdown_wakes_a_put_blocked_on_a_full_queue(recipe):
    load_module(recipe)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
    queue.put_nowait(0)  # full, and no worker left to take from it
    blocked = asyncio.create_task(queue.put(1))
    await asyncio.sleep(1.0)
    assert not blocked.done()  # without shutdown() it would wait for ever
    queue.shutdown()
    with pytest.raises(asyncio.QueueShutDown):
        await blocked
    assert loop.time() == 1.0
