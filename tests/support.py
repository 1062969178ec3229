"""What the tests know about the site: where each recipe's four files live, how to run
a recipe in-process, and how to compare what it printed with its captured output.

A recipe is identified by ``<topic>/<snake_slug>`` and owns four mirrored files:

    docs/<topic>/<kebab-slug>.md        the question page
    snippets/<topic>/<snake_slug>.py    the runnable script the page embeds
    snippets/<topic>/<snake_slug>.out   its captured output, embedded under "Output"
    tests/<topic>/test_<snake_slug>.py  the claims the page makes, asserted

and, when its page says ``timeline: true``, ``snippets/<topic>/<snake_slug>.svg``: the
timeline of its tasks, generated with its output (tests/timeline.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import importlib.util
import io
import logging
import re
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
TESTS = ROOT / "tests"


def import_path(name: str, path: Path) -> ModuleType:
    """Import the file at ``path`` as module ``name``, registered in ``sys.modules``
    (so that a process pool can pickle the functions it defines)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# The mkdocs hook, so that tests apply the very rules the build applies. mkdocs runs
# it with its folder on sys.path (it imports charts.py from there); so do the tests.
HOOKS = ROOT / "overrides" / "hooks"
sys.path.insert(0, str(HOOKS))
try:
    HOOK = import_path("recipes_hook", HOOKS / "recipes.py")
finally:
    sys.path.remove(str(HOOKS))
SUPPORTED: tuple[str, ...] = HOOK.SUPPORTED


def version_tuple(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


RUNNING = f"{sys.version_info[0]}.{sys.version_info[1]}"


def read_page(path: Path) -> tuple[str, dict[str, Any]]:
    """A page's body and front matter, parsed the way mkdocs parses them."""
    return get_data(path.read_text(encoding="utf-8"))


@dataclass(frozen=True, order=True)
class Recipe:
    topic: str
    slug: str  # snake_case, as in the snippet's file name
    root: Path = field(default=ROOT, compare=False)  # another tree in guard tests

    @property
    def id(self) -> str:
        return f"{self.topic}/{self.slug}"

    @property
    def page(self) -> Path:
        return self.root / "docs" / self.topic / f"{self.slug.replace('_', '-')}.md"

    @property
    def snippet(self) -> Path:
        return self.root / "snippets" / self.topic / f"{self.slug}.py"

    @property
    def base_output(self) -> Path:
        """What the recipe prints on the oldest Python its page covers."""
        return self.root / "snippets" / self.topic / f"{self.slug}.out"

    def variants(self, suffix: str = ".out") -> dict[str, Path]:
        """The recipe's captured files of one kind by the version they hold from:
        ``<slug>.out`` from the page's oldest Python on, ``<slug>.3.14.out`` from 3.14
        on, where that version prints something else (``make outputs-all`` writes
        them). Every version up to the next variant prints what its variant holds."""
        folder = self.root / "snippets" / self.topic
        return HOOK.variant_files(folder, self.slug, suffix, self.requires)

    def output_for(self, version: str, suffix: str = ".out") -> Path:
        """The captured file that holds what ``version`` prints."""
        variants = self.variants(suffix)
        held = [
            path
            for since, path in variants.items()
            if version_tuple(since) <= version_tuple(version)
        ]
        return held[-1] if held else next(iter(variants.values()))

    def prints_the_same(self, captured: Path, text: str) -> bool:
        """A real-clock page's figures change from run to run: only its words count."""
        expected = captured.read_text("utf-8")
        if self.real_clock and captured.suffix == ".out":
            return output_drift(expected, text, None) is None
        return expected == text

    def store(self, text: str, suffix: str = ".out") -> Path | None:
        """Keep what this Python printed (``make outputs``): in the oldest version's
        file on that version; on a newer one, in its own ``<slug>.X.Y<suffix>`` only
        where it differs from what the versions before it print (a file no longer
        needed is removed). Run oldest first: ``make outputs-all``. Returns the file
        written, or None."""
        variants = self.variants(suffix)
        own = self.root / "snippets" / self.topic / f"{self.slug}.{RUNNING}{suffix}"
        oldest = next(iter(variants))
        if oldest == RUNNING:
            path = variants[oldest]
            path.write_text(text, encoding="utf-8")
            return path
        earlier = [
            path
            for since, path in variants.items()
            if version_tuple(since) < version_tuple(RUNNING)
        ]
        if earlier and earlier[-1].exists() and self.prints_the_same(earlier[-1], text):
            own.unlink(missing_ok=True)
            return None
        own.write_text(text, encoding="utf-8")
        return own

    @property
    def output(self) -> Path:
        """The captured output this Python must print."""
        return self.output_for(RUNNING)

    @property
    def test(self) -> Path:
        return self.root / "tests" / self.topic / f"test_{self.slug}.py"

    @property
    def timeline(self) -> Path:
        """The SVG timeline of its run on this Python, for a page with `timeline:
        true` (versioned like the output: ``<slug>.svg``, ``<slug>.3.14.svg``)."""
        return self.output_for(RUNNING, ".svg")

    @cached_property
    def meta(self) -> dict[str, Any]:
        return read_page(self.page)[1] if self.page.exists() else {}

    @property
    def requires(self) -> str:
        return str(self.meta.get("requires", SUPPORTED[0]))

    @property
    def runs_here(self) -> bool:
        return sys.version_info[:2] >= version_tuple(self.requires)

    @property
    def real_clock(self) -> bool:
        """`clock: real` pages measure real work (CPU, blocking calls): their printed
        figures vary from run to run, so outputs are compared with figures masked and
        the page's claims about them are asserted as ratios by its own test."""
        return self.meta.get("clock", "virtual") == "real"

    @property
    def wants_timeline(self) -> bool:
        """`timeline: true` pages show their run's tasks as a picture under the output."""
        return self.meta.get("timeline") is True

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @classmethod
    def from_path(cls, path: Path, root: Path = ROOT) -> Recipe:
        """The recipe a page, snippet, output or test file belongs to."""
        topic = path.parent.name
        # The first dot ends the slug: "gather.3.14.out" belongs to gather.py.
        stem = path.name.split(".")[0].removeprefix("test_").replace("-", "_")
        return cls(topic, stem, root)


def all_recipes(root: Path = ROOT) -> list[Recipe]:
    return sorted(Recipe.from_path(p, root) for p in (root / "snippets").glob("*/*.py"))


def load_module(recipe: Recipe) -> ModuleType:
    """Import a recipe afresh, without running its ``__main__`` block, as module
    ``snippets.<topic>.<slug>``: the name its file has from the project root (on
    ``sys.path``; ``snippets`` is a namespace package), so that the worker processes
    of a process pool can import it too. Workers that are not forked from the test
    process (forkserver, the default on Linux from Python 3.14, and spawn) import
    the module of each function they are sent; under a made-up name they could not."""
    return import_path(f"snippets.{recipe.topic}.{recipe.slug}", recipe.snippet)


@dataclass
class Run:
    result: Any
    output: str
    elapsed: float  # loop time: exact seconds under virtual time


async def timed(
    make: Callable[[], Awaitable[Any]], buffer: io.StringIO | None = None
) -> Run:
    """Await ``make()`` with stdout captured (into ``buffer`` when given), timing it on
    the running loop's clock."""
    loop = asyncio.get_running_loop()
    buffer = io.StringIO() if buffer is None else buffer
    start = loop.time()
    with contextlib.redirect_stdout(buffer):
        result = await make()
    return Run(result, buffer.getvalue(), loop.time() - start)


async def run_main(recipe: Recipe, *args: Any, **kwargs: Any) -> Run:
    module = load_module(recipe)
    return await timed(lambda: module.main(*args, **kwargs))


# Figures with a decimal point are measurements; integers (counts, ids) are exact.
DECIMAL = re.compile(r"-?\d+\.\d+")
# Masking takes the padding before a figure too: "{x:6.2f}" is " 9.99" or "10.01".
PADDED_DECIMAL = re.compile(r" *-?\d+\.\d+")
MASK = "<n>"


@dataclass(frozen=True)
class Tolerance:
    """How far a printed figure may be from the captured one."""

    absolute: float
    relative: float

    def allows(self, expected: float, actual: float) -> bool:
        return abs(actual - expected) <= self.absolute + self.relative * abs(expected)


EXACT = Tolerance(0.0, 0.0)
# A real-clock run of a virtual-time recipe: sleeps overrun by milliseconds, more on a
# loaded machine, so "2.00 s" may print as 2.01 or 2.3: generous, yet far from the
# 3.50 s that a sequential run of the same recipe would print.
REAL_CLOCK = Tolerance(0.5, 0.1)


def output_drift(expected: str, actual: str, tolerance: Tolerance | None) -> str | None:
    """None when ``actual`` matches ``expected``, else a diff saying how it drifted.

    Text must match exactly. Decimal figures must match within ``tolerance``;
    ``None`` masks them entirely (real-clock measurements)."""
    if tolerance == EXACT:
        same = expected == actual
    else:
        same = PADDED_DECIMAL.sub(MASK, expected) == PADDED_DECIMAL.sub(MASK, actual)
        if same and tolerance is not None:
            pairs = zip(DECIMAL.findall(expected), DECIMAL.findall(actual), strict=True)
            same = all(tolerance.allows(float(e), float(a)) for e, a in pairs)
    if same:
        return None
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        "captured (on the page)",
        "this run",
    )
    return "".join(diff) or f"expected {expected!r}, got {actual!r}"


T = TypeVar("T")
REAL_CLOCK_ATTEMPTS = 3


async def within_bound(
    measure: Callable[[], Awaitable[T]], met: Callable[[T], bool]
) -> T:
    """A real-clock measurement checked against an upper bound, taken again (up to
    three times in all) while the bound is missed. A stall of the shared machine only
    ever adds time (seen on CI: 1.2 s in a 1 s test), so one run within the bound
    shows the behaviour, and three runs outside it are a failure. Lower bounds need no
    retry: assert them on the result as usual."""
    for _ in range(REAL_CLOCK_ATTEMPTS):
        result = await measure()
        if met(result):
            break
    return result


def within_bound_sync(measure: Callable[[], T], met: Callable[[T], bool]) -> T:
    """within_bound() for a test that cannot await (it runs its own event loop)."""
    for _ in range(REAL_CLOCK_ATTEMPTS):
        result = measure()
        if met(result):
            break
    return result


# What asyncio's debug mode logs for a step of a task or callback slower than
# loop.slow_callback_duration (0.1 s by default; -X dev turns debug mode on).
SLOW_STEP = re.compile(
    r"^Executing <(?P<what>.*)> took (?P<seconds>\d+\.\d+) seconds$", re.DOTALL
)


def slow_step_seconds(message: str, task_name: str | None = None) -> float | None:
    """The seconds in asyncio's debug-mode warning "Executing <Task ...> took N
    seconds", or None for any other message (or another task's). Assert a lower bound
    on it, never its leading digits: a stall of the machine only adds time (CI once
    printed "took 0.227 seconds" for a 0.15 s step)."""
    match = SLOW_STEP.match(message)
    if match is None or not match["what"].startswith("Task "):
        return None
    if task_name and f"name='{task_name}'" not in message:
        return None
    return float(match["seconds"])


def free_cores(seconds: float = 0.3) -> float:
    """How many cores two CPU-bound processes get right now: about 2.0 on an idle
    2-core machine, less while other work holds a core. A speed-up test needs this
    before its figure means anything."""
    spin = f"import time\nend = time.process_time() + {seconds}\n"
    spin += "while time.process_time() < end: pass"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(2)]
    for process in processes:
        process.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return cpu / wall


@contextlib.contextmanager
def asyncio_log() -> Iterator[io.StringIO]:
    """What the default exception handler writes to the 'asyncio' logger."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logger = logging.getLogger("asyncio")
    logger.addHandler(handler)
    try:
        yield buffer
    finally:
        logger.removeHandler(handler)


def check_or_store(recipe: Recipe, config: Any, suffix: str, text: str) -> None:
    """A page's captured text beyond its output (a tool's view of the running
    recipe, say ``<slug>.ps.out``): compared with this run, or stored by
    ``--update-outputs`` per Python version like the output (``make outputs``
    runs every test marked ``captures``)."""
    if config.getoption("--update-outputs"):
        recipe.store(text, suffix)
        return
    captured = recipe.output_for(RUNNING, suffix)
    assert captured.read_text(encoding="utf-8") == text, (
        f"{recipe.rel(captured)} (on {recipe.rel(recipe.page)}) no longer matches;"
        " if the change is intended, run `make outputs`"
    )


async def speedups_on_free_cores(
    measure: Callable[[], Awaitable[float]],
) -> list[float]:
    """Speed-ups of 2 processes over one by one, each measured while two cores were
    free just before and just after (the machine is shared: other work taking a
    core meanwhile would measure that work, not the pool). Up to three, stopping at
    the first over 1.3: three under it are a failure. Skips, saying so, when the
    machine stays too busy to take three."""
    speedups: list[float] = []
    busy: list[float] = []
    while len(speedups) < 3 and len(busy) < 6:
        before = free_cores()
        if before < 1.6:
            busy.append(before)
            continue
        speedup = await measure()
        after = free_cores()
        if after < 1.6:
            busy.append(after)
            continue
        speedups.append(speedup)
        if speedup > 1.3:
            break
    if len(speedups) < 3 and not any(speedup > 1.3 for speedup in speedups):
        taken = f"; the {len(speedups)} taken: {speedups}" if speedups else ""
        pytest.skip(
            "2 cores were free too rarely to measure a 2-process speed-up three"
            f" times (other work held a core: {max(busy):.1f} free at most{taken})"
        )
    return speedups
