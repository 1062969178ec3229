"""Claims of docs/lifecycle/graceful-shutdown.md.

The exit statuses are checked on the real thing: the recipe runs as a subprocess
(`python -X dev -W error graceful_shutdown.py serve`) and the test signals it."""

import asyncio
import os
import re
import signal
import subprocess
import sys

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
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
        process.wait()
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


async def test_signal_handlers_are_removed_after_shutdown(recipe):
    await run_main(recipe)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


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
