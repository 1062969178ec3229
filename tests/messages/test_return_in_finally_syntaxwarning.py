"""Claims of docs/messages/return-in-finally-syntaxwarning.md.

PEP 765, new in Python 3.14 (What's New in Python 3.14, gh-130080): the compiler
warns about a return, break or continue that leaves a finally block; 3.11 to 3.13
compile the same code silently. What the code does, swallowing the exception in
flight, is the same on every version.

The buggy code lives in strings, compiled inside warnings.catch_warnings() or in a
fresh interpreter: this suite turns warnings into errors, so on 3.14+ a module of it
would not even compile.
"""

import asyncio
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from tests.support import load_module, run_main, timed

WARNS = sys.version_info >= (3, 14)  # PEP 765
RETURN = "'return' in a 'finally' block"
BREAK = "'break' in a 'finally' block"
CONTINUE = "'continue' in a 'finally' block"

DEMOS = [
    "task.cancel() at 1.00 s:",
    "  buggy: await task returns 'failed' at 1.25 s",
    "  fixed: await task raises CancelledError at 1.25 s",
    "async with asyncio.timeout(1.0):",
    "  buggy: no TimeoutError, returns 'failed' at 1.25 s, expired() is True",
    "  fixed: TimeoutError at 1.25 s",
    "TaskGroup, another task fails at 1.00 s:",
    "  buggy: publishes 'failed' at 1.25 s, then ExceptionGroup at 3.25 s",
    "  fixed: ExceptionGroup at 1.25 s",
]

# What a reader runs: the bug in a script (line 11), and in a module it imports.
SCRIPT = """\
import asyncio


async def fetch_report() -> str:
    status = "failed"
    try:
        await asyncio.sleep(0.01)
        status = "done"
    finally:
        await asyncio.sleep(0.01)
        return status


print(asyncio.run(fetch_report()))
"""
MAIN = "import asyncio\n\nimport report\n\nprint(asyncio.run(report.fetch_report()))\n"
MODULE = SCRIPT.rpartition("\n\n\n")[0] + "\n"  # the same, without the last line
SOURCE_LINE = "  return status\n"  # what Python prints under the warning


def compiled(source: str) -> list[str]:
    """The warnings compiling ``source`` raises, as the recipe formats them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compile(source, "x.py", "exec")
    return [f"{w.lineno}: {w.category.__name__}: {w.message}" for w in caught]


def python(
    folder: Path, *arguments: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter with Python's defaults: warnings shown, .pyc files
    written (the host sets PYTHONDONTWRITEBYTECODE)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "PYTHONDONTWRITEBYTECODE",
            "PYTHONPYCACHEPREFIX",
            "PYTHONWARNINGS",
            "PYTHONDEVMODE",
            "PYTHONASYNCIODEBUG",
        }
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**env, **(extra_env or {})},
        timeout=120,
        check=False,
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the recipe's output ----------------------------------------------------------


async def test_prints_what_the_page_shows_on_this_version(recipe):
    run = await run_main(recipe)
    if WARNS:
        assert run.output.splitlines()[:2] == [
            f"compile(BUGGY): report.py:8: SyntaxWarning: {RETURN}",
            f"compile(BUGGY) under -W error: SyntaxError: {RETURN} (report.py, line 8)",
        ]
        assert recipe.output.name == "return_in_finally_syntaxwarning.3.14.out"
    else:
        assert run.output.splitlines()[:2] == [
            "compile(BUGGY): no warning",
            "compile(BUGGY) under -W error: compiles",
        ]
        assert recipe.output.name == "return_in_finally_syntaxwarning.out"
    assert run.output.splitlines()[2:] == DEMOS
    assert run.elapsed == 9.5  # 2 x 1.25 s, 2 x 1.25 s, 3.25 s + 1.25 s
    assert asyncio.current_task().cancelling() == 0  # no cancellation left over


def test_the_warning_and_the_error_name_the_line_of_the_return(recipe):
    module = load_module(recipe)
    line = module.BUGGY.splitlines()[7]
    assert line.strip().startswith("return status")  # line 8 of report.py
    _, shown = module.compile_buggy()
    if WARNS:
        assert shown == [f"report.py:8: SyntaxWarning: {RETURN}"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(SyntaxError) as raised:
                compile(module.BUGGY, "report.py", "exec")
        assert (raised.value.msg, raised.value.lineno) == (RETURN, 8)
    else:
        assert shown == []  # 3.11 to 3.13 compile it silently
        assert module.compile_buggy_under_w_error() == "compiles"


def test_the_recipe_file_itself_compiles_without_a_warning(recipe):
    load_module(recipe)
    source = recipe.snippet.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        compile(source, str(recipe.snippet), "exec")


@pytest.mark.parametrize(
    ("statement", "message"),
    [("break", BREAK), ("continue", CONTINUE)],
)
def test_break_and_continue_that_leave_finally_warn_too(recipe, statement, message):
    load_module(recipe)
    source = textwrap.dedent(f"""\
        for attempt in range(3):
            try:
                pass
            finally:
                {statement}
        """)
    assert compiled(source) == ([f"5: SyntaxWarning: {message}"] if WARNS else [])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # -W error
        if WARNS:
            with pytest.raises(SyntaxError) as raised:
                compile(source, "x.py", "exec")
            assert (raised.value.msg, raised.value.lineno) == (message, 5)
        else:
            compile(source, "x.py", "exec")


def test_return_break_continue_that_stay_inside_finally_do_not_warn(recipe):
    load_module(recipe)
    source = textwrap.dedent("""\
        def f():
            try:
                pass
            finally:
                def callback():
                    return 1
                for attempt in range(3):
                    if attempt:
                        break
                    continue
        """)
    assert compiled(source) == []


# --- what the buggy code does, on every version -----------------------------------


async def test_cancel_then_await_task_returns_a_value(recipe):
    module = load_module(recipe)
    buggy, _ = module.compile_buggy()
    task = asyncio.create_task(buggy())
    await asyncio.sleep(1.0)
    task.cancel()
    run = await timed(lambda: task)
    assert run.result == "failed"  # no CancelledError
    assert not task.cancelled()
    assert run.elapsed == 0.25  # its cleanup ran, then the return ended the task


async def test_the_fixed_version_is_cancelled(recipe):
    module = load_module(recipe)
    task = asyncio.create_task(module.fetch_report())
    await asyncio.sleep(1.0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()
    assert asyncio.get_running_loop().time() == 1.25


async def test_asyncio_timeout_does_not_raise_around_the_buggy_version(recipe):
    module = load_module(recipe)
    buggy, _ = module.compile_buggy()
    start = asyncio.get_running_loop().time()
    async with asyncio.timeout(1.0) as timeout:
        report = await buggy()
    assert report == "failed"
    assert timeout.expired()  # it did fire: the cancellation it sent was swallowed
    assert asyncio.get_running_loop().time() - start == 1.25
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(1.0):
            await module.fetch_report()


async def test_a_task_group_body_carries_on_after_a_failure(recipe):
    module = load_module(recipe)
    buggy, _ = module.compile_buggy()
    run = await timed(lambda: module.in_a_task_group(buggy))
    assert run.result == "publishes 'failed' at 1.25 s, then ExceptionGroup at 3.25 s"
    assert run.elapsed == 3.25
    run = await timed(lambda: module.in_a_task_group(module.fetch_report))
    assert run.result == "ExceptionGroup at 1.25 s"  # the body stopped at once


async def test_the_task_group_still_raises_the_failure(recipe):
    module = load_module(recipe)
    buggy, _ = module.compile_buggy()

    async def body_awaits_buggy() -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(module.fail_soon())
            await buggy()

    with pytest.raises(ExceptionGroup) as raised:
        await body_awaits_buggy()
    assert [repr(e) for e in raised.value.exceptions] == ["ValueError('bad row')"]


async def test_the_buggy_version_swallows_any_exception(recipe, monkeypatch):
    module = load_module(recipe)

    async def broken() -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(module, "request", broken)
    buggy, _ = module.compile_buggy()  # it calls the broken request()
    assert await buggy() == "failed"  # the KeyError is gone
    with pytest.raises(KeyError):
        await module.fetch_report()


async def test_the_fixed_version_returns_its_fallback_for_oserror(recipe, monkeypatch):
    module = load_module(recipe)

    async def refused() -> None:
        raise ConnectionRefusedError

    run = await timed(module.fetch_report)
    assert (run.result, run.elapsed) == ("done", 5.25)
    monkeypatch.setattr(module, "request", refused)
    run = await timed(module.fetch_report)
    assert (run.result, run.elapsed) == ("failed", 0.25)  # and it closed the connection


def test_except_exception_lets_cancellation_through(recipe):
    load_module(recipe)
    assert issubclass(asyncio.CancelledError, BaseException)
    assert not issubclass(asyncio.CancelledError, Exception)


async def test_continue_in_finally_keeps_the_loop_running_after_cancel(recipe):
    load_module(recipe)
    source = textwrap.dedent("""\
        async def poll(done):
            for attempt in range(3):
                try:
                    await asyncio.sleep(1.0)
                finally:
                    done.append(attempt)
                    continue
        """)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        namespace = {"asyncio": asyncio}
        exec(compile(source, "poll.py", "exec"), namespace)
    done: list[int] = []
    task = asyncio.create_task(namespace["poll"](done))
    await asyncio.sleep(0.5)
    task.cancel()
    run = await timed(lambda: task)
    assert run.result is None
    assert not task.cancelled()
    assert done == [0, 1, 2]  # the cancelled attempt, then two more
    assert run.elapsed == 2.0


# --- how the warning shows up ---------------------------------------------------


def test_running_a_script_warns_on_every_run(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "report.py", SCRIPT)
    for _ in range(2):
        done = python(tmp_path, "report.py")
        assert (done.returncode, done.stdout) == (0, "done\n")
        if WARNS:
            assert done.stderr == (
                f"{tmp_path / 'report.py'}:11: SyntaxWarning: {RETURN}\n{SOURCE_LINE}"
            )
        else:
            assert done.stderr == ""
    assert not (tmp_path / "__pycache__").exists()  # a script is never cached


def test_minus_w_error_refuses_to_compile_the_script(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "report.py", SCRIPT)
    done = python(tmp_path, "-W", "error", "report.py")
    if WARNS:
        assert done.returncode == 1
        assert done.stdout == ""  # not one line of it ran
        assert done.stderr == (
            f'  File "{tmp_path / "report.py"}", line 11\n'
            "    return status\n"
            "    ^^^^^^^^^^^^^\n"
            f"SyntaxError: {RETURN}\n"
        )
    else:
        assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")


def test_an_imported_module_warns_once_then_its_pyc_is_silent(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "main.py", MAIN)
    write(tmp_path / "report.py", MODULE)
    first = python(tmp_path, "main.py")
    second = python(tmp_path, "main.py")
    cached = python(tmp_path, "-W", "error", "main.py")
    for done in (first, second, cached):
        assert (done.returncode, done.stdout) == (0, "done\n")
    tag = f"cpython-{sys.version_info[0]}{sys.version_info[1]}"
    assert sys.implementation.cache_tag == tag  # report.cpython-314.pyc on 3.14
    assert (tmp_path / "__pycache__" / f"report.{tag}.pyc").exists()
    if WARNS:
        assert first.stderr == (
            f"{tmp_path / 'report.py'}:11: SyntaxWarning: {RETURN}\n{SOURCE_LINE}"
        )
    else:
        assert first.stderr == ""
    assert second.stderr == ""  # compiled code came from __pycache__
    assert cached.stderr == ""  # even under -W error
    # Once report.py changes (its modification time, here), it is compiled again.
    changed = (tmp_path / "report.py").stat().st_mtime + 10
    os.utime(tmp_path / "report.py", (changed, changed))
    assert python(tmp_path, "main.py").stderr == first.stderr


def test_without_a_pyc_minus_w_error_fails_at_the_import(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "main.py", MAIN)
    write(tmp_path / "report.py", MODULE)
    done = python(tmp_path, "-W", "error", "main.py")
    if WARNS:
        assert done.returncode == 1
        assert done.stderr == (
            "Traceback (most recent call last):\n"
            f'  File "{tmp_path / "main.py"}", line 3, in <module>\n'
            "    import report\n"
            f'  File "{tmp_path / "report.py"}", line 11\n'
            "    return status\n"
            "    ^^^^^^^^^^^^^\n"
            f"SyntaxError: {RETURN}\n"
        )
        assert not (tmp_path / "__pycache__").exists()  # nothing was cached
    else:
        assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")


def test_minus_b_warns_on_every_run(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "main.py", MAIN)
    write(tmp_path / "report.py", MODULE)
    runs = [python(tmp_path, "-B", "main.py") for _ in range(2)]
    expected = f"{tmp_path / 'report.py'}:11: SyntaxWarning: {RETURN}\n{SOURCE_LINE}"
    assert [r.stderr for r in runs] == [expected if WARNS else ""] * 2
    assert not (tmp_path / "__pycache__").exists()


def test_compileall_f_lists_every_one_even_when_cached(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "main.py", MAIN)
    write(tmp_path / "report.py", MODULE)
    python(tmp_path, "main.py")  # caches report.py
    quiet = python(tmp_path, "-m", "compileall", "-q", ".")
    forced = python(tmp_path, "-m", "compileall", "-q", "-f", ".")
    assert (quiet.returncode, quiet.stdout + quiet.stderr) == (0, "")
    assert forced.returncode == 0
    if WARNS:
        assert forced.stdout + forced.stderr == (
            f"./report.py:11: SyntaxWarning: {RETURN}\n{SOURCE_LINE}"
        )
    else:
        assert forced.stdout + forced.stderr == ""


def test_ignore_syntaxwarning_silences_it_on_the_command_line(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "report.py", SCRIPT)
    done = python(tmp_path, "-W", "ignore::SyntaxWarning", "report.py")
    assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")
    options = ("-W", "error", "-W", "ignore::SyntaxWarning")
    done = python(tmp_path, *options, "report.py")
    assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")
    env = {"PYTHONWARNINGS": "error,ignore::SyntaxWarning"}
    done = python(tmp_path, "report.py", extra_env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")


def test_a_filter_in_code_is_too_late_for_its_own_file(recipe, tmp_path):
    load_module(recipe)
    ignore = (
        'import warnings\n\nwarnings.filterwarnings("ignore", category=SyntaxWarning)\n'
    )
    write(tmp_path / "report.py", MODULE)
    write(tmp_path / "main.py", ignore + MAIN)  # before the import: silences it
    assert python(tmp_path, "-B", "main.py").stderr == ""
    own = write(tmp_path / "own.py", ignore + SCRIPT)  # the bug at line 14
    done = python(tmp_path, own.name)
    assert done.stdout == "done\n"
    expected = f"{own}:14: SyntaxWarning: {RETURN}\n{SOURCE_LINE}"
    assert done.stderr == (expected if WARNS else "")


def test_ruff_b012_finds_it_on_every_version(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "report.py", SCRIPT)
    done = python(
        tmp_path,
        *("-m", "ruff", "check", "--isolated", "--no-cache", "--select", "B012"),
        *("--output-format", "concise", "report.py"),
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "report.py:11:9: B012 `return` inside `finally` blocks cause exceptions to be"
        " silenced"
    )
