"""Claims of docs/coordination/producer-consumer.md."""

import asyncio

import pytest

from tests.support import load_module, run_main


async def test_the_producer_blocks_while_the_queue_is_full(recipe):
    run = await run_main(recipe)
    # Items 0-2 go in at once (two in the queue, one taken by the consumer); then
    # each put waits until the consumer takes the next item, one per second.
    assert run.result["put"] == [0.0, 0.0, 0.0, 1.0, 2.0]


async def test_the_consumer_processes_one_item_per_second(recipe):
    run = await run_main(recipe)
    assert run.result["processed"] == [1.0, 2.0, 3.0, 4.0, 5.0]


async def test_join_returns_after_the_last_item_is_processed(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    assert lines[-2:] == ["5.00 s  processed 4", "all items processed"]
    assert run.elapsed == 5.0


async def test_items_are_processed_in_fifo_order(recipe):
    run = await run_main(recipe)
    processed = [
        line.split()[-1] for line in run.output.splitlines() if "processed " in line
    ]
    assert processed == ["0", "1", "2", "3", "4"]


async def test_the_consumer_is_stopped_so_no_task_is_left(recipe):
    await run_main(recipe)
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_an_unbounded_queue_never_holds_the_producer_back(recipe):
    run = await run_main(recipe, count=5, maxsize=0)
    assert run.result["put"] == [0.0] * 5  # all five pile up in memory at once


async def test_join_waits_forever_without_task_done(recipe):
    load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    queue.put_nowait(1)
    queue.get_nowait()  # taken, but never marked done
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(queue.join(), timeout=60)


async def test_task_done_too_often_raises_value_error(recipe):
    load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    with pytest.raises(ValueError, match="task_done\\(\\) called too many times"):
        queue.task_done()


async def test_join_hangs_if_the_consumer_dies(recipe):
    load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()

    async def crashing_consumer() -> None:
        await queue.get()
        raise RuntimeError("bug in the consumer")

    task = asyncio.create_task(crashing_consumer())
    for item in range(3):
        queue.put_nowait(item)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(queue.join(), timeout=60)
    with pytest.raises(RuntimeError, match="bug in the consumer"):
        await task


async def test_join_leaves_the_consumer_waiting_in_get(recipe):
    module = load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    task = asyncio.create_task(module.consumer(queue, []))
    queue.put_nowait(7)
    await queue.join()
    await asyncio.sleep(60)
    assert not task.done()  # still blocked in queue.get()
    task.cancel()
    await asyncio.wait([task])
    assert task.cancelled()
