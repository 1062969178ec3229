"""Claims of docs/lifecycle/async-call-graph.md.

The page requires Python 3.14 (the `recipe` fixture skips every test before that),
except for "the way before 3.14", tested on every version. `python -m asyncio ps`
and `pstree` run against a real process that a test starts; what they print is kept,
with what changes from run to run masked, in `async_call_graph.pstree.out` and
`async_call_graph.ps.out`, which `--update-outputs` rewrites like the `.out` file.
"""

import asyncio
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT, Recipe, check_or_store, load_module, run_main

RECIPE = Recipe.from_path(Path(__file__))
ON_3_14 = pytest.mark.skipif(
    sys.version_info < (3, 14), reason="python -m asyncio ps/pstree are 3.14+"
)

STUCK = {
    "request-1": ("handle", ["server"]),
    "request-1 orders": ("Queue.get", ["request-1"]),
    "server": ("TaskGroup._aexit", []),
}

# Yama's ptrace_scope 1 (Ubuntu's default) lets a process read
# the memory of its own descendants only, and the tool is not the target's parent
# here: the target first says that any process of its user may read it, as
# `setpriv --ptracer any` does, then becomes the program. Without Yama, prctl fails
# and changes nothing.
AS_PTRACER_ANY = """
import ctypes, os, sys
PR_SET_PTRACER, PR_SET_PTRACER_ANY = 0x59616D61, ctypes.c_ulong(-1)
prctl = getattr(ctypes.CDLL(None), "prctl", None)  # Linux only
if prctl is not None:
    prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0)
os.execv(sys.argv[1], sys.argv[1:])  # python, then its arguments
"""

CYCLE = """
import asyncio

async def wait_for(name: str) -> None:
    await tasks[name]

async def main() -> None:
    tasks["a"] = asyncio.create_task(wait_for("b"), name="a")
    tasks["b"] = asyncio.create_task(wait_for("a"), name="b")
    await asyncio.sleep(0.1)
    print("stuck", flush=True)
    await asyncio.sleep(3600)

tasks = {}
asyncio.run(main())
"""


@contextlib.contextmanager
def stuck_process(python: str, *argv: str) -> Iterator[int]:
    """A real process, `python *argv`, that prints a line starting with "stuck" once
    it is stuck: its PID, until it is killed on the way out."""
    process = subprocess.Popen(
        [sys.executable, "-c", AS_PTRACER_ANY, python, *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("stuck"), f"the target printed {line!r}"
        yield process.pid
    finally:
        process.kill()
        process.communicate()


def tool(*argv: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd="/",
        user=user,
    )


def masked(text: str) -> str:
    """What ps and pstree print, without what changes from run to run: folders, line
    numbers inside asyncio, task and thread ids (in their column's width), and the
    spaces at the ends of the lines."""
    text = re.sub(r"\S*/asyncio/(\w+\.py):\d+", r"asyncio/\1:…", text)
    text = re.sub(r"\S*/([\w.]+\.py):(\d+)", r"\1:\2", text)
    text = re.sub(r"0x[0-9a-f]{4,} *", lambda m: "0x…".ljust(len(m[0])), text)
    text = re.sub(r"^\d+ +", lambda m: "<tid>".ljust(len(m[0])), text, flags=re.M)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def stuck_server(module):
    services = {"users": asyncio.Queue(), "orders": asyncio.Queue()}
    services["users"].put_nowait("ada")
    return asyncio.create_task(module.serve(services), name="server")


async def cancelled(task: asyncio.Task) -> None:
    task.cancel()
    await asyncio.wait([task])


# In-process: capture_call_graph() and format_call_graph() (3.14+).


async def test_every_task_is_suspended_somewhere_and_awaited_by_its_parent(recipe):
    run = await run_main(recipe)
    assert run.result == STUCK
    assert run.elapsed == 1.0


async def test_the_users_lookup_finished_so_only_the_orders_lookup_is_a_leaf(recipe):
    run = await run_main(recipe)
    module = load_module(recipe)
    assert "request-1 users" not in run.result
    assert module.leaves(run.result) == ["request-1 orders"]


async def test_the_call_graph_goes_from_the_stuck_task_up_to_the_server(recipe):
    run = await run_main(recipe)
    graph = run.output.split("left out:\n")[1].split("Before 3.14")[0]
    names = re.findall(r"\* Task\(name='([^']+)'", graph)
    assert names == ["request-1 orders", "request-1", "server"]
    first = graph.splitlines()[2]  # the innermost frame comes first
    assert first == "  |   File 'asyncio/queues.py', line …, in async Queue.get()"


async def test_the_printed_graph_holds_addresses_and_full_paths(recipe):
    module = load_module(recipe)
    server = stuck_server(module)
    await asyncio.sleep(1)
    try:
        [leaf] = [t for t in asyncio.all_tasks() if t.get_name() == "request-1 orders"]
        printed = io.StringIO()
        asyncio.print_call_graph(leaf, file=printed)
        text = printed.getvalue()
        assert text.startswith(f"* Task(name='request-1 orders', id={id(leaf):#x})\n")
        assert f"File {str(recipe.snippet)!r}, line 18, in async fetch()" in text
        assert f"File {os.path.join(module.ASYNCIO, 'queues.py')!r}, line " in text
        assert module.stable(text).rstrip("\n") == module.stable(
            asyncio.format_call_graph(leaf)
        )
    finally:
        await cancelled(server)


@pytest.mark.parametrize("how", ["await", "gather", "shield", "wait"])
async def test_awaiting_through_asyncio_links_the_waiter_until_the_await_ends(
    recipe, how
):
    load_module(recipe)
    done = asyncio.Event()
    inner = asyncio.create_task(done.wait(), name="inner")

    async def waiter() -> None:
        if how == "await":
            await inner
        elif how == "gather":
            await asyncio.gather(inner)
        elif how == "shield":
            await asyncio.shield(inner)
        else:
            await asyncio.wait([inner])

    outer = asyncio.create_task(waiter(), name="waiter")
    await asyncio.sleep(0.1)
    try:
        graph = asyncio.capture_call_graph(inner)
        assert [g.future.get_name() for g in graph.awaited_by] == ["waiter"]
        done.set()
        await outer
        assert asyncio.capture_call_graph(inner).awaited_by == ()
    finally:
        await cancelled(outer)
        await cancelled(inner)


async def test_a_future_you_resolve_yourself_links_nothing_until_you_say_so(recipe):
    load_module(recipe)
    inner = asyncio.create_task(asyncio.Event().wait(), name="inner")
    relay = asyncio.get_running_loop().create_future()  # set when inner is done
    inner.add_done_callback(lambda _: relay.done() or relay.set_result(None))

    async def wait_for_relay() -> None:
        await relay

    waiter = asyncio.create_task(wait_for_relay(), name="waiter")
    await asyncio.sleep(0.1)
    try:
        assert asyncio.capture_call_graph(inner).awaited_by == ()
        asyncio.future_add_to_awaited_by(inner, waiter)
        graph = asyncio.capture_call_graph(inner)
        assert [g.future.get_name() for g in graph.awaited_by] == ["waiter"]
        asyncio.future_discard_from_awaited_by(inner, waiter)
        assert asyncio.capture_call_graph(inner).awaited_by == ()
    finally:
        await cancelled(inner)
        await cancelled(waiter)


async def test_several_awaiters_are_all_listed_and_kept_in_a_set(recipe):
    load_module(recipe)
    shared = asyncio.create_task(asyncio.Event().wait(), name="shared")

    async def wait_for_shared() -> None:
        await shared

    waiters = [asyncio.create_task(wait_for_shared(), name=n) for n in ("w1", "w2")]
    await asyncio.sleep(0.1)
    try:
        graph = asyncio.capture_call_graph(shared)
        assert sorted(g.future.get_name() for g in graph.awaited_by) == ["w1", "w2"]
        assert isinstance(shared._asyncio_awaited_by, frozenset)  # what graph.py reads
    finally:
        for task in [*waiters, shared]:
            await cancelled(task)


async def test_a_lock_links_no_task_to_the_one_holding_it(recipe):
    load_module(recipe)
    lock = asyncio.Lock()

    async def hold() -> None:
        async with lock:
            await asyncio.sleep(3600)

    async def want() -> None:
        async with lock:
            pass

    holder = asyncio.create_task(hold(), name="holder")
    waiter = asyncio.create_task(want(), name="waiter")
    await asyncio.sleep(0.1)
    try:
        graph = asyncio.capture_call_graph(waiter)
        assert graph.call_stack[0].frame.f_code.co_qualname == "Lock.acquire"
        assert graph.awaited_by == ()
        assert asyncio.capture_call_graph(holder).awaited_by == ()
        assert "holder" not in asyncio.format_call_graph(waiter)
    finally:
        await cancelled(waiter)
        await cancelled(holder)


async def test_with_no_argument_it_graphs_the_current_task_from_the_caller(recipe):
    load_module(recipe)

    async def probe() -> str:
        return asyncio.format_call_graph()

    async def probe_all() -> tuple[str, str, str]:
        printed = io.StringIO()
        asyncio.print_call_graph(file=printed)
        graph = asyncio.capture_call_graph()
        return (
            printed.getvalue(),
            graph.future.get_name(),
            graph.call_stack[0].frame.f_code.co_name,
        )

    printed, name, innermost = await asyncio.create_task(probe_all(), name="probe")
    assert printed.startswith("* Task(name='probe', id=0x")
    assert (name, innermost) == ("probe", "probe_all")
    text = await asyncio.create_task(probe(), name="probe")
    lines = text.splitlines()
    assert lines[0].startswith("* Task(name='probe', id=0x")
    assert lines[1] == "  + Call stack:"
    assert lines[2].endswith(
        ", in async test_with_no_argument_it_graphs_the_current_task_from_the_caller.<locals>.probe()"
    )
    assert lines[3] == "  + Awaited by:"  # `await task` links the awaiting task
    assert lines[4].startswith(f"    * Task(name='{asyncio.current_task().get_name()}'")


async def test_a_deadlock_on_two_locks_is_two_unrelated_leaves(recipe):
    load_module(recipe)
    first, second = asyncio.Lock(), asyncio.Lock()

    async def transfer(a: asyncio.Lock, b: asyncio.Lock) -> None:
        async with a:
            await asyncio.sleep(0.1)
            async with b:
                pass

    tasks = [
        asyncio.create_task(transfer(first, second), name="a-to-b"),
        asyncio.create_task(transfer(second, first), name="b-to-a"),
    ]
    await asyncio.sleep(1)
    try:
        for task in tasks:
            graph = asyncio.capture_call_graph(task)
            assert graph.call_stack[0].frame.f_code.co_qualname == "Lock.acquire"
            assert graph.awaited_by == ()  # no link to the task holding the lock
    finally:
        for task in tasks:
            await cancelled(task)


def test_capture_call_graph_with_no_task_outside_a_loop_raises(recipe):
    load_module(recipe)
    message = "capture_call_graph() is called outside of a running event loop"
    with pytest.raises(RuntimeError, match=re.escape(message)):
        asyncio.capture_call_graph()


# The way before 3.14, on every version.


async def test_the_way_before_3_14_shows_each_tasks_own_frame_only():
    module = load_module(RECIPE)
    server = stuck_server(module)
    await asyncio.sleep(1)
    try:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            found = module.stacks_before_3_14()
    finally:
        await cancelled(server)
    assert found == {
        "request-1": ["handle() line 26"],
        "request-1 orders": ["fetch() line 18"],
        "server": ["serve() line 30"],
    }
    shown = RECIPE.base_output.read_text(encoding="utf-8").split("coroutine only:\n")
    assert printed.getvalue() == shown[1]  # the lines the page shows, on 3.11+


def test_the_call_graph_functions_are_new_in_3_14():
    for name in ("capture_call_graph", "format_call_graph", "print_call_graph"):
        assert hasattr(asyncio, name) == (sys.version_info >= (3, 14)), name


# From another process: python -m asyncio pstree / ps (3.14+).


@ON_3_14
@pytest.mark.captures
@pytest.mark.parametrize("command", ["pstree", "ps"])
def test_the_tool_shows_the_same_chain_from_outside(recipe, request, command):
    with stuck_process(sys.executable, str(recipe.snippet), "hang") as pid:
        done = tool(sys.executable, "-m", "asyncio", command, str(pid))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    text = masked(done.stdout)
    check_or_store(recipe, request.config, f".{command}.out", text)
    if command == "pstree":
        assert "(T) request-1 orders" in text
        assert "Queue.get asyncio/queues.py:…" in text
    else:  # columns: tid, task id, name, stack, awaiter's stack, name, and id
        rows = [re.split(r" {2,}", line) for line in text.splitlines()[2:]]
        assert [(row[2], row[3], row[-2]) for row in rows[1:]] == [
            ("server", "TaskGroup._aexit -> TaskGroup.__aexit__ -> serve", "Task-1"),
            ("request-1", "handle", "server"),
            ("request-1 orders", "Queue.get -> fetch", "request-1"),
        ]
        assert rows[0][2:] == ["Task-1", "main", "0x0"]  # awaited by no task


@ON_3_14
def test_pstree_refuses_a_cycle_and_ps_still_lists_it(recipe):
    with stuck_process(sys.executable, "-c", CYCLE) as pid:
        tree = tool(sys.executable, "-m", "asyncio", "pstree", str(pid))
        table = tool(sys.executable, "-m", "asyncio", "ps", str(pid))
    assert tree.returncode == 1
    assert tree.stdout == ""
    lines = tree.stderr.splitlines()
    assert lines[:2] == [
        "ERROR: await-graph contains cycles - cannot print a tree!",
        "",
    ]
    assert lines[2:] in (["cycle: a → b → a"], ["cycle: b → a → b"])
    assert table.returncode == 0
    names = [line.split()[2] for line in table.stdout.splitlines()[2:]]
    assert sorted(names) == ["Task-1", "a", "b"]


def other_pythons() -> list[str]:
    found = []
    for version in ("3.13", "3.14", "3.15"):
        if version != f"{sys.version_info[0]}.{sys.version_info[1]}":
            path = shutil.which(f"python{version}")
            if path:
                found.append(path)
    return found


@ON_3_14
def test_the_tool_reads_only_a_process_of_its_own_python_version(recipe):
    others = other_pythons()
    if not others:
        pytest.skip("no other Python 3.13-3.15 on PATH to start a target with")
    mine = f"{sys.version_info[0]}.{sys.version_info[1]}"
    for other in others:
        with stuck_process(other, str(recipe.snippet), "hang") as pid:
            done = tool(sys.executable, "-m", "asyncio", "pstree", str(pid))
        version = subprocess.run(
            [other, "-c", "import sys; print(*sys.version_info[:2], sep='.')"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert done.returncode == 1
        message = (
            f"Error retrieving tasks: Can't attach from a Python {mine} process"
            f" to a Python {version} process\n"
        )
        # 3.14 prints the tool's errors on stdout, 3.15 on stderr.
        printed = done.stdout if sys.version_info < (3, 15) else done.stderr
        assert printed == message


@ON_3_14
@pytest.mark.parametrize("command", ["pstree", "ps"])
def test_another_user_is_refused_with_a_pointer_to_the_docs(recipe, command):
    if os.geteuid() != 0:
        pytest.skip("needs root, to run the tool as another user (nobody)")
    with stuck_process(sys.executable, str(recipe.snippet), "hang") as pid:
        done = tool(sys.executable, "-m", "asyncio", command, str(pid), user=65534)
    assert done.returncode == 1
    printed = done.stdout if sys.version_info < (3, 15) else done.stderr
    assert printed.startswith(
        "Error: The specified process cannot be attached to due to insufficient"
        " permissions.\n"
    )
    assert "/howto/remote_debugging.html#permission-requirements" in printed


@ON_3_14
def test_retries_is_an_option_from_3_15(recipe):
    usage = tool(sys.executable, "-m", "asyncio", "ps", "--help").stdout
    assert ("--retries" in usage) == (sys.version_info >= (3, 15))
    if sys.version_info < (3, 15):
        done = tool(sys.executable, "-m", "asyncio", "ps", "--retries", "5", "1")
        assert done.returncode == 2
        assert "error: unrecognized arguments: --retries" in done.stderr


# pdb: set_trace_async() and $_asynctask (3.14+).


def debugger(commands: list[str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv],
        input="".join(f"{c}\n" for c in commands),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"},
    )


def transcript(recipe: Recipe, commands: list[str], stdout: str) -> str:
    """The session as a terminal shows it: each command after its prompt (pdb does
    not echo what it reads from a pipe), with the recipe's folder left out."""
    prompts = stdout.split("(Pdb) ")
    session = prompts[0] + "".join(
        f"(Pdb) {command}\n{printed}"
        for command, printed in zip(commands, prompts[1:], strict=True)
    )
    return session.replace(str(recipe.snippet), recipe.snippet.name)


@pytest.mark.captures
def test_pdb_names_the_task_and_awaits_at_its_prompt(recipe, request):
    commands = ["p $_asynctask", 'await replies.put("late")', "c"]
    done = debugger(commands, str(recipe.snippet), "pdb")
    assert done.returncode == 0, done.stderr
    check_or_store(
        recipe, request.config, ".pdb.out", transcript(recipe, commands, done.stdout)
    )
    prompts = done.stdout.split("(Pdb) ")
    assert prompts[0].splitlines()[1] == (
        "-> await pdb.set_trace_async()  # stops here, in the task that runs this coroutine"
    )
    assert prompts[1].startswith(
        "<Task pending name='orders' coro=<fetch_with_breakpoint() running at "
    )
    assert prompts[-1] == "orders got 'late'\n"  # `c` continued with the reply


def test_p_await_is_a_syntax_error_assign_it_instead(recipe):
    done = debugger(
        [
            "p await replies.get()",
            'await replies.put("a")',
            "got = await replies.get()",
            "p got",
            'await replies.put("b")',
            "c",
        ],
        str(recipe.snippet),
        "pdb",
    )
    prompts = done.stdout.split("(Pdb) ")
    assert prompts[1] == "*** SyntaxError: 'await' outside function\n"
    assert prompts[4] == "'a'\n"
    assert prompts[-1] == "orders got 'b'\n"


def test_breakpoint_sets_asynctask_but_cannot_await(recipe):
    program = (
        "import asyncio\n"
        "async def work() -> None:\n"
        "    breakpoint()\n"
        "    await asyncio.sleep(0)\n"
        "asyncio.run(work())\n"
    )
    done = debugger(
        ["p $_asynctask.get_name()", "await asyncio.sleep(0)", "c"], "-c", program
    )
    assert done.returncode == 0, done.stderr
    prompts = done.stdout.split("(Pdb) ")
    assert prompts[1] == "'Task-1'\n"
    assert prompts[2] == "*** SyntaxError: 'await' outside function\n"
