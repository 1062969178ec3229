"""How do I stop a TaskGroup early?

Python 3.15+: TaskGroup.cancel(). Python 3.11 to 3.14: raise an exception of your own
from a task and catch it with except* around the group.
"""

# --8<-- [start:recipe]
import asyncio
import sys
from collections.abc import Awaitable, Callable

WANTED = 2  # answers needed; the slower mirrors are then not worth waiting for
MIRRORS = {"eu": 0.2, "us": 0.3, "ap": 0.5, "sa": 0.8}  # seconds each one takes


async def query(mirror: str, delay: float) -> str:
    await asyncio.sleep(delay)  # stands in for a request
    return f"{mirror}: 200 OK"


def report(answers: list[str], tasks: dict[str, asyncio.Task[None]]) -> None:
    print(f"  answers: {answers}")
    states = []
    for mirror, task in tasks.items():
        if task.cancelled():
            states.append(f"{mirror} cancelled")
        elif error := task.exception():
            states.append(f"{mirror} raised {type(error).__name__}")
        else:
            states.append(f"{mirror} done")
    print(f"  tasks: {', '.join(states)}")


if sys.version_info >= (3, 15):  # TaskGroup.cancel() is new in 3.15

    async def first_answers(wanted: int) -> list[str]:
        """Python 3.15+: tg.cancel() stops the group, with nothing to catch."""
        answers: list[str] = []
        async with asyncio.TaskGroup() as tg:

            async def ask(mirror: str, delay: float) -> None:
                answers.append(await query(mirror, delay))  # keep it before cancel()
                if len(answers) == wanted:
                    tg.cancel()  # cancels the other tasks, this one and the body

            tasks = {m: tg.create_task(ask(m, delay)) for m, delay in MIRRORS.items()}
        report(answers, tasks)  # `async with` exited without an exception
        return answers


class TerminateTaskGroup(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a task to stop its TaskGroup: the way before Python 3.15."""


async def first_answers_before_3_15(wanted: int) -> list[str]:
    answers: list[str] = []

    async def ask(mirror: str, delay: float) -> None:
        answers.append(await query(mirror, delay))
        if len(answers) == wanted:
            raise TerminateTaskGroup  # the group cancels the other tasks and the body

    try:
        async with asyncio.TaskGroup() as tg:
            tasks = {m: tg.create_task(ask(m, delay)) for m, delay in MIRRORS.items()}
    except* TerminateTaskGroup:
        pass  # only our own signal: any other error still propagates
    report(answers, tasks)
    return answers


async def main() -> dict[str, list[str]]:
    loop = asyncio.get_running_loop()
    ways: dict[str, Callable[[int], Awaitable[list[str]]]] = {}
    if sys.version_info >= (3, 15):
        ways["tg.cancel()"] = first_answers
    ways["raise TerminateTaskGroup, catch it with except*"] = first_answers_before_3_15
    results: dict[str, list[str]] = {}
    for label, way in ways.items():
        print(f"{label}:")
        start = loop.time()
        results[label] = await way(WANTED)
        print(f"  took {loop.time() - start:.2f} s")
    return results


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:recipe]
