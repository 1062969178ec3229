"""Claims of docs/messages/broken-process-pool.md (real process pools).

What the recipe prints differs by version: the pickling messages changed in a 3.12
patch release (3.12.5, "Can't get local object") and in 3.14 (gh-122311: a
PicklingError with notes), and 3.15 names the exit code of the worker that died
(gh-139462). Where a patch release changed a message, both forms are accepted.
What a reader's own session does (the REPL, a module loaded by path, fork) is
checked in a fresh interpreter.
"""

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import Recipe, load_module, run_main

pytestmark = pytest.mark.looptime(False)  # processes take real time

RECIPE = Recipe.from_path(Path(__file__))
FORKSERVER_DEFAULT = sys.version_info >= (3, 14)  # on Linux (What's New in 3.14)
ON_LINUX = pytest.mark.skipif(
    sys.platform != "linux",
    reason="the default start method named here is Linux's (macOS and Windows spawn)",
)

BROKEN = (
    "concurrent.futures.process.BrokenProcessPool: A process in the process pool"
    " was terminated abruptly while the future was running or pending."
)
UNUSABLE = (
    "concurrent.futures.process.BrokenProcessPool: A child process terminated"
    " abruptly, the process pool is not usable anymore"
)
NOTES = (
    "when serializing dict item 'fn'\n"
    "when serializing concurrent.futures.process._CallItem state\n"
    "when serializing concurrent.futures.process._CallItem object"
)

_FOUND: dict[str, dict[str, str]] = {}


async def found(recipe: Recipe) -> dict[str, str]:
    """What the recipe found, from one run shared by the tests here."""
    if not _FOUND:
        _FOUND.update((await run_main(recipe)).result)
    return _FOUND


def local_object(qualname: str) -> str:
    """The message for pickling a local function, on this version."""
    if sys.version_info >= (3, 14):  # gh-122311: PicklingError, with notes
        return (
            f"_pickle.PicklingError: Can't pickle local object <function"
            f" {re.escape(qualname)} at 0x…>\n{NOTES}"
        )
    # "Can't get" from 3.12.5 (and 3.13), "Can't pickle" before: accept both.
    return rf"AttributeError: Can't (pickle|get) local object '{re.escape(qualname)}'"


async def test_a_worker_that_exits_breaks_the_pool(recipe):
    outcome = await found(recipe)
    printed = outcome["a worker ends itself with os._exit(1)"]
    if sys.version_info >= (3, 15):  # gh-139462: the cause names the exit code
        assert printed == (
            f"{BROKEN}\ncaused by: Process <pid> terminated abruptly with exit code 1"
        )
    else:
        assert printed == BROKEN


async def test_a_broken_pool_refuses_every_later_job(recipe):
    outcome = await found(recipe)
    assert outcome["the next job, on the same pool"] == UNUSABLE


async def test_a_killed_worker_breaks_the_pool_too(recipe):
    outcome = await found(recipe)
    printed = outcome["a worker killed with SIGKILL"]
    if sys.version_info >= (3, 15):
        assert printed == (
            f"{BROKEN}\ncaused by: Process <pid> terminated abruptly with exit code -9"
        )
    else:
        assert printed == BROKEN


async def test_a_lambda_or_a_nested_function_cannot_be_pickled(recipe):
    outcome = await found(recipe)
    assert re.fullmatch(local_object("main.<locals>.<lambda>"), outcome["a lambda"])
    assert re.fullmatch(
        local_object("times.<locals>.multiply_by"),
        outcome["a function defined in a function"],
    )


async def test_a_pickling_error_leaves_the_pool_usable_and_the_fixes_work(recipe):
    outcome = await found(recipe)
    # Same pool as the lambda: pickling failed in this process, before any worker
    # saw the job.
    assert outcome["multiply, a module-level function"] == "-> 6"
    assert outcome["functools.partial(multiply, factor=3)"] == "-> 6"


async def test_max_tasks_per_child_replaces_the_worker(recipe):
    outcome = await found(recipe)
    assert outcome["max_tasks_per_child=1"] == "3 jobs ran in 3 processes"


async def test_every_job_running_or_waiting_fails_with_the_worker(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with module.process_pool() as pool:
        dying = loop.run_in_executor(pool, module.exits, 1)
        waiting = loop.run_in_executor(pool, module.multiply, 2, 3)  # queued behind
        outcomes = await asyncio.gather(dying, waiting, return_exceptions=True)
    assert [module.printed(o).splitlines()[0] for o in outcomes] == [BROKEN, BROKEN]


async def test_a_pickling_error_happens_here_and_the_worker_lives_on(recipe):
    module = load_module(recipe)
    loop = asyncio.get_running_loop()
    async with module.process_pool() as pool:
        before = await loop.run_in_executor(pool, module.worker)
        with pytest.raises((AttributeError, module.pickle.PicklingError)):
            await loop.run_in_executor(pool, lambda: 1)
        after = await loop.run_in_executor(pool, module.worker)
    assert before == after  # the same worker process: it never saw the job


def test_the_messages_on_the_page_are_what_each_version_prints(recipe):
    shown = recipe.output.read_text(encoding="utf-8")
    assert BROKEN in shown
    assert UNUSABLE in shown
    assert ("exit code -9" in shown) == (sys.version_info >= (3, 15))
    assert ("PicklingError" in shown) == (sys.version_info >= (3, 14))


# --- A reader's session, in a fresh interpreter -------------------------------------


def python(*args: str, stdin: str | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


MODULE_LAMBDA = """\
import asyncio, multiprocessing, traceback
from concurrent.futures import ProcessPoolExecutor

square = lambda n: n * n  # a lambda at module level: named "<lambda>", not "square"


async def main() -> None:
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            await loop.run_in_executor(pool, square, 3)
        except Exception as error:
            print("".join(traceback.format_exception_only(error)), end="")


if __name__ == "__main__":
    asyncio.run(main())
"""


def test_a_lambda_at_module_level_cannot_be_pickled_either(recipe, tmp_path):
    script = tmp_path / "module_lambda.py"
    script.write_text(MODULE_LAMBDA, encoding="utf-8")
    done = python(str(script))
    assert done.returncode == 0, done.stderr
    printed = re.sub(r" at 0x[0-9a-f]+", " at 0x…", done.stdout)
    if sys.version_info >= (3, 14):
        assert printed == (
            "_pickle.PicklingError: Can't pickle <function <lambda> at 0x…>:"
            f" it's not found as __main__.<lambda>\n{NOTES}\n"
        )
    else:
        assert printed == (
            "_pickle.PicklingError: Can't pickle <function <lambda> at 0x…>:"
            " attribute lookup <lambda> on __main__ failed\n"
        )


# Typed at the interactive prompt (`python` with no script): the worker must find
# work() in a __main__ module that no file holds.
SESSION = """\
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
def work(n):
    return n * 2

context = None if METHOD is None else multiprocessing.get_context(METHOD)
pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
try:
    print("result", pool.submit(work, 21).result())
except Exception as error:
    print("raised", type(error).__name__, error)

pool.shutdown()
"""


def main_not_found() -> str:
    """What the worker prints when work() is not in its __main__, on this version."""
    if sys.version_info >= (3, 14):
        return "AttributeError: module '__main__' has no attribute 'work'"
    # Before 3.14, with the module's repr, which 3.12 changed.
    loader = (
        "built-in"
        if sys.version_info < (3, 12)
        else "<class '_frozen_importlib.BuiltinImporter'>"
    )
    return (
        f"AttributeError: Can't get attribute 'work' on <module '__main__' ({loader})>"
    )


def interactive(
    method: str | None, how: str = "prompt"
) -> subprocess.CompletedProcess[str]:
    """The session typed at the prompt (`python` reading its input), or passed
    with `python -c`."""
    session = SESSION.replace("METHOD", repr(method))
    if how == "-c":
        return python("-c", session)
    return python("-q", "-i", stdin=session)


@ON_LINUX
def test_a_function_typed_at_the_prompt_breaks_a_default_pool_from_3_14(recipe):
    done = interactive(None)
    if FORKSERVER_DEFAULT:
        assert f"raised BrokenProcessPool {BROKEN.partition(': ')[2]}" in done.stdout
        # The real error is printed by the worker, above, on stderr.
        assert main_not_found() in done.stderr, done.stderr
        assert "Process ForkServerProcess-1:" in done.stderr
    else:  # fork: the worker is a copy of the session, work() included
        assert "result 42" in done.stdout, done.stderr


@pytest.mark.parametrize("how", ["prompt", "-c"])
@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_a_function_typed_at_the_prompt_breaks_a_forkserver_or_spawn_pool(
    recipe, method, how
):
    done = interactive(method, how)
    assert f"raised BrokenProcessPool {BROKEN.partition(': ')[2]}" in done.stdout
    assert main_not_found() in done.stderr, done.stderr


@ON_LINUX
def test_with_fork_a_function_typed_at_the_prompt_works(recipe):
    done = interactive("fork")
    assert "result 42" in done.stdout, done.stderr


# A module imported from its path, as plugin loaders and notebooks do: it is in this
# process's sys.modules, but no worker can import it by name.
BY_PATH = """\
import asyncio, importlib, importlib.util, multiprocessing, os, sys
from concurrent.futures import ProcessPoolExecutor


async def main(method: str, path: str, how: str) -> None:
    if how == "by path":
        spec = importlib.util.spec_from_file_location("pricing_jobs", path)
        jobs = importlib.util.module_from_spec(spec)
        sys.modules["pricing_jobs"] = jobs
        spec.loader.exec_module(jobs)
    else:  # the fix: its folder on sys.path, imported by name
        sys.path.insert(0, os.path.dirname(path))
        jobs = importlib.import_module("pricing_jobs")
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            print("result", await loop.run_in_executor(pool, jobs.double, 21))
        except Exception as error:
            print("raised", type(error).__name__)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
"""


def loaded_by_path(
    tmp_path: Path, method: str, how: str = "by path"
) -> subprocess.CompletedProcess[str]:
    plugins = tmp_path / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "pricing_jobs.py").write_text(
        "def double(n: int) -> int:\n    return n * 2\n", encoding="utf-8"
    )
    script = tmp_path / "by_path.py"
    script.write_text(BY_PATH, encoding="utf-8")
    path = str(plugins / "pricing_jobs.py")
    return python(str(script), method, path, how, cwd=tmp_path)


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_a_module_loaded_by_path_breaks_a_forkserver_or_spawn_pool(
    recipe, tmp_path, method
):
    done = loaded_by_path(tmp_path, method)
    assert done.stdout == "raised BrokenProcessPool\n", done.stderr
    assert "ModuleNotFoundError: No module named 'pricing_jobs'" in done.stderr
    # The worker's own traceback, headed by its name.
    worker = "ForkServerProcess" if method == "forkserver" else "SpawnProcess"
    assert re.search(rf"^Process {worker}-\d+:$", done.stderr, re.MULTILINE)


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_a_module_importable_by_name_works_with_any_method(recipe, tmp_path, method):
    done = loaded_by_path(tmp_path, method, how="by name")
    assert done.stdout == "result 42\n", done.stderr


@ON_LINUX
def test_a_module_loaded_by_path_works_with_fork(recipe, tmp_path):
    done = loaded_by_path(tmp_path, "fork")
    assert done.stdout == "result 42\n", done.stderr


FORK_WITH_THREADS = """\
import asyncio, multiprocessing, sys
from concurrent.futures import ProcessPoolExecutor


def double(n: int) -> int:
    return n * 2


async def main() -> None:
    await asyncio.to_thread(sum, [])  # the loop's default executor keeps a thread
    loop = asyncio.get_running_loop()
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=fork) as pool:
        print("result", await loop.run_in_executor(pool, double, 21))
    try:
        ProcessPoolExecutor(max_workers=1, mp_context=fork, max_tasks_per_child=1)
    except ValueError as error:
        print("ValueError:", error)


if __name__ == "__main__":
    asyncio.run(main())
"""


@ON_LINUX
def test_fork_in_a_program_that_runs_threads_warns_from_3_12(recipe, tmp_path):
    script = tmp_path / "fork_with_threads.py"
    script.write_text(FORK_WITH_THREADS, encoding="utf-8")
    done = python("-W", "default", str(script))
    assert done.returncode == 0, done.stderr
    assert "result 42\n" in done.stdout
    warned = re.search(
        r"DeprecationWarning: This process \(pid=\d+\) is multi-threaded, use of"
        r" fork\(\) may lead to deadlocks in the child\.",
        done.stderr,
    )
    assert bool(warned) == (sys.version_info >= (3, 12)), done.stderr


@ON_LINUX
def test_max_tasks_per_child_refuses_fork(recipe, tmp_path):
    script = tmp_path / "fork_with_threads.py"
    script.write_text(FORK_WITH_THREADS, encoding="utf-8")
    done = python(str(script))
    assert done.stdout.splitlines()[-1] == (
        "ValueError: max_tasks_per_child is incompatible with the 'fork'"
        " multiprocessing start method; supply a different mp_context."
    )


NO_GUARD = """\
import asyncio, multiprocessing
from concurrent.futures import ProcessPoolExecutor


def double(n: int) -> int:
    return n * 2


async def main() -> None:
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        print("result", await loop.run_in_executor(pool, double, 21))


GUARD
"""


def test_the_main_guard_keeps_the_forkserver_from_running_the_program(recipe, tmp_path):
    script = tmp_path / "guard.py"
    guarded = 'if __name__ == "__main__":\n    asyncio.run(main())\n'
    script.write_text(NO_GUARD.replace("GUARD", guarded), encoding="utf-8")
    done = python(str(script))
    assert (done.returncode, done.stdout) == (0, "result 42\n"), done.stderr

    script.write_text(NO_GUARD.replace("GUARD", "asyncio.run(main())\n"))
    done = python(str(script))
    assert done.returncode != 0
    assert "result" not in done.stdout
    # The forkserver imported the script, which started a pool of its own.
    assert "An attempt has been made to start a new process" in done.stderr
    assert "bootstrapping phase" in done.stderr


@ON_LINUX
def test_the_default_start_method_is_forkserver_from_3_14(recipe):
    done = python("-c", "import multiprocessing as m; print(m.get_start_method())")
    assert done.stdout == ("forkserver\n" if FORKSERVER_DEFAULT else "fork\n")
