"""Claims of docs/coordination/producer-consumer.md."""

import asyncio
import sys

import pytest

from tests.support import load_module, run_main, timed

ON_313 = sys.version_info >= (3, 13)
NEEDS_313 = pytest.mark.skipif(
    not ON_313, reason="Queue.shutdown() is new in Python 3.13"
)


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


@pytest.mark.skipif(ON_313, reason="Python 3.13+ has Queue.shutdown()")
async def test_before_313_there_is_no_shutdown_so_cancel_the_consumer(recipe):
    load_module(recipe)
    assert not hasattr(asyncio.Queue(), "shutdown")
    assert not hasattr(asyncio, "QueueShutDown")


@NEEDS_313
async def test_shutdown_stops_the_consumer_after_the_last_item(recipe):
    module = load_module(recipe)
    run = await timed(module.pipeline_with_shutdown)
    # The same pace as main(), and the same output, without join() or cancel().
    assert run.result == {
        "put": [0.0, 0.0, 0.0, 1.0, 2.0],
        "processed": [1.0, 2.0, 3.0, 4.0, 5.0],
    }
    assert run.output == recipe.output.read_text()
    assert run.elapsed == 5.0
    assert asyncio.all_tasks() == {asyncio.current_task()}


@NEEDS_313
async def test_shutdown_wakes_a_consumer_waiting_in_get(recipe):
    module = load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    task = asyncio.create_task(module.consumer_until_shutdown(queue, []))
    await asyncio.sleep(60)  # waiting in get() on an empty queue
    assert not task.done()
    queue.shutdown()
    await asyncio.wait([task])
    assert task.done()
    assert not task.cancelled()  # it returned: get() raised QueueShutDown
    assert task.result() is None


@NEEDS_313
async def test_after_shutdown_put_raises_queue_shut_down(recipe):
    load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
    queue.put_nowait(0)
    blocked = asyncio.create_task(queue.put(1))  # waits: the queue is full
    await asyncio.sleep(0)
    queue.shutdown()
    with pytest.raises(asyncio.QueueShutDown):
        await blocked  # a producer waiting in put() is woken with the error
    with pytest.raises(asyncio.QueueShutDown):
        await queue.put(2)
    assert queue.get_nowait() == 0  # what was queued can still be taken


@NEEDS_313
async def test_get_raises_only_once_the_queue_is_empty(recipe):
    load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for item in range(2):
        queue.put_nowait(item)
    queue.shutdown()
    assert [await queue.get(), await queue.get()] == [0, 1]
    with pytest.raises(asyncio.QueueShutDown):
        await queue.get()


@NEEDS_313
async def test_immediate_shutdown_drops_the_backlog(recipe):
    module = load_module(recipe)
    queue: asyncio.Queue[int] = asyncio.Queue()
    processed: list[float] = []
    task = asyncio.create_task(module.consumer_until_shutdown(queue, processed))
    for item in range(3):
        queue.put_nowait(item)
    await asyncio.sleep(0.5)  # the consumer is processing item 0
    queue.shutdown(immediate=True)  # items 1 and 2 are dropped
    assert queue.empty()
    await asyncio.wait([task])
    assert processed == [1.0]  # item 0 was finished, nothing after it
    assert not task.cancelled()
    await asyncio.wait_for(queue.join(), timeout=1)  # nothing left unfinished
