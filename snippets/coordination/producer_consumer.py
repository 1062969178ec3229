"""How do I build a producer/consumer pipeline with asyncio.Queue?"""

# --8<-- [start:recipe]
import asyncio
import sys


async def producer(queue: asyncio.Queue[int], count: int, log: list[float]) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    for item in range(count):
        await queue.put(item)  # waits while the queue is full: back-pressure
        log.append(loop.time() - start)
        print(f"{log[-1]:.2f} s  put {item}")


async def process(item: int, log: list[float], start: float) -> None:
    await asyncio.sleep(1.0)  # the slow part: process the item
    log.append(asyncio.get_running_loop().time() - start)
    print(f"{log[-1]:.2f} s  processed {item}")


async def consumer(queue: asyncio.Queue[int], log: list[float]) -> None:
    start = asyncio.get_running_loop().time()
    while True:
        item = await queue.get()
        try:
            await process(item, log, start)
        finally:
            queue.task_done()  # exactly once per get(), even if processing fails


async def main(count: int = 5, maxsize: int = 2) -> dict[str, list[float]]:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=maxsize)
    put_at: list[float] = []
    processed_at: list[float] = []
    consumer_task = asyncio.create_task(consumer(queue, processed_at))
    await producer(queue, count, put_at)
    print("producer done")
    await queue.join()  # returns when every item put has been marked task_done()
    consumer_task.cancel()  # it now waits forever in queue.get(): stop it
    await asyncio.wait([consumer_task])  # and wait until it has really stopped
    print("all items processed")
    return {"put": put_at, "processed": processed_at}


# --8<-- [end:recipe]
# --8<-- [start:shutdown]
if sys.version_info >= (3, 13):  # Queue.shutdown() is new in 3.13

    async def consumer_until_shutdown(
        queue: asyncio.Queue[int], log: list[float]
    ) -> None:
        """Python 3.13+: process items until the queue is shut down and empty."""
        start = asyncio.get_running_loop().time()
        while True:
            try:
                item = await queue.get()
            except asyncio.QueueShutDown:  # shut down, and no item left: stop
                return
            try:
                await process(item, log, start)
            finally:
                queue.task_done()  # keeps join() usable, as in consumer()

    async def pipeline_with_shutdown(
        count: int = 5, maxsize: int = 2
    ) -> dict[str, list[float]]:
        """Python 3.13+: the same pipeline, stopped by shutdown() alone."""
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=maxsize)
        put_at: list[float] = []
        processed_at: list[float] = []
        async with asyncio.TaskGroup() as tg:
            tg.create_task(consumer_until_shutdown(queue, processed_at))
            await producer(queue, count, put_at)
            print("producer done")
            queue.shutdown()  # put() now raises; get() raises once the queue is empty
        print("all items processed")  # the TaskGroup waited for the consumer to return
        return {"put": put_at, "processed": processed_at}


# --8<-- [end:shutdown]
# --8<-- [start:run]
if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:run]
