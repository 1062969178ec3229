"""Claims of docs/lifecycle/where-is-it-stuck.md.

The page requires Python 3.15 (the `recipe` fixture skips every test before that).
The sampling profiler runs against a real process that a test starts, stuck one of
the recipe's two ways; what `dump` prints is kept, with what changes from run to run
masked, in `where_is_it_stuck.waits.out` and `where_is_it_stuck.blocks.out`, which
`--update-outputs` rewrites like the `.out` file.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.support import ROOT, Recipe, check_or_store, run_main

# Yama's ptrace_scope 1 (Ubuntu's default) lets a process read
# the memory of its own descendants only, and the profiler is not the target's
# parent here: the target first says that any process of its user may read it, as
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
# What a dump shows once the program is stuck: where each fault ends up.
STUCK_IN = {"waits": "in Queue.get", "blocks": "in write_report"}


@contextlib.contextmanager
def stuck(recipe: Recipe, fault: str, python: str = sys.executable) -> Iterator[int]:
    """The recipe run as `python where_is_it_stuck.py FAULT 600`, stuck: its PID,
    until it is killed on the way out."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            AS_PTRACER_ANY,
            python,
            str(recipe.snippet),
            fault,
            "600",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "request-1 waits for its reply\n"
        if python == sys.executable:  # the profiler reads its own version only
            settle(process.pid, fault)
        yield process.pid
    finally:
        process.kill()
        process.communicate()


def settle(pid: int, fault: str, seconds: float = 30) -> None:
    """Wait until the program is stuck where its fault leaves it: in Queue.get(), or
    blocking in write_report(), which export() reaches after 0.1 s (later on a busy
    machine)."""
    mode = "running" if fault == "blocks" else "all"
    deadline = time.monotonic() + seconds
    while (
        STUCK_IN[fault]
        not in profiler("dump", "--async-aware", "--async-mode", mode, str(pid)).stdout
    ):
        assert time.monotonic() < deadline, f"the {fault} program never got stuck"
        time.sleep(0.1)


def profiler(*argv: str, cwd: str = "/") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "profiling.sampling", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


def masked(text: str) -> str:
    """What `dump` prints, without what changes from run to run: process, thread and
    task ids, folders, and line numbers inside asyncio."""
    text = re.sub(r"PID \d+", "PID <pid>", text)
    text = re.sub(r"thread \d+", "thread <tid>", text)
    text = re.sub(r"\(task \d+;", "(task <id>;", text)

    def short(file: re.Match[str]) -> str:
        folder, name = os.path.split(file[1])
        if os.path.basename(folder) == "asyncio":
            return f'File "asyncio/{name}", line …'
        return f'File "{name}", line {file[2]}'

    return re.sub(r'File "([^"]+)", line (\d+)', short, text)


def dumps(text: str) -> list[list[str]]:
    """The tasks of an async-aware dump, each as its `<task>` frames' names."""
    return [
        re.findall(r'File "<task>", in (.+)', stack) for stack in text.split("\n\n")
    ]


async def test_the_recipe_gives_up_on_the_request_after_its_deadline(recipe):
    run = await run_main(recipe)
    assert run.result == "request-1 got no reply within 5.0 s"
    assert run.output == "request-1 waits for its reply\n" + run.result + "\n"
    assert run.elapsed == 5.0


@pytest.mark.captures
def test_async_aware_dump_shows_every_waiting_task(recipe, request):
    with stuck(recipe, "waits") as pid:
        done = profiler("dump", "--async-aware", str(pid))
    assert done.returncode == 0, done.stderr
    text = masked(done.stdout)
    check_or_store(recipe, request.config, ".waits.out", text)
    assert dumps(text) == [["Task-1", "request-1"]]
    assert text.rstrip().endswith("await getter")  # inside Queue.get()


def test_running_mode_finds_nothing_when_every_task_waits(recipe):
    with stuck(recipe, "waits") as pid:
        once = profiler("dump", "--async-aware", "--async-mode", "running", str(pid))
        sampled = profiler("attach", "--async-aware", "-d", "1", str(pid))
    assert once.returncode == 0
    assert once.stdout == f"No Python stacks found for PID {pid}\n"
    assert sampled.returncode == 0
    assert sampled.stdout.splitlines()[-1] == "No samples were collected."


@pytest.mark.captures
def test_running_mode_names_the_task_that_blocks_the_loop(recipe, request):
    with stuck(recipe, "blocks") as pid:
        done = profiler("dump", "--async-aware", "--async-mode", "running", str(pid))
        every = profiler("dump", "--async-aware", str(pid))
    assert done.returncode == 0, done.stderr
    text = masked(done.stdout)
    check_or_store(recipe, request.config, ".blocks.out", text)
    assert dumps(text) == [["Task-1", "export"]]
    assert text.rstrip().endswith(
        "time.sleep(seconds)  # the other bug: a blocking call, run on the event loop"
    )
    # --async-mode all (dump's default) lists the waiting task too.
    assert sorted(dumps(masked(every.stdout))) == [
        ["Task-1", "export"],
        ["Task-1", "request-1"],
    ]


def test_sampling_puts_every_sample_in_the_blocking_call(recipe):
    with stuck(recipe, "blocks") as pid:
        done = profiler("attach", "--async-aware", "-d", "1", "--no-summary", str(pid))
    assert done.returncode == 0, done.stderr
    rows = [
        line.split() for line in done.stdout.splitlines() if "(" in line and "/" in line
    ]
    top = rows[0]
    assert top[-1] == "where_is_it_stuck.py:22(write_report)"
    assert top[1] == "100.0"  # sample%: in every sample, write_report was running
    assert "<task>:0(export)" in [row[-1] for row in rows]
    assert "<task>:0(request-1)" not in [row[-1] for row in rows]


def test_without_async_aware_a_waiting_program_shows_only_the_event_loop(recipe):
    with stuck(recipe, "waits") as pid:
        done = profiler("dump", str(pid))
    assert done.returncode == 0
    frames = re.findall(r", in (\S+)$", done.stdout, flags=re.MULTILINE)
    assert frames[-1] == "EpollSelector.select"
    assert "fetch" not in frames
    assert "request-1" not in done.stdout


def test_without_async_aware_a_blocked_loop_shows_the_call_but_no_task(recipe):
    with stuck(recipe, "blocks") as pid:
        done = profiler("dump", str(pid))
    frames = re.findall(r", in (\S+)$", done.stdout, flags=re.MULTILINE)
    assert frames[-3:] == ["Handle._run", "export", "write_report"]
    assert "<task>" not in done.stdout


def test_pstree_of_3_14_shows_the_tasks_but_not_which_one_runs(recipe):
    with stuck(recipe, "blocks") as pid:
        done = subprocess.run(
            [sys.executable, "-m", "asyncio", "pstree", str(pid)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    tasks = [
        line.split("(T) ")[1] for line in done.stdout.splitlines() if "(T) " in line
    ]
    assert tasks == ["Task-1", "export", "request-1"]  # marked alike


def test_attach_samples_1000_times_a_second_and_never_pauses_unasked(recipe):
    usage = " ".join(profiler("attach", "--help").stdout.split())
    assert "sampling rate (e.g., 10000, 10khz, 10k) (default: 1khz)" in usage
    assert "--blocking Stop all threads in target process before sampling" in usage
    assert 'Async profiling mode: "running" (only running task) or "all"' in usage
    assert "Requires `--async-aware` (default: running)" in usage
    dump = " ".join(profiler("dump", "--help").stdout.split())
    assert '"all" (all tasks including waiting, default for dump)' in dump


def test_run_starts_the_program_itself_and_stops_it_after_the_duration(
    recipe, tmp_path
):
    stacks = tmp_path / "stacks.txt"
    start = time.monotonic()
    done = profiler(
        *("run", "--async-aware", "--async-mode", "all", "-d", "1", "--collapsed"),
        *("-o", str(stacks), str(recipe.snippet), "waits", "600"),
        cwd=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - start < 30  # not 600 s: the program was stopped
    assert "request-1 waits for its reply" in done.stdout  # the program's own output
    waiting = [
        line for line in stacks.read_text().splitlines() if "<task>:request-1" in line
    ]
    assert waiting
    assert any(";queues.py:Queue.get:" in line for line in waiting)


@pytest.mark.parametrize(
    "option", [["-a"], ["--mode", "cpu"]], ids=["all-threads", "mode-cpu"]
)
def test_async_aware_refuses_per_thread_options(recipe, option):
    done = profiler("attach", "--async-aware", *option, "-d", "1", "1")
    assert done.returncode == 2
    assert "are incompatible with --async-aware" in done.stderr.splitlines()[-1]


def test_the_profiler_reads_only_a_process_of_its_own_python_version(recipe):
    other = shutil.which("python3.14")
    if other is None:
        pytest.skip("no python3.14 on PATH to start a target with")
    with stuck(recipe, "waits", python=other) as pid:
        done = profiler("dump", "--async-aware", str(pid))
    assert done.returncode == 1
    assert done.stdout == ""
    assert (
        "Can't attach from a Python 3.15 process to a Python 3.14 process"
        in done.stderr
    )
