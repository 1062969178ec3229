"""Claims of docs/testing/pytest-asyncio.md.

This file is itself an example: the project runs pytest-asyncio in auto mode, so its
async tests carry no marker, and the recipe's run is a module-scoped async fixture
with a module-scoped event loop.
"""

import asyncio
import re
import sys
import textwrap
from pathlib import Path

import pytest
import pytest_asyncio

from tests.support import Recipe, Run, load_module, run_main

SETTINGS = {
    "asyncio_mode": "auto",
    "asyncio_default_fixture_loop_scope": "function",
    "filterwarnings": "error",
}


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


async def test_the_printed_output_is_the_summary(recipe, run):
    assert run.output.splitlines() == [
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
