"""When do I use PriorityQueue or LifoQueue? The same jobs through three queues."""

# --8<-- [start:recipe]
import asyncio
import itertools

Job = tuple[int, int, str]  # (priority, arrival number, name): compared in that order

JOBS = [
    (3, "weekly report"),
    (1, "page the on-call engineer"),
    (2, "resize images"),
    (1, "renew certificate"),
]


def take_all(queue: asyncio.Queue[Job]) -> list[str]:
    """Empty the queue and list the job names in the order it hands them out."""
    names = []
    while not queue.empty():
        _priority, _arrival, name = queue.get_nowait()
        names.append(name)
    return names


async def main() -> dict[str, list[str]]:
    orders = {}
    for kind in (asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue):
        queue: asyncio.Queue[Job] = kind()
        arrival = itertools.count()  # breaks ties between equal priorities
        for priority, name in JOBS:
            await queue.put((priority, next(arrival), name))
        orders[kind.__name__] = take_all(queue)
        print(f"{kind.__name__}:")
        for position, name in enumerate(orders[kind.__name__], 1):
            print(f"  {position}. {name}")
    return orders


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
