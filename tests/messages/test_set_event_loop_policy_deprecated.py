"""Claims of docs/messages/set-event-loop-policy-deprecated.md.

Python 3.14 deprecated the event loop policy system (gh-127949): the same messages
on 3.14 and 3.15, none on 3.11 to 3.13. Most tests here are synchronous, since
starting an event loop is what the page is about and no loop may be running when
asyncio.run() starts one; the warnings "python app.py" prints are checked in fresh
interpreters, with Python's default warning filters."""

import asyncio
import os
import re
import subprocess
import sys
import textwrap
import unittest
import warnings
from pathlib import Path

import pytest
import uvloop

from tests.support import Recipe, load_module, run_main

DEFAULT_LOOP = "asyncio.unix_events._UnixSelectorEventLoop"
WARNS = sys.version_info >= (3, 14)  # gh-127949: deprecated in 3.14, gone in 3.16


def deprecated(name: str) -> str:
    """The message of warnings._deprecated(), the same on 3.14 and 3.15."""
    return f"'{name}' is deprecated and slated for removal in Python 3.16"


SET_POLICY = deprecated("asyncio.set_event_loop_policy")
GET_POLICY = deprecated("asyncio.get_event_loop_policy")
ABSTRACT_POLICY = deprecated("asyncio.AbstractEventLoopPolicy")
DEFAULT_POLICY = deprecated("asyncio.DefaultEventLoopPolicy")

# What readers have in their programs: the policy set before asyncio.run().
LEGACY = """\
import asyncio

import uvloop

asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


async def main() -> str:
    return type(asyncio.get_running_loop()).__name__


print(asyncio.run(main()))
"""
# And in unittest modules: tearDownModule() puts the default policy back.
RESET = "import asyncio\nasyncio.set_event_loop_policy(None)\n"


def python(
    script: Path, *options: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter with Python's default warning filters."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONWARNINGS", "PYTHONDEVMODE", "PYTHONASYNCIODEBUG"}
    }
    return subprocess.run(
        [sys.executable, *options, script.name],
        cwd=cwd or script.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def line_of(recipe: Recipe, text: str) -> int:
    """The number of the one line of the recipe that holds `text`."""
    lines = recipe.snippet.read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if text in line]
    return number


def section(recipe: Recipe, name: str) -> str:
    """A named section of the recipe: what the page shows."""
    source = recipe.snippet.read_text(encoding="utf-8")
    match = re.search(
        rf"# --8<-- \[start:{name}\]\n(.*?)# --8<-- \[end:{name}\]", source, re.S
    )
    assert match, name
    return match.group(1)


async def test_prints_what_the_page_shows(recipe):
    run = await run_main(recipe)
    snippet = recipe.snippet.name
    shown = [
        f"{snippet}:40: DeprecationWarning: {GET_POLICY}",
        f"{snippet}:41: DeprecationWarning: {SET_POLICY}",
        f"{snippet}:45: DeprecationWarning: {SET_POLICY}",
    ]
    assert run.output.splitlines() == [
        f"default loop:               {DEFAULT_LOOP}",
        "uvloop.new_event_loop:      uvloop.Loop",
        "uvloop.run():               uvloop.Loop",
        f"asyncio.SelectorEventLoop:  {DEFAULT_LOOP}",
        "uvloop.EventLoopPolicy():   uvloop.Loop",
        *(f"  {line}" for line in (shown if WARNS else ["(no warning)"])),
    ]
    assert run.result["warnings"] == (shown if WARNS else [])


def test_a_loop_factory_chooses_the_loop_for_one_run_without_a_warning(recipe):
    module = load_module(recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning at all fails the test
        assert module.start(uvloop.new_event_loop) == "uvloop.Loop"
        assert module.start() == DEFAULT_LOOP  # nothing global was changed
        assert uvloop.run(module.app()) == "uvloop.Loop"
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            assert runner.run(module.app()) == "uvloop.Loop"


@pytest.mark.skipif(sys.version_info < (3, 12), reason="loop_factory is new in 3.12")
def test_asyncio_run_takes_the_loop_factory_on_312(recipe):
    module = load_module(recipe)
    assert asyncio.run(module.app(), loop_factory=uvloop.new_event_loop) == (
        "uvloop.Loop"
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12+ has loop_factory")
def test_asyncio_run_has_no_loop_factory_on_311(recipe):
    coroutine = load_module(recipe).app()
    with pytest.raises(TypeError, match="unexpected keyword argument 'loop_factory'"):
        asyncio.run(coroutine, loop_factory=uvloop.new_event_loop)
    coroutine.close()  # never started: close it so no "never awaited" warning fires


def test_the_selector_loop_factory_on_linux_builds_the_default_loop(recipe):
    # Only the Linux code path runs here: asyncio.SelectorEventLoop is the loop
    # asyncio uses by default, a selectors-based loop.
    module = load_module(recipe)
    assert sys.platform == "linux"
    assert asyncio.SelectorEventLoop is asyncio.unix_events._UnixSelectorEventLoop
    assert module.start(asyncio.SelectorEventLoop) == DEFAULT_LOOP == module.start()
    loop = asyncio.SelectorEventLoop()
    try:
        assert isinstance(loop, asyncio.selector_events.BaseSelectorEventLoop)
    finally:
        loop.close()


def test_the_windows_policy_does_not_exist_on_linux(recipe):
    load_module(recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and looking for it does not warn
        for name in [
            "WindowsSelectorEventLoopPolicy",
            "WindowsProactorEventLoopPolicy",
        ]:
            with pytest.raises(AttributeError, match=f"no attribute '{name}'"):
                getattr(asyncio, name)


@pytest.mark.skipif(not WARNS, reason="the policy system is deprecated from 3.14")
def test_each_policy_call_warns_at_its_own_line_on_314(recipe):
    module = load_module(recipe)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert module.the_deprecated_way() == "uvloop.Loop"
    ours = [w for w in caught if w.filename == str(recipe.snippet)]
    assert [(w.category, str(w.message), w.lineno) for w in ours] == [
        (DeprecationWarning, GET_POLICY, line_of(recipe, "= asyncio.get_event_loop")),
        (DeprecationWarning, SET_POLICY, line_of(recipe, "(uvloop.EventLoopPolicy())")),
        (DeprecationWarning, SET_POLICY, line_of(recipe, "_policy(previous)")),
    ]
    # The line numbers the page shows are those lines.
    assert [w.lineno for w in ours] == [40, 41, 45]


@pytest.mark.skipif(WARNS, reason="the policy system is deprecated from 3.14")
def test_policies_do_not_warn_before_314(recipe):
    module = load_module(recipe)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert module.the_deprecated_way() == "uvloop.Loop"
        previous = asyncio.get_event_loop_policy()
        asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
        assert asyncio.AbstractEventLoopPolicy is not None
        asyncio.set_event_loop_policy(previous)
    assert caught == []


@pytest.mark.skipif(not WARNS, reason="the policy system is deprecated from 3.14")
def test_every_policy_name_warns_on_314(recipe):
    load_module(recipe)
    here = Path(__file__).name
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        previous = asyncio.get_event_loop_policy()
        asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
        assert asyncio.AbstractEventLoopPolicy is not None
        asyncio.set_event_loop_policy(previous)
    assert [(w.category, str(w.message), Path(w.filename).name) for w in caught] == [
        (DeprecationWarning, GET_POLICY, here),
        (DeprecationWarning, DEFAULT_POLICY, here),
        (DeprecationWarning, SET_POLICY, here),
        (DeprecationWarning, ABSTRACT_POLICY, here),
        (DeprecationWarning, SET_POLICY, here),
    ]


def test_python_app_py_prints_the_warning_at_your_line_on_314_only(recipe, tmp_path):
    load_module(recipe)
    done = python(write(tmp_path / "app.py", LEGACY))
    assert done.returncode == 0
    assert done.stdout == "Loop\n"  # the policy still works until 3.16
    if WARNS:
        assert done.stderr == (
            f"{tmp_path / 'app.py'}:5: DeprecationWarning: {SET_POLICY}\n"
            "  asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())\n"
        )
    else:
        assert done.stderr == ""


def test_dev_mode_also_shows_the_warning_inside_uvloop_on_314(recipe, tmp_path):
    load_module(recipe)
    done = python(write(tmp_path / "app.py", LEGACY), "-X", "dev")
    assert done.returncode == 0
    lines = [line for line in done.stderr.splitlines() if not line.startswith(" ")]
    if WARNS:
        assert len(lines) == 2
        assert re.fullmatch(
            rf".*/uvloop/__init__\.py:\d+: DeprecationWarning: {re.escape(ABSTRACT_POLICY)}",
            lines[0],
        )
        assert lines[1] == f"{tmp_path / 'app.py'}:5: DeprecationWarning: {SET_POLICY}"
    else:
        assert lines == []


def test_minus_w_error_makes_it_an_exception_on_314(recipe, tmp_path):
    load_module(recipe)
    done = python(write(tmp_path / "reset.py", RESET), "-W", "error")
    if WARNS:
        assert done.returncode == 1
        assert 'reset.py", line 2, in <module>' in done.stderr
        assert done.stderr.splitlines()[-1] == f"DeprecationWarning: {SET_POLICY}"
    else:
        assert (done.returncode, done.stderr) == (0, "")


def test_minus_w_error_stops_uvloop_event_loop_policy_first_on_314(recipe, tmp_path):
    # With uvloop's policy, the first exception comes from inside uvloop: the name
    # uvloop.EventLoopPolicy is built, from asyncio.AbstractEventLoopPolicy, on
    # first use.
    load_module(recipe)
    done = python(write(tmp_path / "app.py", LEGACY), "-W", "error")
    if WARNS:
        assert done.returncode == 1
        assert 'app.py", line 5, in <module>' in done.stderr
        assert "uvloop/__init__.py" in done.stderr
        assert done.stderr.splitlines()[-1] == f"DeprecationWarning: {ABSTRACT_POLICY}"
    else:
        assert (done.returncode, done.stdout, done.stderr) == (0, "Loop\n", "")


APP_TEST = """\
import asyncio


async def test_loop():
    loop = type(asyncio.get_running_loop())
    print(f"loop: {loop.__module__}.{loop.__name__}")
"""


def run_pytest(
    folder: Path, test: str = APP_TEST, *options: str
) -> subprocess.CompletedProcess[str]:
    """pytest in a fresh interpreter, in auto mode, on `test` saved in folder."""
    write(folder / "test_app.py", test)
    # This project's looptime plugin would turn the default loop into its subclass.
    options += ("-p", "no:cacheprovider", "-p", "no:looptime_plugin", "-s", "-v")
    options += ("-o", "asyncio_mode=auto")
    options += ("-o", "asyncio_default_fixture_loop_scope=function")
    return subprocess.run(
        [sys.executable, "-m", "pytest", *options, "test_app.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_pytest_filterwarnings_error_fails_the_test_on_314(recipe, tmp_path):
    load_module(recipe)
    test = "import asyncio\n\n\ndef test_reset():\n    asyncio.set_event_loop_policy(None)\n"
    done = run_pytest(tmp_path, test, "-o", "filterwarnings=error")
    if WARNS:
        assert done.returncode == 1
        assert f"E           DeprecationWarning: {SET_POLICY}\n" in done.stdout
        assert "FAILED test_app.py::test_reset - DeprecationWarning" in done.stdout
    else:
        assert done.returncode == 0, done.stdout
        assert "1 passed in" in done.stdout


IMPORTS = """\
import asyncio
from collections.abc import Callable

import uvloop

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


"""


def test_pytest_asyncio_loop_factories_hook_runs_tests_on_uvloop(recipe, tmp_path):
    load_module(recipe)
    write(tmp_path / "conftest.py", IMPORTS + section(recipe, "pytest"))
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    # One factory: the test keeps its name (no [uvloop] suffix), and no warning.
    assert "test_app.py::test_loop loop: uvloop.Loop\nPASSED" in done.stdout
    assert "1 passed in" in done.stdout
    assert "warning" not in done.stdout


def test_with_two_loop_factories_each_test_runs_once_on_each(recipe, tmp_path):
    load_module(recipe)
    hook = section(recipe, "pytest")
    one = '{"uvloop": uvloop.new_event_loop}'
    assert one in hook
    two = '{"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}'
    write(tmp_path / "conftest.py", IMPORTS + hook.replace(one, two))
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"test_app.py::test_loop[asyncio] loop: {DEFAULT_LOOP}\nPASSED" in (
        done.stdout
    )
    assert "test_app.py::test_loop[uvloop] loop: uvloop.Loop\nPASSED" in done.stdout


def test_the_old_event_loop_policy_fixture_is_deprecated_by_pytest_asyncio(
    recipe, tmp_path
):
    load_module(recipe)
    old = """\
        import pytest
        import uvloop


        @pytest.fixture(scope="session")
        def event_loop_policy():
            return uvloop.EventLoopPolicy()
        """
    write(tmp_path / "conftest.py", textwrap.dedent(old))
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "loop: uvloop.Loop" in done.stdout  # it still works, with a warning
    assert (
        'PytestDeprecationWarning: Overriding the "event_loop_policy" fixture is'
        " deprecated and will be removed in a future version of pytest-asyncio. Use"
        ' the "pytest_asyncio_loop_factories" hook to customize event loop creation.'
    ) in done.stdout


def run_test_case(case: type[unittest.TestCase]) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


@pytest.mark.skipif(sys.version_info < (3, 13), reason="loop_factory is new in 3.13")
def test_isolated_asyncio_test_case_takes_a_loop_factory_on_313(recipe):
    module = load_module(recipe)
    result = run_test_case(module.AppOnUvloop)
    assert result.testsRun == 1
    assert result.wasSuccessful(), result.failures + result.errors


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="loop_factory is new in 3.13")
def test_isolated_asyncio_test_case_ignores_loop_factory_before_313(recipe):
    module = load_module(recipe)
    result = run_test_case(module.AppOnUvloop)
    assert result.testsRun == 1
    ((_, traceback),) = result.failures  # the test ran on the default loop
    assert f"AssertionError: '{DEFAULT_LOOP}' != 'uvloop.Loop'" in traceback


@pytest.mark.skipif(sys.version_info < (3, 13), reason="loop_factory is new in 3.13")
def test_a_function_as_loop_factory_is_bound_as_a_method(recipe):
    module = load_module(recipe)

    class WithAFunction(unittest.IsolatedAsyncioTestCase):
        loop_factory = uvloop.new_event_loop

        async def test_runs(self) -> None:
            await module.app()

    class WithAStaticMethod(unittest.IsolatedAsyncioTestCase):
        loop_factory = staticmethod(uvloop.new_event_loop)

        async def test_runs(self) -> None:
            self.assertEqual(await module.app(), "uvloop.Loop")  # noqa: PT009

    ((_, traceback),) = run_test_case(WithAFunction).errors
    assert traceback.splitlines()[-1] == (
        "TypeError: new_event_loop() takes 0 positional arguments but 1 was given"
    )
    assert run_test_case(WithAStaticMethod).wasSuccessful()
