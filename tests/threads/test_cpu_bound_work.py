"""Claims of docs/threads/cpu-bound-work.md (real clock: ratios, generous margins)."""

import asyncio
import contextlib
import itertools
import json
import os
import pickle
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.support import (
    Run,
    load_module,
    run_main,
    speedups_on_free_cores,
    within_bound,
    within_bound_sync,
)

pytestmark = pytest.mark.looptime(False)  # processes and CPU work take real time

FORKSERVER_DEFAULT = sys.version_info >= (3, 14)  # on Linux (What's New in 3.14)
linux_only = pytest.mark.skipif(
    sys.platform != "linux",
    reason="the default start method named here is Linux's (macOS and Windows spawn)",
)

_RUNS: dict[str, Run] = {}


async def measured(recipe, again: bool = False) -> Run:
    """One real run of the recipe, shared by the tests here; `again` measures anew
    (after a stall of the machine missed an upper bound)."""
    if again or recipe.id not in _RUNS:
        _RUNS[recipe.id] = await run_main(recipe)
    return _RUNS[recipe.id]


async def test_the_jobs_return_their_results(recipe):
    run = await measured(recipe)
    assert run.result["results"] == [7837, 7837]  # primes below 80 000


async def test_prints_the_start_the_jobs_the_heartbeat_and_the_comparison(recipe):
    run = await measured(recipe)
    lines = run.output.splitlines()
    assert lines[0].startswith("started 2 worker processes, in a thread: ")
    assert lines[1].endswith("results [7837, 7837]")
    assert lines[2].startswith("heartbeat kept ticking: longest gap between ticks ")
    assert lines[3].startswith("the same jobs one after another: ")


async def test_the_heartbeat_keeps_ticking_while_the_pool_starts_works_and_stops(
    recipe,
):
    calls = 0

    async def measure() -> Run:
        nonlocal calls
        calls += 1
        return await measured(recipe, again=calls > 1)

    # The heartbeat sleeps 0.05 s; it runs from before the pool starts until after
    # its workers have exited. A stall of the loop would show as a longer gap.
    run = await within_bound(measure, lambda r: r.result["longest gap"] < 0.2)
    assert run.result["ticks"] >= 3
    assert run.result["longest gap"] < 0.2, run.result


async def test_cpu_work_on_the_loop_stops_the_heartbeat(recipe):
    module = load_module(recipe)
    ticks: list[float] = []
    beat = asyncio.create_task(module.heartbeat(ticks))
    await asyncio.sleep(0)  # first tick
    before = len(ticks)
    module.count_primes(module.LIMIT)  # no await: the loop cannot run the heartbeat
    assert len(ticks) == before
    beat.cancel()
    await asyncio.wait([beat])


async def test_a_workers_exception_is_raised_where_you_await(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with module.process_pool(1) as pool:
        with pytest.raises(TypeError):
            await loop.run_in_executor(pool, module.count_primes, "many")


async def test_a_lambda_cannot_be_sent_to_a_process(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    if sys.version_info >= (3, 14):  # pickle's errors were unified in 3.14
        error, message = pickle.PicklingError, r"Can't pickle local object <function"
    else:  # the wording changed in a 3.12 patch release: accept both
        error, message = AttributeError, r"Can't (pickle|get) local object '"
    async with module.process_pool(1) as pool:
        with pytest.raises(error, match=message + r".*<lambda>"):
            await loop.run_in_executor(pool, lambda: 1)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs 2 cores")
async def test_two_processes_finish_faster_than_one_after_another(recipe):
    async def speedup() -> float:
        run = await run_main(recipe)
        return run.result["one by one"] / run.result["in processes"]

    speedups = await speedups_on_free_cores(speedup)
    assert max(speedups) > 1.3, speedups  # ideally 2x on 2 free cores


# --- Starting a pool: what it costs the event loop, on each version ---------------

# A program of its own (the first pool of a program is the one that pays for the
# forkserver's start), started afresh for each measurement. "loop": a pool with the
# default start method, started the simple way, inside a coroutine; "recipe": the
# recipe's process_pool(). It prints the default start method, how long submitting
# the first jobs held the loop, and the longest gap of a 5 ms heartbeat.
PROBE = """
import asyncio, importlib, itertools, json, multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor


async def heartbeat(ticks):
    loop = asyncio.get_running_loop()
    try:
        while True:
            ticks.append(loop.time())
            await asyncio.sleep(0.005)
    finally:
        ticks.append(loop.time())


async def main(way, recipe_path):
    loop = asyncio.get_running_loop()
    ticks = []
    beat = asyncio.create_task(heartbeat(ticks))
    await asyncio.sleep(0.02)
    figures = {"default": multiprocessing.get_start_method()}
    if way == "loop":
        pool = ProcessPoolExecutor(max_workers=2)
        start = time.perf_counter()
        answers = [loop.run_in_executor(pool, os.getppid) for _ in range(2)]
        figures["blocked"] = time.perf_counter() - start
        figures["forked by this program"] = os.getpid() in await asyncio.gather(*answers)
        await asyncio.to_thread(pool.shutdown)
    else:
        # Importable by name, so that the workers can unpickle its functions.
        folder, name = os.path.split(recipe_path)
        sys.path.insert(0, folder)
        recipe = importlib.import_module(name.removesuffix(".py"))
        async with recipe.process_pool(2) as pool:
            parent = await loop.run_in_executor(pool, os.getppid)
            figures["forked by this program"] = parent == os.getpid()
    beat.cancel()
    await asyncio.wait([beat])
    figures["gap"] = max(b - a for a, b in itertools.pairwise(ticks))
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
"""


def probe(tmp_path: Path, way: str, recipe) -> dict[str, object]:
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), way, str(recipe.snippet)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stderr == ""
    return json.loads(done.stdout)


def interpreter_start() -> float:
    """The fastest of three starts of a bare interpreter (`python -c pass`)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return min(times)


@linux_only
def test_the_default_start_method_is_fork_until_313_and_forkserver_from_314(
    recipe, tmp_path
):
    figures = probe(tmp_path, "loop", recipe)
    if FORKSERVER_DEFAULT:
        assert figures["default"] == "forkserver"
        assert not figures["forked by this program"]  # the forkserver forks them
    else:
        assert figures["default"] == "fork"
        assert figures["forked by this program"]


@linux_only
def test_starting_a_pool_on_the_loop_costs_a_fork_or_an_interpreter_start(
    recipe, tmp_path
):
    if FORKSERVER_DEFAULT:
        # The first jobs wait, on the loop, until the forkserver (a new interpreter
        # that imports the program's main module) is up. A stall only adds time.
        bare = interpreter_start()
        figures = probe(tmp_path, "loop", recipe)
        assert figures["blocked"] > bare, (figures, bare)
    else:
        # fork() copies the running program: milliseconds, well under the 0.1 s
        # after which asyncio's debug mode reports a slow step.
        figures = within_bound_sync(
            lambda: probe(tmp_path, "loop", recipe), lambda f: f["blocked"] < 0.1
        )
        assert figures["blocked"] < 0.1, figures


def test_the_recipe_pool_never_forks_the_program_and_keeps_the_loop_free(
    recipe, tmp_path
):
    figures = within_bound_sync(
        lambda: probe(tmp_path, "recipe", recipe), lambda f: f["gap"] < 0.1
    )
    assert not figures["forked by this program"]  # forkserver on every version
    # The 5 ms heartbeat never waited as long as asyncio's slow-step threshold.
    assert figures["gap"] < 0.1, figures


# --- Shutting a pool down: what it costs the event loop -----------------------------


async def longest_gap_during(work) -> tuple[float, float]:
    """The longest gap of a 5 ms heartbeat while `work` is awaited, and how long
    `work` took."""
    loop = asyncio.get_running_loop()
    ticks: list[float] = []

    async def heartbeat() -> None:
        try:
            while True:
                ticks.append(loop.time())
                await asyncio.sleep(0.005)
        finally:
            ticks.append(loop.time())  # a stall just before the end shows too

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.02)
    start = loop.time()
    try:
        await work
    finally:
        took = loop.time() - start
        beat.cancel()
        await asyncio.wait([beat])
    return max(b - a for a, b in itertools.pairwise(ticks)), took


JOB = 0.6  # seconds a worker sleeps: a job still running when its await is cancelled


async def test_leaving_a_with_block_in_a_coroutine_blocks_the_loop_until_jobs_end():
    loop = asyncio.get_running_loop()

    async def timed_out_inside_with() -> None:
        with ProcessPoolExecutor(max_workers=1) as pool:
            await loop.run_in_executor(pool, os.getpid)  # the worker is running
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.1):
                    await loop.run_in_executor(pool, time.sleep, JOB)
        # Leaving the block called pool.shutdown(wait=True), on the loop.

    gap, took = await longest_gap_during(timed_out_inside_with())
    # The timeout fired after 0.1 s, but the worker slept on, and the loop with it.
    assert took >= JOB
    assert gap >= JOB - 0.2, (gap, took)


async def test_the_recipe_pool_waits_for_its_workers_in_a_thread(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()

    async def timed_out_inside_process_pool() -> None:
        with contextlib.suppress(TimeoutError):
            async with module.process_pool(1) as pool, asyncio.timeout(0.1):
                await loop.run_in_executor(pool, time.sleep, JOB)

    async def measure() -> tuple[float, float]:
        return await longest_gap_during(timed_out_inside_process_pool())

    gap, took = await within_bound(measure, lambda r: r[0] < 0.1)
    # Cancelling the await does not stop the job: the pool still waits for it to
    # end before its workers exit, but the loop runs meanwhile.
    assert took >= JOB
    assert gap < 0.1, (gap, took)


async def test_shutdown_cancels_the_jobs_no_worker_has_taken(recipe):
    module = load_module(recipe)
    async with module.process_pool(1) as pool:
        jobs = [pool.submit(time.sleep, 0.3) for _ in range(4)]
        await asyncio.sleep(0.1)  # the one worker is busy with the first job
    # Leaving the block shut the pool down with cancel_futures=True.
    assert jobs[0].done()
    assert not jobs[0].cancelled()  # it was running: it finished
    assert jobs[-1].cancelled()  # it was still waiting in the pool: it never ran


# --- The main-module guard -----------------------------------------------------

NO_GUARD = """
import asyncio, multiprocessing, os, sys
from concurrent.futures import ProcessPoolExecutor


async def main(method):
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        print(await loop.run_in_executor(pool, os.getpid) != os.getpid())


asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else None))  # no __main__ guard
"""


def run_without_guard(tmp_path: Path, *method: str) -> subprocess.CompletedProcess:
    script = tmp_path / "no_guard.py"
    script.write_text(NO_GUARD, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), *method],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_forkserver_pool_needs_the_main_guard_on_every_version(recipe, tmp_path):
    # The forkserver imports the main module: without the guard, that import runs
    # the program again, and its pool refuses to start a process from there.
    done = run_without_guard(tmp_path, "forkserver")
    assert done.returncode != 0, done
    assert "An attempt has been made to start a new process" in done.stderr
    assert "bootstrapping phase" in done.stderr


@linux_only
def test_a_default_pool_needs_the_main_guard_from_314(recipe, tmp_path):
    done = run_without_guard(tmp_path)
    if FORKSERVER_DEFAULT:
        assert done.returncode != 0, done
        assert "bootstrapping phase" in done.stderr
    else:  # fork copies the running program: nothing is imported again
        assert done.returncode == 0, done.stderr
        assert done.stdout == "True\n"
