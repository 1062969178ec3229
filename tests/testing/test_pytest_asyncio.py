"""Claims of docs/testing/pytest-asyncio.md.

This file is itself an example: the project runs pytest-asyncio in auto mode, so its
async tests carry no marker, and the recipe's run is a module-scoped async fixture
with a module-scoped event loop.
"""

import asyncio
import os
import re
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
import pytest_asyncio

from tests.support import Recipe, Run, load_module, run_main

SETTINGS = {
    "asyncio_mode": "auto",
    "asyncio_default_fixture_loop_scope": "function",
    "filterwarnings": "error",
}
ON_314 = sys.version_info >= (3, 14)
LOOP_FACTORIES = "loop factories: asyncio and uvloop"
OLD_WAY = "the old way: an event_loop_policy fixture"
POLICY_FIXTURE_DEPRECATED = (
    'PytestDeprecationWarning: Overriding the "event_loop_policy" fixture is'
    " deprecated and will be removed in a future version of pytest-asyncio. Use the"
    ' "pytest_asyncio_loop_factories" hook to customize event loop creation.'
)
POLICY_CLASS_DEPRECATED = (
    "DeprecationWarning: 'asyncio.AbstractEventLoopPolicy' is deprecated and slated"
    " for removal in Python 3.16"
)
SET_POLICY_DEPRECATED = (
    "DeprecationWarning: 'asyncio.set_event_loop_policy' is deprecated and slated"
    " for removal in Python 3.16"
)


async def pytest_output(
    folder: Path, files: dict[str, str], settings: dict[str, str], *options: str
) -> tuple[int, str]:
    """Run pytest on these files with these ini settings: exit code, whole output."""
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    ini = ["[pytest]", *(f"{key} = {value}" for key, value in settings.items())]
    (folder / "pytest.ini").write_text("\n".join(ini) + "\n", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options],
        str(folder),
        cwd=folder,
        env={**os.environ, "COLUMNS": "200"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    stdout, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, stdout.decode()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def run() -> Run:
    """One run of the recipe (three pytest processes), shared by the tests below."""
    return await run_main(Recipe.from_path(Path(__file__)))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


async def test_strict_mode_is_the_default_and_fails_unmarked_async_tests(recipe, run):
    assert run.result["default (strict) mode"] == (
        1,
        [
            "FAILED test_greet.py::test_greet_unmarked - Failed: async def functions"
            " are not natively supported.",
            "1 failed, 1 passed",
        ],
    )


async def test_auto_mode_runs_every_async_test_and_fixture(recipe, run):
    assert run.result["asyncio_mode = auto"] == (0, ["2 passed"])


async def test_unset_fixture_loop_scope_is_an_internalerror_under_filterwarnings_error(
    recipe, run
):
    assert run.result["auto, loop scope unset"] == (
        3,
        [
            "INTERNALERROR> pytest.PytestDeprecationWarning: The configuration option"
            ' "asyncio_default_fixture_loop_scope" is unset.'
        ],
    )


async def test_the_printed_output_starts_with_the_three_configurations(recipe, run):
    assert run.output.splitlines()[:7] == [
        "default (strict) mode: exit code 1",
        "  FAILED test_greet.py::test_greet_unmarked - Failed: async def functions"
        " are not natively supported.",
        "  1 failed, 1 passed",
        "asyncio_mode = auto: exit code 0",
        "  2 passed",
        "auto, loop scope unset: exit code 3",
        "  INTERNALERROR> pytest.PytestDeprecationWarning: The configuration option"
        ' "asyncio_default_fixture_loop_scope" is unset.',
    ]


async def test_unset_fixture_loop_scope_is_only_a_warning_otherwise(recipe, tmp_path):
    module = load_module(recipe)
    (tmp_path / "test_greet.py").write_text(module.TEST_FILE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", tmp_path],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    stdout, _ = await process.communicate()
    output = stdout.decode()
    assert process.returncode == 0
    assert (
        'PytestDeprecationWarning: The configuration option "asyncio_default_fixture'
        '_loop_scope" is unset.' in output
    )
    assert re.search(r"^2 passed in ", output, re.MULTILINE)


async def test_a_plain_pytest_fixture_on_async_def_errors_in_strict_mode(
    recipe, tmp_path
):
    module = load_module(recipe)
    source = """
        import pytest

        @pytest.fixture  # should be @pytest_asyncio.fixture in strict mode
        async def name() -> str:
            return "ada"

        @pytest.mark.asyncio
        async def test_name(name: str) -> None:
            assert name == "ada"
    """
    (tmp_path / "test_fixture.py").write_text(textwrap.dedent(source))
    strict = {key: v for key, v in SETTINGS.items() if key != "asyncio_mode"}
    code, summary = await module.run_pytest(tmp_path, strict)
    assert code == 1
    assert summary[0].startswith(
        "ERROR test_fixture.py::test_name - Failed: 'test_name' requested an async"
        " fixture 'name', with no plugin or hook that handled it."
    )
    assert summary[-1] == "1 error"
    # The same file passes in auto mode, where @pytest.fixture is enough.
    assert await module.run_pytest(tmp_path, SETTINGS) == (0, ["1 passed"])


async def test_each_test_gets_a_new_loop_and_the_last_one_is_closed(recipe, tmp_path):
    module = load_module(recipe)
    source = """
        import asyncio

        LOOPS = []

        async def test_first() -> None:
            LOOPS.append(asyncio.get_running_loop())

        async def test_second() -> None:
            assert asyncio.get_running_loop() is not LOOPS[0]
            assert LOOPS[0].is_closed()
    """
    (tmp_path / "test_loops.py").write_text(textwrap.dedent(source))
    assert await module.run_pytest(tmp_path, SETTINGS) == (0, ["2 passed"])


@pytest.mark.asyncio(loop_scope="module")
async def test_loop_scope_module_runs_the_test_in_the_fixtures_loop(
    recipe, module_loop
):
    assert asyncio.get_running_loop() is module_loop


async def test_a_function_scoped_test_runs_in_another_loop(recipe, module_loop):
    # A module-scoped fixture's objects belong to module_loop, not to this test's
    # loop: see "Event loop is closed" between pytest-asyncio tests.
    assert asyncio.get_running_loop() is not module_loop
    assert not module_loop.is_closed()


async def test_loop_factories_run_each_test_once_per_loop(recipe, run):
    assert run.result[LOOP_FACTORIES] == (
        0,
        [
            "PASSED test_greet.py::test_greet_marked[asyncio]",
            "PASSED test_greet.py::test_greet_marked[uvloop]",
            "PASSED test_greet.py::test_greet_unmarked[asyncio]",
            "PASSED test_greet.py::test_greet_unmarked[uvloop]",
            # loop_factories=["uvloop"]: that factory only, and no [uvloop] suffix
            "PASSED test_uvloop.py::test_runs_on_uvloop",
            "5 passed",
        ],
    )


async def test_overriding_event_loop_policy_is_deprecated_and_314_deprecates_policies(
    recipe, run
):
    if ON_314:  # uvloop's policy class is built on asyncio's, deprecated in 3.14
        expected = [POLICY_FIXTURE_DEPRECATED, POLICY_CLASS_DEPRECATED]
        summary = "2 passed, 2 warnings"
    else:
        expected = [POLICY_FIXTURE_DEPRECATED]
        summary = "2 passed, 1 warning"
    assert run.result[OLD_WAY] == (0, [*expected, summary])


async def test_the_event_loop_fixture_is_gone_since_pytest_asyncio_1_0(
    recipe, tmp_path
):
    source = """
        import asyncio

        async def test_old_style(event_loop: asyncio.AbstractEventLoop) -> None:
            assert event_loop is asyncio.get_running_loop()
    """
    code, output = await pytest_output(tmp_path, {"test_old.py": source}, SETTINGS)
    assert code == 1
    assert "E       fixture 'event_loop' not found" in output
    assert output.splitlines()[-1].startswith("1 error in ")


@pytest.mark.parametrize("debug", [False, True], ids=["default", "asyncio_debug"])
async def test_asyncio_debug_runs_the_tests_loops_in_debug_mode(
    recipe, tmp_path, debug
):
    source = """
        import asyncio

        async def test_debug_mode() -> None:
            assert asyncio.get_running_loop().get_debug()
    """
    settings = {**SETTINGS, "asyncio_debug": "true"} if debug else SETTINGS
    code, output = await pytest_output(tmp_path, {"test_debug.py": source}, settings)
    assert code == (0 if debug else 1)
    summary = "1 passed in " if debug else "1 failed in "
    assert output.splitlines()[-1].startswith(summary)


async def test_a_policy_set_in_conftest_warns_on_314(recipe, tmp_path):
    module = load_module(recipe)
    conftest = """
        import asyncio

        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())  # the old way
    """
    files = {"conftest.py": conftest, "test_greet.py": module.TEST_FILE}
    settings = {key: v for key, v in SETTINGS.items() if key != "filterwarnings"}
    code, output = await pytest_output(tmp_path, files, settings)
    assert code == 0
    assert (SET_POLICY_DEPRECATED in output) is ON_314
    if ON_314:
        assert output.splitlines()[-1].startswith("2 passed, 2 warnings in ")
        # With filterwarnings = error, conftest.py fails to import: no test runs.
        code, output = await pytest_output(tmp_path, files, SETTINGS)
        assert code == 4
        assert f"E   {POLICY_CLASS_DEPRECATED}" in output
    else:
        assert output.splitlines()[-1].startswith("2 passed in ")


async def test_a_factory_the_hook_does_not_offer_skips_the_test(recipe, tmp_path):
    conftest = """
        import asyncio
        from collections.abc import Callable, Mapping

        import pytest


        def pytest_asyncio_loop_factories(
            config: pytest.Config, item: pytest.Item
        ) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
            return {"asyncio": asyncio.new_event_loop}  # say, uvloop is missing
    """
    source = """
        import pytest

        @pytest.mark.asyncio(loop_factories=["uvloop"])
        async def test_needs_uvloop() -> None:
            pass
    """
    files = {"conftest.py": conftest, "test_uvloop.py": source}
    code, output = await pytest_output(tmp_path, files, SETTINGS, "-rs")
    assert code == 0
    assert (
        "SKIPPED [1] test_uvloop.py:4: Loop factory 'uvloop' is not available."
        " Available factories: asyncio." in output
    )
    # Without any hook, the marker is an error.
    (tmp_path / "conftest.py").unlink()
    code, output = await pytest_output(tmp_path, {}, SETTINGS)
    assert code == 2
    assert (
        "mark.asyncio 'loop_factories' requires at least one"
        " pytest_asyncio_loop_factories hook implementation." in output
    )


def test_policies_are_deprecated_from_python_3_14(recipe):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        current = asyncio.get_event_loop_policy()
    calls = {  # setting the current policy again changes nothing for later tests
        "set_event_loop_policy": lambda: asyncio.set_event_loop_policy(current),
        "get_event_loop_policy": asyncio.get_event_loop_policy,
        "DefaultEventLoopPolicy": lambda: asyncio.DefaultEventLoopPolicy,
    }
    for name, call in calls.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        messages = [f"{w.category.__name__}: {w.message}" for w in caught]
        if ON_314:
            assert messages == [
                f"DeprecationWarning: 'asyncio.{name}' is deprecated and slated for"
                " removal in Python 3.16"
            ]
        else:
            assert messages == []
