"""Claims of docs/coordination/priority-lifo-queue.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_queue_is_first_in_first_out(recipe):
    run = await run_main(recipe)
    assert run.result["Queue"] == [
        "weekly report",
        "page the on-call engineer",
        "resize images",
        "renew certificate",
    ]


async def test_lifo_queue_hands_out_the_newest_first(recipe):
    run = await run_main(recipe)
    assert run.result["LifoQueue"] == [
        "renew certificate",
        "resize images",
        "page the on-call engineer",
        "weekly report",
    ]


async def test_priority_queue_hands_out_the_lowest_number_first_ties_in_arrival_order(
    recipe,
):
    run = await run_main(recipe)
    assert run.result["PriorityQueue"] == [
        "page the on-call engineer",
        "renew certificate",
        "resize images",
        "weekly report",
    ]


async def test_without_a_tie_breaker_equal_priorities_compare_the_payload(recipe):
    load_module(recipe)
    queue: asyncio.PriorityQueue[tuple[int, dict[str, str]]] = asyncio.PriorityQueue()
    queue.put_nowait((1, {"job": "page"}))
    with pytest.raises(TypeError, match="'<' not supported"):
        queue.put_nowait((1, {"job": "renew"}))


async def test_without_a_tie_breaker_equal_priorities_come_out_by_name(recipe):
    module = load_module(recipe)
    queue: asyncio.PriorityQueue[tuple[int, int, str]] = asyncio.PriorityQueue()
    for name in ["zebra", "apple"]:  # no arrival number: the same for both
        queue.put_nowait((1, 0, name))
    assert module.take_all(queue) == ["apple", "zebra"]  # not arrival order


async def test_priority_does_not_preempt_the_job_being_processed(recipe):
    load_module(recipe)
    queue: asyncio.PriorityQueue[tuple[int, str]] = asyncio.PriorityQueue()
    started: list[tuple[float, str]] = []
    loop = asyncio.get_running_loop()

    async def worker() -> None:
        while True:
            _, name = await queue.get()
            started.append((loop.time(), name))
            await asyncio.sleep(1.0)
            queue.task_done()

    task = asyncio.create_task(worker())
    queue.put_nowait((9, "low"))
    await asyncio.sleep(0.5)  # the worker is busy with "low"
    queue.put_nowait((5, "medium"))
    queue.put_nowait((1, "urgent"))
    await queue.join()
    task.cancel()
    await asyncio.wait([task])
    assert started == [(0.0, "low"), (1.0, "urgent"), (2.0, "medium")]


async def served_at(kind: type[asyncio.Queue[str]]) -> dict[str, float]:
    """One worker, one item per second; a new item arrives every second."""
    queue = kind()
    loop = asyncio.get_running_loop()
    start = loop.time()
    served: dict[str, float] = {}

    async def worker() -> None:
        while True:
            item = await queue.get()
            served[item] = loop.time() - start
            await asyncio.sleep(1.0)
            queue.task_done()

    task = asyncio.create_task(worker())
    queue.put_nowait("first")
    await asyncio.sleep(0)  # the worker takes "first" and is busy for a second
    queue.put_nowait("old")  # waits while the worker is busy with "first"
    for n in range(4):
        await asyncio.sleep(0.5)
        queue.put_nowait(f"new-{n}")
        await asyncio.sleep(0.5)
    await queue.join()
    task.cancel()
    await asyncio.wait([task])
    return served


async def test_lifo_queue_can_starve_the_oldest_item(recipe):
    load_module(recipe)
    fifo = await served_at(asyncio.Queue)
    lifo = await served_at(asyncio.LifoQueue)
    assert fifo["old"] == 1.0  # next in line
    assert lifo["old"] == 5.0  # served only once new items stop arriving


async def test_maxsize_bounds_both_kinds_like_a_queue(recipe):
    load_module(recipe)
    for kind in (asyncio.PriorityQueue, asyncio.LifoQueue):
        queue = kind(maxsize=1)
        await queue.put((1, 0, "a"))
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(queue.put((0, 1, "b")), timeout=60)  # full: waits
