"""Every recipe, run two ways, must print exactly what its page shows.

1. In-process under virtual time (looptime): the output must equal the captured
   ``.out`` file byte for byte, and the recipe must leave no task behind.
   ``make outputs`` (``--update-outputs``) rewrites the ``.out`` files from this run.
2. As a reader runs it, ``python -X dev -W error snippets/<topic>/<slug>.py``, on the
   real clock: same text, figures within a tolerance, nothing on stderr. All scripts
   start at once, so the set costs about as long as the slowest recipe.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.support import (
    EXACT,
    REAL_CLOCK,
    ROOT,
    Recipe,
    all_recipes,
    output_drift,
    run_main,
)

RECIPES = all_recipes()
SCRIPT_TIMEOUT = 120  # seconds; the slowest recipe sleeps for a few seconds


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
        recipe.output.write_text(output, encoding="utf-8")
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


@pytest.mark.parametrize("recipe", [params(r) for r in RECIPES])
async def test_output_matches_page(recipe: Recipe, request: pytest.FixtureRequest):
    run = await run_main(recipe)
    leaked = asyncio.all_tasks() - {asyncio.current_task()}
    assert not leaked, f"{recipe.rel(recipe.snippet)} left tasks running: {leaked}"
    check_or_update(recipe, run.output, request.config.getoption("--update-outputs"))


def start_script(recipe: Recipe) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [sys.executable, "-X", "dev", "-W", "error", str(recipe.snippet)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def scripts() -> Iterator[dict[str, subprocess.Popen[str]]]:
    """Every recipe that runs on this Python, started at once as a real script."""
    started = {r.id: start_script(r) for r in RECIPES if r.runs_here}
    yield started
    for process in started.values():
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.parametrize("recipe", [params(r) for r in RECIPES])
def test_runs_as_a_script(recipe: Recipe, scripts: dict[str, subprocess.Popen[str]]):
    process = scripts[recipe.id]
    stdout, stderr = process.communicate(timeout=SCRIPT_TIMEOUT)
    name = recipe.rel(recipe.snippet)
    assert process.returncode == 0, f"{name} exited {process.returncode}:\n{stderr}"
    assert stderr == "", f"{name} wrote to stderr under -X dev -W error:\n{stderr}"
    expected = recipe.output.read_text(encoding="utf-8")
    drift = output_drift(expected, stdout, None if recipe.real_clock else REAL_CLOCK)
    assert drift is None, f"{name} run as a script drifted from the page:\n{drift}"
