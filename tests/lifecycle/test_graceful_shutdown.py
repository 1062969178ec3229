"""Claims of docs/lifecycle/graceful-shutdown.md.

The exit statuses are checked on the real thing: the recipe runs as a subprocess
(`python -X dev -W error graceful_shutdown.py serve`) and the test signals it."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.support import ROOT, SLOW_STEP, load_module, run_main

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="loop.add_signal_handler() is POSIX only"
)
TIMEOUT = 30  # seconds; the recipe stops within a few
# -X dev turns on asyncio debug mode, which logs any step slower than 0.1 s (SLOW_STEP);
# on a loaded machine any step can be (tests/test_recipes.py tolerates them the same way).


def errors(stderr: str) -> list[str]:
    """stderr without the load-induced slow-step lines of debug mode."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not SLOW_STEP.match(line)
    ]


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-X", "dev", "-W", "error", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    """The rest of stdout and stderr, once the process ends. Not communicate(): it
    reads the pipes' file descriptors and would miss lines that readline() has
    already buffered."""
    stdout = process.stdout.read()  # until the process closes it: it has ended
    stderr = process.stderr.read()  # a few lines at most: the pipe cannot fill up
    process.wait(timeout=TIMEOUT)
    return stdout, stderr


def stop(process: subprocess.Popen[str]) -> None:
    """Kill it if it still runs, reap it, close its pipes."""
    process.kill()
    process.wait()
    process.stdout.close()
    process.stderr.close()


def serve_and_signal(recipe, sig: signal.Signals) -> tuple[int, list[str], str]:
    """Start the service for real, wait until it is ready and has work in flight and
    queued, then send it `sig`. Returns its exit status, stdout lines, stderr."""
    process = start(str(recipe.snippet), "serve")
    try:
        seen = [process.stdout.readline()]
        assert "ready" in seen[0], seen
        while "accepted job-3" not in seen[-1]:  # job-1 and job-2 are in flight
            seen.append(process.stdout.readline())
            assert seen[-1], f"the service stopped early: {seen}"
        process.send_signal(sig)
        stdout, stderr = finish(process)
    finally:
        stop(process)
    return process.returncode, "".join([*seen, stdout]).splitlines(), stderr


def jobs(lines: list[str], pattern: str) -> list[str]:
    return [m.group(1) for line in lines if (m := re.search(pattern, line))]


def assert_nothing_lost(lines: list[str]) -> None:
    accepted = jobs(lines, r"accepted (job-\d+)$")
    finished = jobs(lines, r"finished (job-\d+)$")
    assert len(accepted) >= 3
    assert sorted(finished) == sorted(accepted)  # each exactly once
    assert "cleanup done" in lines[-2]


@posix_only
def test_sigterm_finishes_every_accepted_job_cleans_up_and_exits_0(recipe):
    status, lines, stderr = serve_and_signal(recipe, signal.SIGTERM)
    assert errors(stderr) == []
    assert status == 0
    assert any("SIGTERM received" in line for line in lines)
    assert_nothing_lost(lines)
    assert lines[-1] == "exit status 0"


@posix_only
def test_sigint_finishes_every_accepted_job_cleans_up_and_exits_130(recipe):
    status, lines, stderr = serve_and_signal(recipe, signal.SIGINT)
    assert errors(stderr) == []  # no KeyboardInterrupt traceback
    assert status == 130
    assert any("SIGINT received" in line for line in lines)
    assert_nothing_lost(lines)
    assert lines[-1] == "exit status 130"


async def test_demo_sends_itself_sigterm_and_drains_the_six_jobs(recipe):
    run = await run_main(recipe)
    report = run.result
    assert report.signal == "SIGTERM"
    assert report.accepted == [f"job-{n}" for n in range(1, 7)]
    assert sorted(report.done) == report.accepted
    assert report.unfinished == []
    assert report.cleaned_up
    assert run.elapsed == 4.8  # last job done at 4.70 s + 0.10 s cleanup


async def test_nothing_is_accepted_after_the_signal(recipe):
    run = await run_main(recipe)
    lines = run.output.splitlines()
    signalled = next(i for i, line in enumerate(lines) if "SIGTERM received" in line)
    last_accepted = max(i for i, line in enumerate(lines) if "accepted job-" in line)
    assert last_accepted < signalled
    assert lines[signalled].startswith("2.70 s")


async def test_the_deadline_cancels_in_flight_jobs_and_reports_them(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    kill = loop.call_later(2.7, os.kill, os.getpid(), signal.SIGTERM)
    try:
        run_start = loop.time()
        report = await module.Service(drain_timeout=0.5).run()
        elapsed = loop.time() - run_start
    finally:
        kill.cancel()
    assert report.done == ["job-1", "job-2", "job-3"]
    # job-4 and job-5 were being processed, job-6 was still queued
    assert sorted(report.unfinished) == ["job-4", "job-5", "job-6"]
    assert sorted(report.done + report.unfinished) == report.accepted
    assert report.cleaned_up  # cleanup runs on the deadline path too
    assert elapsed == 3.3  # signal 2.7 + deadline 0.5 + cleanup 0.1


async def test_signal_handlers_are_put_back_after_shutdown(recipe):
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    await run_main(recipe)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL == before[signal.SIGTERM]
    assert signal.getsignal(signal.SIGINT) is before[signal.SIGINT]  # the runner's


NO_HANDLERS = """
import asyncio

async def main():
    try:
        print("ready")
        await asyncio.sleep(30)  # a job in flight
    finally:
        print("cleanup")

asyncio.run(main())
"""


@posix_only
def test_without_a_handler_sigterm_kills_at_once_without_cleanup(recipe):
    process = start("-c", NO_HANDLERS)
    assert process.stdout.readline() == "ready\n"
    process.send_signal(signal.SIGTERM)
    stdout, _ = process.communicate(timeout=TIMEOUT)
    assert stdout == ""  # the finally block never ran
    assert process.returncode == -signal.SIGTERM  # a shell shows 143


@posix_only
def test_without_a_handler_ctrl_c_cancels_the_work_with_a_traceback(recipe):
    process = start("-c", NO_HANDLERS)
    assert process.stdout.readline() == "ready\n"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert stdout == "cleanup\n"  # the task was cancelled, so its finally ran
    assert stderr.rstrip().endswith("KeyboardInterrupt")
    assert process.returncode == -signal.SIGINT  # a shell shows 130


# What asyncio.run() does with Ctrl-C by itself (3.11+: asyncio/runners.py installs a
# SIGINT handler that cancels the main task, and raises KeyboardInterrupt on a second
# Ctrl-C), and what the recipe gives up by handling SIGINT with add_signal_handler().

SLOW_CLEANUP = """
import asyncio

async def main():
    try:
        print("ready")
        await asyncio.sleep(30)  # a job in flight
    finally:
        print("cleanup started")
        await asyncio.sleep(30)  # a cleanup that hangs
        print("cleanup done")

asyncio.run(main())
"""


def wait_for_line(process: subprocess.Popen[str], text: str) -> list[str]:
    seen = [process.stdout.readline()]
    while text not in seen[-1]:
        assert seen[-1], f"the process stopped early: {seen}"
        seen.append(process.stdout.readline())
    return seen


@posix_only
def test_asyncio_run_alone_a_second_ctrl_c_stops_a_hung_cleanup(recipe):
    process = start("-c", SLOW_CLEANUP)
    try:
        wait_for_line(process, "ready")
        process.send_signal(signal.SIGINT)  # 1st: cancels main(), its finally runs
        wait_for_line(process, "cleanup started")
        process.send_signal(signal.SIGINT)  # 2nd: KeyboardInterrupt, right there
        stdout, stderr = finish(process)
    finally:
        stop(process)
    assert "cleanup done" not in stdout  # the 30 s cleanup was cut short
    assert errors(stderr)[-1] == "KeyboardInterrupt"
    assert process.returncode == -signal.SIGINT


@posix_only
def test_with_the_recipes_handlers_a_second_ctrl_c_is_ignored(recipe):
    process = start(str(recipe.snippet), "serve")
    try:
        seen = wait_for_line(process, "accepted job-3")
        process.send_signal(signal.SIGINT)
        seen += wait_for_line(process, "SIGINT received")
        process.send_signal(signal.SIGINT)  # while the drain runs
        process.send_signal(signal.SIGINT)
        stdout, stderr = finish(process)
    finally:
        stop(process)
    lines = "".join([*seen, stdout]).splitlines()
    assert errors(stderr) == []  # no KeyboardInterrupt
    assert sum("received" in line for line in lines) == 1
    assert_nothing_lost(lines)  # the drain ran to the end: Ctrl-C cannot cut it short
    assert process.returncode == 130


BLOCKING = """
import asyncio
import signal
import sys
import time

async def main(seconds: float, handler: bool) -> None:
    stopping = asyncio.Event()
    if handler:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, stopping.set)
    print("ready", flush=True)
    time.sleep(seconds)  # blocking code: the event loop is stuck in here
    print("blocking call returned", flush=True)
    await stopping.wait()
    print("stopped by the handler")

asyncio.run(main(float(sys.argv[1]), sys.argv[2:] == ["handler"]))
"""


def press_ctrl_c_twice(process: subprocess.Popen[str]) -> float:
    """Two Ctrl-Cs, far enough apart not to merge into one signal: when sent."""
    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    return time.monotonic()


def press_ctrl_c_until_it_ends(process: subprocess.Popen[str]) -> int:
    """Ctrl-C every 0.3 s until the process ends: how many it took. (Two signals
    that arrive before the process runs again count as one: a loaded machine may
    merge the first two.)"""
    for presses in range(1, 20):
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            continue
        return presses
    raise AssertionError("19 Ctrl-Cs did not stop it")


@posix_only
def test_without_a_handler_a_second_ctrl_c_interrupts_blocking_code(recipe):
    process = start("-c", BLOCKING, "30")
    try:
        wait_for_line(process, "ready")
        presses = press_ctrl_c_until_it_ends(process)  # 2, unless two merged
        stdout, stderr = finish(process)
    finally:
        stop(process)
    # asyncio.run's handler: the 1st Ctrl-C cancels main(), which cannot notice
    # while it blocks; the 2nd raises KeyboardInterrupt inside time.sleep().
    assert presses >= 2
    assert stdout == ""  # long before the 30 s block would have returned
    assert 'File "<string>", line 13, in main' in stderr  # the time.sleep() line
    assert errors(stderr)[-1] == "KeyboardInterrupt"
    assert process.returncode == -signal.SIGINT


@posix_only
def test_with_a_handler_ctrl_c_waits_for_blocking_code_to_return(recipe):
    process = start("-c", BLOCKING, "3", "handler")
    try:
        wait_for_line(process, "ready")
        pressed = press_ctrl_c_twice(process)
        stdout, _ = finish(process)
        waited = time.monotonic() - pressed
    finally:
        stop(process)
    # Neither Ctrl-C got through while the loop was stuck: the handler ran once
    # the blocking call had returned.
    assert stdout == "blocking call returned\nstopped by the handler\n"
    assert waited > 0.5  # of the 3 s block, at most 0.3 s + start-up had passed
    assert process.returncode == 0


def run_in_a_bash_script(*args: str) -> tuple[str, int]:
    """Run `python args` from a bash script, press Ctrl-C (SIGINT to the whole
    process group, as a terminal does) once it is ready: the script's output and
    status."""
    script = f'{sys.executable} -X dev -W error "$@"; echo "script went on: $?"'
    process = subprocess.Popen(
        ["bash", "-c", script, "bash", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's job
    )
    try:
        seen = wait_for_line(process, "ready")
        if args[-1] == "serve":
            seen += wait_for_line(process, "accepted job-2")
        os.killpg(process.pid, signal.SIGINT)
        stdout, _ = finish(process)
    finally:
        stop(process)
    return "".join([*seen, stdout]), process.returncode


@posix_only
def test_after_exit_130_a_bash_script_goes_on_after_a_death_by_sigint_it_stops(
    recipe,
):
    # The recipe exits with status 130: bash sees that it handled Ctrl-C, and the
    # script goes on to its next command.
    output, status = run_in_a_bash_script(str(recipe.snippet), "serve")
    assert output.splitlines()[-2:] == ["exit status 130", "script went on: 130"]
    assert status == 0
    # Killed by SIGINT (asyncio.run's own handling: an uncaught KeyboardInterrupt
    # makes Python end by the signal), the script stops with it.
    output, status = run_in_a_bash_script("-c", NO_HANDLERS)
    assert "script went on" not in output
    assert status == -signal.SIGINT


# Ctrl-C during cleanup, and what the recipe leaves installed afterwards: run for real,
# in a subprocess whose main thread asyncio.run() owns, as in production.

SIGINT_DURING_CLEANUP = """
import asyncio
import os
import signal
import sys

sys.path.insert(0, os.getcwd())
from snippets.lifecycle import graceful_shutdown as recipe


class SlowCleanup(recipe.Service):
    async def cleanup(self) -> None:
        print("cleanup started", flush=True)
        await asyncio.sleep(1.0)  # Ctrl-C arrives in here
        await super().cleanup()


async def main() -> None:
    runners = signal.getsignal(signal.SIGINT)  # the handler asyncio.run() installed
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, os.kill, os.getpid(), signal.SIGTERM)
    service = SlowCleanup if sys.argv[1:] == ["slow"] else recipe.Service
    report = await service().run()
    print(f"cleaned up: {report.cleaned_up}")
    print(f"SIGINT handler restored: {signal.getsignal(signal.SIGINT) is runners}")
    print(f"asyncio.run's handler: {runners is not signal.default_int_handler}")


asyncio.run(main())
"""


@posix_only
def test_ctrl_c_during_cleanup_does_not_cut_it_short(recipe):
    process = start("-c", SIGINT_DURING_CLEANUP, "slow")
    try:
        seen = wait_for_line(process, "cleanup started")
        process.send_signal(signal.SIGINT)
        stdout, stderr = finish(process)
    finally:
        stop(process)
    lines = "".join([*seen, stdout]).splitlines()
    assert errors(stderr) == []  # no KeyboardInterrupt
    assert "cleaned up: True" in lines
    assert process.returncode == 0


@posix_only
def test_after_the_service_stops_sigint_has_asyncio_runs_handler_again(recipe):
    process = start("-c", SIGINT_DURING_CLEANUP)
    try:
        stdout, stderr = finish(process)
    finally:
        stop(process)
    assert errors(stderr) == []
    lines = stdout.splitlines()
    assert lines[-3:] == [
        "cleaned up: True",
        "SIGINT handler restored: True",
        "asyncio.run's handler: True",
    ]
