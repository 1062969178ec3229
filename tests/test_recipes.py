"""Every recipe, run two ways, must print exactly what its page shows.

1. In-process under virtual time (looptime): the output must equal the captured
   ``.out`` file byte for byte, and the recipe must leave no task behind.
   ``make outputs`` (``--update-outputs``) rewrites the ``.out`` files from this run.
   A page with ``timeline: true`` also gets this run's timeline, ``<slug>.svg``
   (tests/timeline.py), held to the same rule.
2. As a reader runs it, ``python -X dev -W error snippets/<topic>/<slug>.py``, on the
   real clock: same text, figures within a tolerance, nothing on stderr, no process
   left behind. The scripts run side by side (a dozen at a time), so the set costs
   about as long as the slowest recipe, not the sum.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import pytest

from tests.support import (
    EXACT,
    MASK,
    PADDED_DECIMAL,
    REAL_CLOCK,
    REAL_CLOCK_ATTEMPTS,
    ROOT,
    SLOW_STEP,
    Recipe,
    all_recipes,
    output_drift,
    run_main,
)
from tests.timeline import record_main, render

RECIPES = all_recipes()
SCRIPT_TIMEOUT = 120  # seconds; the slowest recipe sleeps for a few seconds
SCRIPT_CONCURRENCY = 12
STALL_RETRIES = 4  # lone re-runs of a run that failed on wall-clock time alone
STALL_PAUSE = 3.0  # seconds before each, for a stall of the machine to pass


def params(recipe: Recipe) -> object:
    marks = [
        pytest.mark.skipif(
            not recipe.runs_here,
            reason=f"{recipe.rel(recipe.page)} requires Python {recipe.requires}+",
        )
    ]
    if recipe.real_clock:
        # Real work (threads, processes, blocking calls) must see real time pass.
        marks.append(pytest.mark.looptime(False))
    return pytest.param(recipe, id=recipe.id, marks=marks)


def check_or_update(recipe: Recipe, output: str, update: bool) -> None:
    if update:
        recipe.store(output, ".out")
        return
    if not recipe.output.exists():
        pytest.fail(f"{recipe.rel(recipe.output)} is missing: run `make outputs`")
    expected = recipe.output.read_text(encoding="utf-8")
    drift = output_drift(expected, output, None if recipe.real_clock else EXACT)
    if drift:
        pytest.fail(
            f"{recipe.rel(recipe.snippet)} no longer prints what "
            f"{recipe.rel(recipe.output)} (shown on {recipe.rel(recipe.page)}) says."
            f" If the change is intended, run `make outputs`.\n{drift}",
            pytrace=False,
        )


def check_or_update_timeline(recipe: Recipe, svg: str, update: bool) -> None:
    if update:
        recipe.store(svg, ".svg")
        return
    name = recipe.rel(recipe.timeline)
    if not recipe.timeline.exists():
        pytest.fail(f"{name} is missing: run `make outputs`", pytrace=False)
    if recipe.timeline.read_text(encoding="utf-8") != svg:
        pytest.fail(
            f"{name} (the timeline on {recipe.rel(recipe.page)}) no longer matches a"
            f" run of {recipe.rel(recipe.snippet)}. If the change is intended, run"
            " `make outputs`.",
            pytrace=False,
        )


@pytest.mark.captures
@pytest.mark.parametrize("recipe", [params(r) for r in RECIPES])
async def test_output_matches_page(recipe: Recipe, request: pytest.FixtureRequest):
    update = request.config.getoption("--update-outputs")
    # A real-clock page prints what it measured (a slow step, a heartbeat), which a
    # stall of the machine can change: such a page gets up to three runs to print its
    # text. A virtual-time page gets one, and must match exactly.
    retry = recipe.real_clock and not update and recipe.output.exists()
    expected = recipe.output.read_text(encoding="utf-8") if retry else ""
    for _ in range(REAL_CLOCK_ATTEMPTS if retry else 1):
        if recipe.wants_timeline:
            run, recording = await record_main(recipe)
        else:
            run = await run_main(recipe)
        leaked = asyncio.all_tasks() - {asyncio.current_task()}
        assert not leaked, f"{recipe.rel(recipe.snippet)} left tasks running: {leaked}"
        if not retry or output_drift(expected, run.output, None) is None:
            break
    check_or_update(recipe, run.output, update)
    if recipe.wants_timeline:
        ident = f"{recipe.topic}-{recipe.slug}"
        check_or_update_timeline(recipe, render(recording, ident), update)


@dataclass
class ScriptRun:
    returncode: int
    stdout: str
    stderr: str
    leftovers: bool  # processes of the script's group still alive after it exited


def run_script(recipe: Recipe) -> ScriptRun:
    """Run a recipe as a reader would, in its own process group, so that any process
    it leaves behind (a pool worker, a server) is found and killed."""
    process = subprocess.Popen(
        [sys.executable, "-X", "dev", "-W", "error", str(recipe.snippet)],
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=SCRIPT_TIMEOUT)
    except subprocess.TimeoutExpired:
        # A leftover child holding stdout open also lands here.
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        stderr += f"\n(killed after {SCRIPT_TIMEOUT} s)"
    leftovers = still_running(process.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    return ScriptRun(process.returncode, stdout, stderr, leftovers)


def still_running(group: int, grace: float = 1.0) -> bool:
    """Whether a process of the group still runs, a moment after the script's output
    closed. A zombie does not: it has exited, and waits for its parent to collect
    its status. A process pool's forkserver and resource tracker exit just after the
    program (each watches a pipe from it), so they end as orphans, which init may
    take a second or two to collect: they are gone, not left behind. A process that
    has closed its output may still be exiting, so it gets `grace` seconds to end."""
    deadline = time.monotonic() + grace
    while running_in_group(group):
        if time.monotonic() > deadline:
            return True
        time.sleep(0.02)
    return False


def running_in_group(group: int) -> bool:
    listing = subprocess.run(
        ["ps", "-A", "-o", "pgid=,stat="],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = (line.split() for line in listing.splitlines())
    return any(int(pgid) == group and not stat.startswith("Z") for pgid, stat in rows)


def selected_scripts(session: pytest.Session) -> list[Recipe]:
    """The recipes whose script test this session runs (so `-k` starts only those)."""
    return [
        item.callspec.params["recipe"]
        for item in session.items
        if isinstance(item, pytest.Function)
        and item.originalname == "test_runs_as_a_script"
        and item.callspec.params["recipe"].runs_here
    ]


@pytest.fixture(scope="module")
def scripts(request: pytest.FixtureRequest) -> Iterator[dict[str, Future[ScriptRun]]]:
    """The selected recipes, run as real scripts side by side. Most of a recipe's time
    is spent waiting, so the set takes about as long as the slowest one; the bound
    keeps a 2-core machine from drowning in interpreter start-ups."""
    with ThreadPoolExecutor(max_workers=SCRIPT_CONCURRENCY) as pool:
        yield {
            r.id: pool.submit(run_script, r) for r in selected_scripts(request.session)
        }
        pool.shutdown(cancel_futures=True)


def only_slow_step_warnings(stderr: str) -> bool:
    """asyncio debug mode logs any step slower than 0.1 s of wall time."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return bool(lines) and all(SLOW_STEP.match(line) for line in lines)


def lines_without_figures(text: str) -> list[str]:
    return sorted(PADDED_DECIMAL.sub(MASK, text).splitlines())


def only_late(recipe: Recipe, run: ScriptRun) -> bool:
    """The run printed the page's lines and only their timings drifted, or their order
    among events that a late clock brought together (seen on CI: the debounce and
    throttle recipe printed its 2.50 s and 2.70 s lines both at 3.10 s, the other way
    round). A real-clock page's timings are not compared at all."""
    if recipe.real_clock or run.stderr != "":
        return False
    expected = recipe.output.read_text(encoding="utf-8")
    return lines_without_figures(expected) == lines_without_figures(run.stdout) and (
        output_drift(expected, run.stdout, REAL_CLOCK) is not None
    )


def stalled(recipe: Recipe, run: ScriptRun) -> bool:
    """A run that failed on wall-clock time alone: slow-step warnings, or the page's
    output with its timings late. On a shared machine a stall makes every step slow
    for a while (seen on CI: 0.1-0.25 s steps in four unrelated recipes, and a 5 s
    run 1 s late), so such a run is repeated alone, after a pause, before it counts."""
    if run.returncode != 0 or run.leftovers:
        return False
    return only_slow_step_warnings(run.stderr) or only_late(recipe, run)


@pytest.mark.parametrize("recipe", [params(r) for r in RECIPES])
def test_runs_as_a_script(recipe: Recipe, scripts: dict[str, Future[ScriptRun]]):
    run = scripts[recipe.id].result()
    for _ in range(STALL_RETRIES):
        if not stalled(recipe, run):
            break
        # Run it again once the other scripts are done, so it has the machine alone.
        wait(scripts.values())
        time.sleep(STALL_PAUSE)
        run = run_script(recipe)
    name = recipe.rel(recipe.snippet)
    assert run.returncode == 0, f"{name} exited {run.returncode}:\n{run.stderr}"
    assert run.stderr == "", (
        f"{name} wrote to stderr under -X dev -W error:\n{run.stderr}"
    )
    assert not run.leftovers, f"{name} left child processes running after it exited"
    expected = recipe.output.read_text(encoding="utf-8")
    drift = output_drift(
        expected, run.stdout, None if recipe.real_clock else REAL_CLOCK
    )
    assert drift is None, f"{name} run as a script drifted from the page:\n{drift}"
