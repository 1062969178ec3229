"""How does the event loop run my coroutines?

Two tasks take turns only where they await; without an await, one runs to the end.
"""

# --8<-- [start:recipe]
import asyncio


def busy() -> int:
    """CPU work (parsing, hashing, computing): there is no await inside."""
    return sum(i * i for i in range(1_000))


async def worker(name: str, log: list[str], hand_over: bool) -> None:
    for step in (1, 2, 3):
        busy()
        print(f"  {name} step {step}")
        log.append(f"{name}{step}")
        if hand_over:
            await asyncio.sleep(0)  # suspend: the loop runs the next ready task


async def run_two(hand_over: bool) -> list[str]:
    log: list[str] = []
    tasks = [asyncio.create_task(worker(name, log, hand_over)) for name in "AB"]
    print("  main: both tasks created, neither has started")
    await asyncio.gather(*tasks)  # main suspends here: now the tasks run
    return log


async def main() -> tuple[list[str], list[str]]:
    print("no await between steps:")
    one_at_a_time = await run_two(hand_over=False)
    print("await asyncio.sleep(0) between steps:")
    taking_turns = await run_two(hand_over=True)
    return one_at_a_time, taking_turns


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
