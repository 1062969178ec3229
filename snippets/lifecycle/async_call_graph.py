"""How do I see which coroutine is waiting on which? Python 3.14's call graph of a
stuck request: where each task is suspended, and which task awaits it, up to the top.

`python async_call_graph.py hang` stays stuck, for `python -m asyncio pstree PID`
from another terminal; `python async_call_graph.py pdb` stops in the debugger."""

# --8<-- [start:recipe]
import asyncio
import os
import pdb
import re
import sys

Waits = dict[str, tuple[str, list[str]]]  # task: (suspended in, awaited by)


async def fetch(service: str, replies: asyncio.Queue[str]) -> str:
    return await replies.get()  # the orders service never replies


async def handle(request: str, services: dict[str, asyncio.Queue[str]]) -> list[str]:
    lookups = [
        asyncio.create_task(fetch(name, replies), name=f"{request} {name}")
        for name, replies in services.items()
    ]
    return await asyncio.gather(*lookups)


async def serve(services: dict[str, asyncio.Queue[str]]) -> None:
    async with asyncio.TaskGroup() as tg:
        tg.create_task(handle("request-1", services), name="request-1")


def task_name(future: asyncio.Future[object]) -> str:
    """A waiter is a Task, except a future linked by future_add_to_awaited_by()."""
    return future.get_name() if isinstance(future, asyncio.Task) else repr(future)


def who_waits_on_whom() -> Waits:
    """Every task but the current one: the function it is suspended in, and the
    tasks that await it."""
    if sys.version_info < (3, 14):  # and type checkers skip the rest before 3.14
        raise RuntimeError("asyncio call graphs are new in Python 3.14")
    found: Waits = {}
    others = asyncio.all_tasks() - {asyncio.current_task()}
    for task in sorted(others, key=lambda t: t.get_name()):
        graph = asyncio.capture_call_graph(task)
        if graph is None:  # never for a task passed in: only "no current task"
            continue
        innermost = graph.call_stack[0].frame.f_code.co_qualname
        awaiters = sorted(task_name(g.future) for g in graph.awaited_by)  # a set
        found[task.get_name()] = (innermost, awaiters)
        by = ", ".join(awaiters) or "no task"
        print(f"  {task.get_name():<17} suspended in {innermost}(), awaited by {by}")
    return found


def leaves(found: Waits) -> list[str]:
    """The tasks that await no other task: where the waiting comes from."""
    awaiting = {name for _, awaiters in found.values() for name in awaiters}
    return [name for name in found if name not in awaiting]


ASYNCIO = os.path.dirname(asyncio.__file__)


def stable(graph: str) -> str:
    """format_call_graph() without what changes from run to run or from machine to
    machine: task ids (addresses), folders, and line numbers inside asyncio."""

    def short(file: re.Match[str]) -> str:
        folder, name = os.path.split(file[1])
        if folder == ASYNCIO:
            return f"File 'asyncio/{name}', line …"
        return f"File '{name}', line {file[2]}"

    graph = re.sub(r"id=0x[0-9a-f]+", "id=0x…", graph)
    return re.sub(r"File '([^']+)', line (\d+)", short, graph)


async def main(mode: str = "dump") -> Waits:
    if mode == "pdb":
        await debug()
        return {}
    services: dict[str, asyncio.Queue[str]] = {
        "users": asyncio.Queue(),
        "orders": asyncio.Queue(),
    }
    services["users"].put_nowait("ada")  # the users service replies at once
    server = asyncio.create_task(serve(services), name="server")
    await asyncio.sleep(1)  # request-1 should have been answered long ago
    if mode == "hang":  # look at it from another terminal; Ctrl-C stops it
        print(f"stuck: python -m asyncio pstree {os.getpid()}", flush=True)
        await server
    if sys.version_info < (3, 14):  # and type checkers skip the rest before 3.14
        raise RuntimeError("asyncio call graphs are new in Python 3.14")
    print("Who waits on whom, from capture_call_graph():")
    found = who_waits_on_whom()
    tasks = {task.get_name(): task for task in asyncio.all_tasks()}
    for name in leaves(found):
        print(f"format_call_graph() of {name!r}, ids and folders left out:")
        print(stable(asyncio.format_call_graph(tasks[name])))
    print("Before 3.14, task.get_stack() shows each task's own coroutine only:")
    stacks_before_3_14()
    server.cancel()
    await asyncio.wait([server])
    return found


# --8<-- [end:recipe]


# --8<-- [start:before]
def stacks_before_3_14() -> dict[str, list[str]]:
    """Python 3.11 to 3.13: every task but the current one, with the frame of its
    own coroutine; not what it awaits, nor which task awaits it."""
    found = {}
    others = asyncio.all_tasks() - {asyncio.current_task()}
    for task in sorted(others, key=lambda t: t.get_name()):
        frames = [f"{f.f_code.co_name}() line {f.f_lineno}" for f in task.get_stack()]
        found[task.get_name()] = frames
        print(f"  {task.get_name():<17} {', '.join(frames)}")
    return found


# --8<-- [end:before]


# --8<-- [start:pdb]
async def fetch_with_breakpoint(service: str, replies: asyncio.Queue[str]) -> str:
    if sys.version_info < (3, 14):  # and type checkers skip the rest before 3.14
        raise RuntimeError("pdb.set_trace_async() is new in Python 3.14")
    await pdb.set_trace_async()  # stops here, in the task that runs this coroutine
    return await replies.get()


async def debug() -> None:
    replies: asyncio.Queue[str] = asyncio.Queue()  # empty: the reply never comes
    task = asyncio.create_task(fetch_with_breakpoint("orders", replies), name="orders")
    print(f"{task.get_name()} got {await task!r}")


# --8<-- [end:pdb]


# --8<-- [start:main]
if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
# --8<-- [end:main]
